"""One observation of the template-progress API, and the phase derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Phase(StrEnum):
    """Where a template import stands, as users see it."""

    UPLOADING = "uploading"  # the upload has not finished (send_success false or unknown)
    PARSING = "parsing"  # uploaded, no final status yet (any unknown status shown verbatim)
    SUCCEEDED = "succeeded"  # process_status == "success"
    FAILED = "failed"  # process_status == "failed"

    @property
    def finished(self) -> bool:
        return self in (Phase.SUCCEEDED, Phase.FAILED)


def derive_phase(send_success: bool | None, process_status: str | None) -> Phase:
    status = (process_status or "").strip().lower()
    if status == "success":
        return Phase.SUCCEEDED
    if status == "failed":
        return Phase.FAILED
    if send_success is True or status:
        # Uploaded, or DRS is already reporting a (not final, maybe unknown) parse status.
        return Phase.PARSING
    return Phase.UPLOADING


# The largest count a 64-bit signed column holds; larger ones are shown from the raw text.
MAX_ROWS = 2**63 - 1
# Longer digit strings cannot be <= MAX_ROWS (leading zeros aside, which are stripped first).
_MAX_DIGITS = len(str(MAX_ROWS))


def parse_rows(raw: Any) -> int | None:
    """`parsed_success_number` as a count in 0..MAX_ROWS; anything else (signs, exponents,
    non-ASCII digits, counts too large to store) gives None and is shown from the raw text."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw <= MAX_ROWS else None
    if isinstance(raw, str):
        text = raw.strip().replace(",", "")
        if not (text.isascii() and text.isdigit()):
            return None
        digits = text.lstrip("0") or "0"
        if len(digits) <= _MAX_DIGITS:  # never int() a huge string (CPU, int max digits)
            rows = int(digits)
            return rows if rows <= MAX_ROWS else None
    return None


@dataclass(frozen=True, slots=True)
class Progress:
    """The typed answer of one progress query."""

    job_id: str
    send_success: bool | None
    process_status: str | None
    parsed_success_number: int | None
    parsed_success_raw: str | None
    observed_at: datetime

    @property
    def phase(self) -> Phase:
        return derive_phase(self.send_success, self.process_status)

    @property
    def finished(self) -> bool:
        return self.phase.finished

    @classmethod
    def from_body(cls, job_id: str, body: dict[str, Any], observed_at: datetime) -> Progress:
        """Build from a 200 body; absent or odd fields become None, never an exception."""
        send = body.get("send_success")
        status = body.get("process_status")
        raw = body.get("parsed_success_number")
        return cls(
            job_id=job_id,
            send_success=send if isinstance(send, bool) else None,
            process_status=str(status) if status is not None else None,
            parsed_success_number=parse_rows(raw),
            parsed_success_raw=None if raw is None else str(raw),
            observed_at=observed_at,
        )

    def to_json(self) -> dict[str, Any]:
        """The object `drs-bot check --json` prints (contract fields first)."""
        return {
            "job_id": self.job_id,
            "send_success": self.send_success,
            "process_status": self.process_status,
            "parsed_success_number": self.parsed_success_number,
            "parsed_success_raw": self.parsed_success_raw,
            "phase": self.phase.value,
            "observed_at": self.observed_at.isoformat(),
        }
