"""The sweep's rows as plain frozen values, and what one poll or observation changes (pure).

The hot path reads and writes these instead of ORM objects: hundreds of polls a second go
through `bot.store.leases`, and building, tracking and flushing ORM rows would cost more than
the polls. The functions here compute a job's new columns; `leases` stores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.domain.progress import Phase, Progress, derive_phase
from bot.domain.watching import Told
from bot.store.models import stored_progress

_ERROR_KIND_MAX = 64
_ERROR_MESSAGE_MAX = 2000
_ROWS_RAW_MAX = 64


@dataclass(frozen=True, slots=True)
class Claim:
    """A job leased to this replica: what its poll needs to know."""

    id: int
    job_id: str
    query_type: str
    language: str
    due_at: datetime | None
    failures: int  # consecutive failures before this poll
    project_id: str = ""
    region: str | None = None  # None: the default region (or the one its project belongs to)
    took_over: bool = False  # the lease was another replica's, expired (it crashed or stalled)


@dataclass(frozen=True, slots=True)
class PollRecord:
    """One poll's outcome: a progress, or an error kind and message; and the next poll."""

    polled_job_id: int
    next_poll_at: datetime | None
    progress: Progress | None = None
    error_kind: str | None = None
    error_message: str | None = None
    paused: bool | None = None


@dataclass(frozen=True, slots=True)
class PolledState:
    """A polled job's polling state (the columns a poll reads and writes)."""

    id: int
    job_id: str
    send_success: bool | None
    process_status: str | None
    rows: int | None
    rows_raw: str | None
    observed_at: datetime | None
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    last_change_at: datetime | None
    next_poll_at: datetime | None
    consecutive_failures: int
    last_error_kind: str | None
    last_error_message: str | None
    paused: bool

    @property
    def phase(self) -> Phase | None:
        if self.observed_at is None:
            return None
        return derive_phase(self.send_success, self.process_status)

    def progress(self) -> Progress | None:
        return stored_progress(self)


@dataclass(frozen=True, slots=True)
class WatchView:
    """What the policy needs of one active watch."""

    id: int
    polled_job_id: int
    card_ts: str | None
    told: Told  # read from the stored JSON with `told_from_text`
    created_at: datetime
    expires_at: datetime
    requested_by: str
    joined_by: list[str]
    team_id: str
    channel_id: str
    thread_key: str  # "" for the channel itself
    uploaded_file: str | None = None  # the file uploaded from Slack that started it


_TOLD_CACHE_SIZE = 4096
_told_cache: dict[str, Told] = {}


def told_from_text(text: str | None) -> Told:
    """A watch's stored `told` JSON as a `Told`, parsed once per distinct text.

    The sweep reads every polled watch's `told` on every poll and it rarely changes; `Told` is
    immutable, so one parsed value serves every read of the same text.
    """
    if text is None:
        return Told()
    told = _told_cache.get(text)
    if told is None:
        try:
            told = Told.from_dict(json.loads(text))
        except ValueError:  # not JSON at all: as for any other unreadable value
            told = Told()
        if len(_told_cache) >= _TOLD_CACHE_SIZE:
            _told_cache.clear()
        _told_cache[text] = told
    return told


def changed(before: PolledState, progress: Progress) -> bool:
    """Whether a progress differs from the stored one in what users see (stall detection)."""
    if before.observed_at is None:
        return True
    return (before.phase, before.process_status, before.send_success, before.rows) != (
        progress.phase,
        progress.process_status,
        progress.send_success,
        progress.parsed_success_number,
    )


def observed_values(before: PolledState, progress: Progress, now: datetime) -> dict[str, Any]:
    """The columns an observation of the job sets, whoever made it (a poll, a listener).

    `last_change_at` moves only when something users see changed, so a stall is measured from
    the last real change rather than the last poll.
    """
    raw = progress.parsed_success_raw
    values: dict[str, Any] = {
        "send_success": progress.send_success,
        "process_status": progress.process_status,
        "rows": progress.parsed_success_number,
        "rows_raw": raw[:_ROWS_RAW_MAX] if raw else None,
        "observed_at": progress.observed_at,
        "first_seen_at": before.first_seen_at or now,
        "last_seen_at": now,
    }
    if changed(before, progress):
        values["last_change_at"] = now
    return values


def poll_values(before: PolledState, record: PollRecord, now: datetime) -> dict[str, Any]:
    """The columns one poll changes: a progress clears failures, an error adds one."""
    values: dict[str, Any] = {"next_poll_at": record.next_poll_at}
    if record.progress is not None:
        values.update(observed_values(before, record.progress, now))
        values.update(consecutive_failures=0, last_error_kind=None, last_error_message=None)
    if record.error_kind is not None:
        values.update(
            consecutive_failures=before.consecutive_failures + 1,
            last_error_kind=record.error_kind[:_ERROR_KIND_MAX],
            last_error_message=(record.error_message or "")[:_ERROR_MESSAGE_MAX] or None,
        )
    if record.paused is not None:
        values["paused"] = record.paused
    return values


def apply_poll(state: PolledState, record: PollRecord, now: datetime) -> PolledState:
    """The state after one poll."""
    return replace(state, **poll_values(state, record, now))
