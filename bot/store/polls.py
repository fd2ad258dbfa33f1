"""The sweep's hot path in plain rows: batched reads and one executemany write per batch.

Hundreds of polls a second go through here, so it skips the ORM's unit of work: rows come
back as small frozen values, the new state of every job is computed in Python
(`apply_poll`), and one UPDATE per batch stores them. The caller owns the transaction:

    states = await leased_states(session, owner=..., ids=[...])   # locked on PostgreSQL
    new = {i: apply_poll(states[i], record, now) for ...}           # pure
    views = await watch_views(session, polled_job_ids=[...])        # what each watch was told
    await save_states(session, owner=..., states=[...], release=set_of_ids)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Boolean, Table, bindparam, case, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progress import Phase, Progress, derive_phase
from bot.domain.states import WatchState
from bot.store.models import PolledJob, Watch, stored_progress

_ERROR_KIND_MAX = 64
_ERROR_MESSAGE_MAX = 2000


@dataclass(frozen=True, slots=True)
class PollRecord:
    """One poll's outcome: a progress, or an error kind and message."""

    polled_job_id: int
    next_poll_at: datetime | None
    progress: Progress | None = None
    error_kind: str | None = None
    error_message: str | None = None
    paused: bool | None = None


@dataclass(frozen=True, slots=True)
class PolledState:
    """A polled job's polling state as plain values (what the sweep reads and writes)."""

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


_STATE_COLUMNS = [getattr(PolledJob, name) for name in PolledState.__slots__]
# Everything `save_states` writes (the key and the job ID never change).
_WRITTEN = [name for name in PolledState.__slots__ if name not in ("id", "job_id")]


def changed(before: PolledState | PolledJob, progress: Progress) -> bool:
    """Whether a progress differs from the stored one in what users see (stall detection)."""
    if before.observed_at is None:
        return True
    return (before.phase, before.process_status, before.send_success, before.rows) != (
        progress.phase,
        progress.process_status,
        progress.send_success,
        progress.parsed_success_number,
    )


def poll_values(
    before: PolledState | PolledJob, record: PollRecord, now: datetime
) -> dict[str, Any]:
    """The columns one poll changes: a progress clears failures, an error adds one."""
    values: dict[str, Any] = {"next_poll_at": record.next_poll_at}
    progress = record.progress
    if progress is not None:
        if changed(before, progress):
            values["last_change_at"] = now
        raw = progress.parsed_success_raw
        values.update(
            send_success=progress.send_success,
            process_status=progress.process_status,
            rows=progress.parsed_success_number,
            rows_raw=raw[:64] if raw else None,
            observed_at=progress.observed_at,
            first_seen_at=before.first_seen_at or now,
            last_seen_at=now,
            consecutive_failures=0,
            last_error_kind=None,
            last_error_message=None,
        )
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
    """The state after one poll (pure)."""
    return replace(state, **poll_values(state, record, now))


async def leased_states(
    session: AsyncSession, *, owner: str, ids: Sequence[int]
) -> dict[int, PolledState]:
    """The states of the jobs among `ids` still leased to `owner`; PostgreSQL locks them."""
    if not ids:
        return {}
    stmt = select(*_STATE_COLUMNS).where(PolledJob.id.in_(ids), PolledJob.lease_owner == owner)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    result = await session.execute(stmt)
    return {row.id: PolledState(*row) for row in result}


async def save_states(
    session: AsyncSession, *, owner: str, states: Iterable[PolledState], release: set[int]
) -> None:
    """Write many states in one executemany; give back the leases of the `release` ids."""
    params = []
    for state in states:
        values = {name: getattr(state, name) for name in _WRITTEN}
        values["b_id"] = state.id
        values["b_owner"] = owner
        keep = state.id not in release
        values["lease_owner"] = owner if keep else None
        values["keep_lease"] = keep
        params.append(values)
    if not params:
        return
    table = cast(Table, PolledJob.__table__)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.lease_owner == bindparam("b_owner"))
        .values(
            {
                **{name: bindparam(name, type_=table.c[name].type) for name in _WRITTEN},
                "lease_owner": bindparam("lease_owner", type_=table.c.lease_owner.type),
                # kept leases keep their expiry; released ones lose it
                "lease_expires_at": case(
                    (bindparam("keep_lease", type_=Boolean), table.c.lease_expires_at),
                    else_=null(),
                ),
            }
        )
    )
    # Core, on the session's connection: an executemany, not the ORM's bulk-update mode
    connection = await session.connection()
    await connection.execute(stmt, params)


@dataclass(frozen=True, slots=True)
class WatchView:
    """What the policy needs of one active watch."""

    id: int
    polled_job_id: int
    card_ts: str | None
    told: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    requested_by: str
    joined_by: list[str]
    team_id: str
    channel_id: str
    thread_key: str  # "" for the channel itself


_VIEW_COLUMNS = [getattr(Watch, name) for name in WatchView.__slots__]


async def watch_views(
    session: AsyncSession, *, polled_job_ids: Sequence[int]
) -> dict[int, list[WatchView]]:
    """The active watches of several jobs, by polled job id (oldest watch first)."""
    found: dict[int, list[WatchView]] = {i: [] for i in polled_job_ids}
    if not found:
        return found
    stmt = (
        select(*_VIEW_COLUMNS)
        .where(Watch.polled_job_id.in_(list(found)), Watch.state == WatchState.ACTIVE.value)
        .order_by(Watch.id)
    )
    for row in await session.execute(stmt):
        view = WatchView(*row)
        found[view.polled_job_id].append(view)
    return found
