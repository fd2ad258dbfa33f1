"""What a watch knows: an observation of its job, the watch's facts, and what it was last told."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from bot.domain.progress import Phase, Progress
from bot.domain.states import CardState, EndState, parse_card_state, parse_end_state

log = logging.getLogger(__name__)
_T = TypeVar("_T")


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


class Note(StrEnum):
    """The line under a card saying why it is not moving (worded by `bot.render.notes`)."""

    UNREACHABLE = "unreachable"
    CREDENTIALS = "credentials"
    STALLED = "stalled"
    NOT_FOUND = "not_found"
    EXPIRED = "expired"


# Rows written before notes were stored as members held the note's words; read them back.
_WORDED_NOTES = (
    (re.compile(r"DRS is not answering; still trying\.\Z"), Note.UNREACHABLE),
    (re.compile(r"DRS refused the bot's credentials; .*\Z"), Note.CREDENTIALS),
    (re.compile(r"No change for \S+ min\.\Z"), Note.STALLED),
    (re.compile(r"DRS no longer knows this job; stopped watching\.\Z"), Note.NOT_FOUND),
    (re.compile(r"Stopped watching after \S+ h\.\Z"), Note.EXPIRED),
)


def parse_note(value: object) -> Note | None:
    """The note a stored value names (a member's value, or an older row's words), else None."""
    if not isinstance(value, str):
        return None
    try:
        return Note(value)
    except ValueError:
        pass
    for pattern, note in _WORDED_NOTES:
        if pattern.match(value):
            return note
    return None


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
    # Whether the final reply may go to the channel too: one watch per channel does it.
    broadcasts_final: bool = True


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


def _known(name: str, value: Any, parse: Callable[[object], _T | None]) -> _T | None:
    """`parse(value)`; an unknown stored value is logged (not kept: the next card edit heals it)."""
    member = parse(value)
    if member is None and value is not None:
        log.warning("told.%s holds an unknown value %r; treated as unset", name, value)
    return member


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
    card_note: Note | None = None
    card_state: CardState | None = None
    card_at: datetime | None = None  # when the card was last posted or edited
    thread_phase: Phase | None = None  # last phase announced (the card announces the first)
    progress_reply_at: datetime | None = None
    progress_reply_rows: int | None = None
    stall_warned: bool = False
    unreachable_noticed: bool = False
    credentials_noticed: bool = False
    final: bool = False
    end_state: EndState | None = None  # set with `final`

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, StrEnum):
                value = value.value  # the same strings older rows hold
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Told:
        """Tolerates old rows and future versions: missing, unknown or bad values never raise."""
        if not isinstance(data, dict):
            return cls()
        return cls(
            card_phase=_phase(data.get("card_phase")),
            card_rows=_int(data.get("card_rows")),
            card_status=_str(data.get("card_status")),
            card_note=_known("card_note", data.get("card_note"), parse_note),
            card_state=_known("card_state", data.get("card_state"), parse_card_state),
            card_at=_time(data.get("card_at")),
            thread_phase=_phase(data.get("thread_phase")),
            progress_reply_at=_time(data.get("progress_reply_at")),
            progress_reply_rows=_int(data.get("progress_reply_rows")),
            stall_warned=_bool(data.get("stall_warned")),
            unreachable_noticed=_bool(data.get("unreachable_noticed")),
            credentials_noticed=_bool(data.get("credentials_noticed")),
            final=_bool(data.get("final")),
            end_state=_known("end_state", data.get("end_state"), parse_end_state),
        )


def initial_told(progress: Progress | None, now: datetime | None = None) -> Told:
    """What a freshly posted card has told: its phase, rows and status, and the first phase."""
    if progress is None:
        return Told(card_state=CardState.WATCHING, card_at=now)
    phase = progress.phase
    return Told(
        card_at=now or progress.observed_at,
        card_phase=phase,
        card_rows=progress.parsed_success_number,
        card_status=progress.process_status,
        card_state=CardState(phase.value) if phase.finished else CardState.WATCHING,
        thread_phase=phase,
        progress_reply_at=progress.observed_at,
        progress_reply_rows=progress.parsed_success_number,
    )
