"""What DRS says about a job itself (its name, engines and direction), apart from its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Job names are 4 to 50 characters in DRS; anything longer is kept clipped, never refused.
MAX_NAME = 128
_MAX_WORD = 64


def _text(value: Any, limit: int) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text[:limit] or None


@dataclass(frozen=True)
class JobDetails:
    """A job's own description; any field DRS leaves out is None."""

    job_id: str
    name: str | None = None
    engine_type: str | None = None  # e.g. `mysql-to-kafka`
    job_direction: str | None = None  # `up` (into the cloud), `down` (out of it), `non-dbs`
    status: str | None = None

    @classmethod
    def from_body(cls, job_id: str, body: dict[str, Any]) -> JobDetails:
        """From the job details API's `{"job": {..., "base_info": {...}}}`; tolerant of gaps."""
        job = body.get("job")
        job = job if isinstance(job, dict) else {}
        base = job.get("base_info")
        base = base if isinstance(base, dict) else {}
        return cls(
            job_id=job_id,
            name=_text(base.get("name"), MAX_NAME),
            engine_type=_text(base.get("engine_type"), _MAX_WORD),
            job_direction=_text(base.get("job_direction"), _MAX_WORD),
            status=_text(job.get("status"), _MAX_WORD),
        )
