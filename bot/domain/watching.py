"""What a watch knows: an observation of its job, the watch's facts, and what it was last told."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.progress import Phase, Progress

WATCHING = "watching"
END_STATES = ("succeeded", "failed", "not_found", "expired")
CARD_STATES = (WATCHING, *END_STATES)


class Outcome(StrEnum):
    """How this poll of the job went."""

    OK = "ok"  # a progress came back
    NOT_FOUND = "not_found"  # DRS says the job does not exist (any more)
    UNAVAILABLE = "unavailable"  # 5xx, timeouts, garbage bodies, throttling, other refusals
    CREDENTIALS = "credentials"  # DRS refused the bot's credentials


class ReplyKind(StrEnum):
    """Thread replies the watcher can send."""

    PHASE = "phase"
    PROGRESS = "progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    STALLED = "stalled"
    EXPIRED = "expired"
    UNREACHABLE = "unreachable"
    REACHABLE_AGAIN = "reachable_again"
    CREDENTIALS = "credentials"


@dataclass(frozen=True)
class Observation:
    """What the sweep learnt about the polled job this time."""

    outcome: Outcome
    progress: Progress | None  # this poll's, or the last good one when the poll failed
    consecutive_failures: int = 0
    last_change_at: datetime | None = None  # when the observed progress last changed
    first_seen_at: datetime | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class WatchFacts:
    """About the destination."""

    created_at: datetime
    expires_at: datetime
    requested_by: str | None = None
    joined_by: tuple[str, ...] = ()
    # Every watch normally has a card (in the channel, or the bot's first reply in a thread).
    has_card: bool = True


def _phase(value: Any) -> Phase | None:
    try:
        return Phase(value) if value is not None else None
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else False


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Told:
    """What one destination was last told. Stored as JSON via `to_dict` / `from_dict`."""

    card_phase: Phase | None = None
    card_rows: int | None = None
    card_status: str | None = None  # process_status as the card shows it (verbatim)
    card_note: str | None = None
    card_state: str | None = None  # one of CARD_STATES
    card_at: datetime | None = None  # when the card was last posted or edited
    thread_phase: Phase | None = None  # last phase announced (the card announces the first)
    progress_reply_at: datetime | None = None
    progress_reply_rows: int | None = None
    stall_warned: bool = False
    unreachable_noticed: bool = False
    credentials_noticed: bool = False
    final: bool = False
    end_state: str | None = None  # set with `final`: one of END_STATES

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, datetime) else value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Told:
        """Tolerates old rows and future versions: missing, unknown or bad values never raise."""
        if not isinstance(data, dict):
            return cls()
        state = _str(data.get("card_state"))
        end = _str(data.get("end_state"))
        return cls(
            card_phase=_phase(data.get("card_phase")),
            card_rows=_int(data.get("card_rows")),
            card_status=_str(data.get("card_status")),
            card_note=_str(data.get("card_note")),
            card_state=state if state in CARD_STATES else None,
            card_at=_time(data.get("card_at")),
            thread_phase=_phase(data.get("thread_phase")),
            progress_reply_at=_time(data.get("progress_reply_at")),
            progress_reply_rows=_int(data.get("progress_reply_rows")),
            stall_warned=_bool(data.get("stall_warned")),
            unreachable_noticed=_bool(data.get("unreachable_noticed")),
            credentials_noticed=_bool(data.get("credentials_noticed")),
            final=_bool(data.get("final")),
            end_state=end if end in END_STATES else None,
        )


def initial_told(progress: Progress | None, now: datetime | None = None) -> Told:
    """What a freshly posted card has told: its phase, rows and status, and the first phase."""
    if progress is None:
        return Told(card_state=WATCHING, card_at=now)
    phase = progress.phase
    return Told(
        card_at=now or progress.observed_at,
        card_phase=phase,
        card_rows=progress.parsed_success_number,
        card_status=progress.process_status,
        card_state=phase.value if phase.finished else WATCHING,
        thread_phase=phase,
        progress_reply_at=progress.observed_at,
        progress_reply_rows=progress.parsed_success_number,
    )
