"""Repository functions over polled jobs and watches; the caller owns the transaction.

Every function takes the session first and keyword arguments after, and none commits: the
caller decides (``async with sessions.begin(): ...``). Keep transactions short: never await
DRS or Slack inside one. Datetimes are aware UTC (from the Clock).

Watches (one per Slack place and job; a place is team, channel and the request's thread):
    get_or_create_watch(...)        -> (Watch, created); race-safe; (re)activates the job
    find_active_watch(...)          -> Watch | None
    find_final_card(..., states=)   -> Watch | None   the latest ended watch here with a card
    get_watch(watch_id=)            -> Watch | None
    list_active_watches(team_id=, channel_id=, thread_ts=ANY_THREAD) -> [(Watch, PolledJob)]
    stop_watches(team_id=, channel_id=, now=, job_id=None, thread_ts=ANY_THREAD) -> [Watch]
    set_card(watch_id=, card_channel=, card_ts=, now=None)
    active_watches_for_job(polled_job_id=) -> [Watch]
    record_delivery(watch_id=, told=, now=, state=None, thread_ts=None)
    end_watch(watch_id=, state=, now=)
    delete_watch(watch_id=)                   undo a creation (e.g. the card could not be posted)
Polling (one poll per job per interval across replicas, by lease):
    claim_due(owner=, now=, lease_seconds=, limit=) -> [PolledJob]   commit soon after
    record_poll(polled_job_id=, owner=, now=, next_poll_at=, progress= | error_kind=...)
    release_lease(polled_job_id=, owner=)
    (the sweep's batched path, in plain rows, is bot.store.polls)
Housekeeping:
    unpause_all() -> int, deactivate_orphans() -> int, purge_ended(before=) -> int

A job whose last active watch ends gets ``next_poll_at = NULL``: nobody polls it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progress import Progress
from bot.domain.states import WatchState
from bot.errors import StoreError
from bot.store.models import WATCH_STATES, PolledJob, Watch
from bot.store.polls import PollRecord, changed, poll_values

ACTIVE: Final = WatchState.ACTIVE.value


class _AnyThread:
    def __repr__(self) -> str:
        return "ANY_THREAD"


ANY_THREAD: Final = _AnyThread()
"""Thread filter meaning "the whole channel, every thread" (the default)."""

ThreadFilter = str | None | _AnyThread


class LeaseLost(StoreError):
    """Another process took this job's lease (ours expired): drop this poll's result."""


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _insert(session: AsyncSession, model: type[Any]) -> Any:
    # Both dialects speak ON CONFLICT DO NOTHING, which makes create-or-get race-safe
    # without savepoints (the pysqlite driver does not nest transactions reliably).
    return pg_insert(model) if _dialect(session) == "postgresql" else sqlite_insert(model)


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def _thread_clause(thread_ts: ThreadFilter) -> ColumnElement[bool] | None:
    if isinstance(thread_ts, _AnyThread):
        return None
    return Watch.thread_key == (thread_ts or "")


def _has_active_watch() -> ColumnElement[bool]:
    return exists().where(Watch.polled_job_id == PolledJob.id, Watch.state == ACTIVE)


async def _join(session: AsyncSession, watch: Watch, user: str, now: datetime) -> Watch:
    if not user or user == watch.requested_by or user in watch.joined_by:
        return watch
    # Read-modify-write of a JSON list: write first so the row is locked (PostgreSQL) or the
    # database write-locked (SQLite), then re-read, so concurrent joins are not lost.
    await session.execute(
        update(Watch)
        .where(Watch.id == watch.id)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    fresh = await session.get(Watch, watch.id, populate_existing=True)
    assert fresh is not None
    if user not in fresh.joined_by:
        fresh.joined_by = [*fresh.joined_by, user]  # replaced, not mutated: JSON is untracked
    await session.flush()
    return fresh


async def _idle_unwatched(session: AsyncSession, polled_job_ids: set[int]) -> None:
    if polled_job_ids:
        await session.execute(
            update(PolledJob)
            .where(PolledJob.id.in_(polled_job_ids), ~_has_active_watch())
            .values(next_poll_at=None)
            .execution_options(synchronize_session="fetch")
        )


# ---- watches -----------------------------------------------------------------------------


async def find_active_watch(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    thread_ts: str | None,
    project_id: str,
    job_id: str,
    job_type: str | None,
) -> Watch | None:
    """The active watch of this job in this place (thread_ts None = the channel itself)."""
    stmt = (
        select(Watch)
        .join(Watch.polled_job)
        .where(
            Watch.team_id == team_id,
            Watch.channel_id == channel_id,
            Watch.thread_key == (thread_ts or ""),
            Watch.state == ACTIVE,
            PolledJob.project_id == project_id,
            PolledJob.job_id == job_id,
            PolledJob.query_type == (job_type or ""),
        )
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).first()


async def find_final_card(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    thread_ts: str | None,
    project_id: str,
    job_id: str,
    job_type: str | None,
    states: tuple[str, ...],
) -> Watch | None:
    """The latest watch of this job in this place that ended in one of `states`, with a card."""
    stmt = (
        select(Watch)
        .join(Watch.polled_job)
        .where(
            Watch.team_id == team_id,
            Watch.channel_id == channel_id,
            Watch.thread_key == (thread_ts or ""),
            Watch.state.in_(states),
            Watch.card_ts.is_not(None),
            PolledJob.project_id == project_id,
            PolledJob.job_id == job_id,
            PolledJob.query_type == (job_type or ""),
        )
        .order_by(Watch.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).first()


async def _polled_job(
    session: AsyncSession,
    *,
    project_id: str,
    job_id: str,
    query_type: str,
    language: str,
    now: datetime,
) -> PolledJob:
    await session.execute(
        _insert(session, PolledJob)
        .values(
            project_id=project_id,
            job_id=job_id,
            query_type=query_type,
            language=language,
            created_at=now,
            consecutive_failures=0,
            paused=False,
        )
        .on_conflict_do_nothing()
    )
    stmt = (
        select(PolledJob)
        .where(
            PolledJob.project_id == project_id,
            PolledJob.job_id == job_id,
            PolledJob.query_type == query_type,
        )
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one()


async def get_or_create_watch(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    thread_ts: str | None,
    project_id: str,
    job_id: str,
    job_type: str | None,
    language: str,
    requested_by: str,
    now: datetime,
    expires_at: datetime,
    card_channel: str | None = None,
    card_ts: str | None = None,
    first_poll_at: datetime | None = None,
) -> tuple[Watch, bool]:
    """Watch `job_id` in this place; returns (watch, created).

    An active watch of the same job in the same place is returned instead (someone else
    asking is added to `joined_by`). The polled job is created, or re-activated with
    `next_poll_at = first_poll_at or now` when nothing polled it. Two concurrent calls for one
    place end with one watch.
    """

    async def _existing() -> Watch | None:
        return await find_active_watch(
            session,
            team_id=team_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            project_id=project_id,
            job_id=job_id,
            job_type=job_type,
        )

    existing = await _existing()
    if existing is not None:
        return await _join(session, existing, requested_by, now), False

    job = await _polled_job(
        session,
        project_id=project_id,
        job_id=job_id,
        query_type=job_type or "",
        language=language,
        now=now,
    )
    if job.next_poll_at is None:
        job.next_poll_at = first_poll_at or now
        await session.flush()
    new_id = (
        await session.execute(
            _insert(session, Watch)
            .values(
                polled_job_id=job.id,
                team_id=team_id,
                channel_id=channel_id,
                thread_key=thread_ts or "",
                thread_ts=thread_ts,
                card_channel=card_channel,
                card_ts=card_ts,
                requested_by=requested_by,
                joined_by=[],
                created_at=now,
                expires_at=expires_at,
                state=ACTIVE,
                job_type=job_type or "",
                language=language,
                told={},
                updated_at=now,
            )
            .on_conflict_do_nothing()
            .returning(Watch.id)
        )
    ).scalar_one_or_none()
    if new_id is None:  # another request created it between our select and insert
        existing = await _existing()
        if existing is None:  # pragma: no cover - the conflicting row must be visible now
            raise StoreError("could not create or find the watch; try again.")
        return await _join(session, existing, requested_by, now), False
    watch = await session.get(Watch, new_id, populate_existing=True)
    assert watch is not None
    return watch, True


async def get_watch(session: AsyncSession, *, watch_id: int) -> Watch | None:
    return await session.get(Watch, watch_id, populate_existing=True)


async def list_active_watches(
    session: AsyncSession, *, team_id: str, channel_id: str, thread_ts: ThreadFilter = ANY_THREAD
) -> list[tuple[Watch, PolledJob]]:
    """A channel's active watches (oldest first), or one thread's when `thread_ts` is given."""
    stmt = (
        select(Watch)
        .where(Watch.team_id == team_id, Watch.channel_id == channel_id, Watch.state == ACTIVE)
        .order_by(Watch.created_at, Watch.id)
        .execution_options(populate_existing=True)
    )
    if (clause := _thread_clause(thread_ts)) is not None:
        stmt = stmt.where(clause)
    return [(w, w.polled_job) for w in (await session.scalars(stmt)).all()]


async def stop_watches(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    now: datetime,
    job_id: str | None = None,
    thread_ts: ThreadFilter = ANY_THREAD,
) -> list[Watch]:
    """Stop the channel's active watches (of `job_id` only, in one thread only, when given)."""
    stmt = (
        select(Watch)
        .join(Watch.polled_job)
        .where(Watch.team_id == team_id, Watch.channel_id == channel_id, Watch.state == ACTIVE)
        .order_by(Watch.created_at, Watch.id)
        .execution_options(populate_existing=True)
    )
    if job_id is not None:
        stmt = stmt.where(PolledJob.job_id == job_id)
    if (clause := _thread_clause(thread_ts)) is not None:
        stmt = stmt.where(clause)
    watches = list((await session.scalars(stmt)).unique().all())
    for watch in watches:
        watch.state = WatchState.STOPPED.value
        watch.ended_at = now
        watch.updated_at = now
    await session.flush()
    await _idle_unwatched(session, {w.polled_job_id for w in watches})
    return watches


async def set_card(
    session: AsyncSession,
    *,
    watch_id: int,
    card_channel: str,
    card_ts: str,
    now: datetime | None = None,
) -> None:
    """Remember the card that is edited in place for this watch."""
    values: dict[str, Any] = {"card_channel": card_channel, "card_ts": card_ts}
    if now is not None:
        values["updated_at"] = now
    await session.execute(
        update(Watch)
        .where(Watch.id == watch_id)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )


async def active_watches_for_job(session: AsyncSession, *, polled_job_id: int) -> list[Watch]:
    stmt = (
        select(Watch)
        .where(Watch.polled_job_id == polled_job_id, Watch.state == ACTIVE)
        .order_by(Watch.id)
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(stmt)).all())


def _check_state(state: str) -> str:
    if state not in WATCH_STATES:
        raise ValueError(f"unknown watch state {state!r}; one of {', '.join(WATCH_STATES)}")
    return state


async def record_delivery(
    session: AsyncSession,
    *,
    watch_id: int,
    told: dict[str, Any],
    now: datetime,
    state: str | None = None,
    thread_ts: str | None = None,
) -> None:
    """After Slack accepted a message: store what this watch was told (and where replies go).

    A `state` other than active ends the watch (ended_at = now) unless it already ended; an
    ended watch keeps its first end state (a stop is not turned into a success).
    """
    watch = await session.get(Watch, watch_id, populate_existing=True)
    if watch is None:
        raise StoreError(f"watch {watch_id} does not exist")
    watch.told = dict(told)
    watch.updated_at = now
    if thread_ts is not None:
        watch.thread_ts = thread_ts
    if state is not None and _check_state(state) != ACTIVE and watch.active:
        watch.state = state
        watch.ended_at = now
    await session.flush()
    if not watch.active:
        await _idle_unwatched(session, {watch.polled_job_id})


async def end_watch(session: AsyncSession, *, watch_id: int, state: str, now: datetime) -> None:
    """End an active watch with `state` (expired, undeliverable, ...); ended ones stay ended."""
    if _check_state(state) == ACTIVE:
        raise ValueError("end_watch needs a final state, not active")
    watch = await session.get(Watch, watch_id, populate_existing=True)
    if watch is None or not watch.active:
        return
    watch.state = state
    watch.ended_at = now
    watch.updated_at = now
    await session.flush()
    await _idle_unwatched(session, {watch.polled_job_id})


async def delete_watch(session: AsyncSession, *, watch_id: int) -> None:
    """Remove a watch outright (a creation undone); its job stops being polled if orphaned."""
    watch = await session.get(Watch, watch_id, populate_existing=True)
    if watch is None:
        return
    job_id = watch.polled_job_id
    await session.delete(watch)
    await session.flush()
    await _idle_unwatched(session, {job_id})


# ---- polling -----------------------------------------------------------------------------


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        PolledJob.next_poll_at.is_not(None),
        PolledJob.next_poll_at <= now,
        PolledJob.paused.is_(False),
        or_(
            PolledJob.lease_owner.is_(None),
            PolledJob.lease_expires_at.is_(None),
            PolledJob.lease_expires_at <= now,
        ),
    )


async def claim_due(
    session: AsyncSession, *, owner: str, now: datetime, lease_seconds: float, limit: int
) -> list[PolledJob]:
    """Lease up to `limit` due jobs (earliest first) to `owner` until now + lease_seconds.

    Due: next_poll_at <= now, not paused, and no lease or an expired one (a crashed
    process's claims are taken over). PostgreSQL skips rows other claimers have locked
    (FOR UPDATE SKIP LOCKED); the conditional UPDATE makes SQLite exact within one process.
    Commit right after, so other replicas see the leases.
    """
    if limit <= 0:
        return []
    pick = select(PolledJob.id).where(_due(now)).order_by(PolledJob.next_poll_at, PolledJob.id)
    pick = pick.limit(limit)
    if _dialect(session) == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list((await session.scalars(pick)).all())
    if not ids:
        return []
    stmt = (
        update(PolledJob)
        .where(PolledJob.id.in_(ids), _due(now))
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
        .returning(PolledJob)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    claimed = list((await session.scalars(stmt)).all())
    return sorted(claimed, key=lambda j: (j.next_poll_at or now, j.id))


async def record_poll(
    session: AsyncSession,
    *,
    polled_job_id: int,
    owner: str,
    now: datetime,
    next_poll_at: datetime | None,
    progress: Progress | None = None,
    error_kind: str | None = None,
    error_message: str | None = None,
    paused: bool | None = None,
) -> PolledJob:
    """Store one poll's outcome (a progress, or an error kind and message) and the next poll.

    `last_change_at` moves only when phase, status, upload flag or row count changed. A
    progress clears the failure count; an error adds one. The lease is kept (see
    `release_lease`). Raises LeaseLost when `owner` no longer holds the lease.
    """
    job = await session.get(PolledJob, polled_job_id, populate_existing=True)
    if job is None or job.lease_owner != owner:
        raise LeaseLost(f"polled job {polled_job_id} is not leased to {owner}")
    record = PollRecord(
        polled_job_id, next_poll_at, progress, error_kind, error_message, paused=paused
    )
    stmt = (
        update(PolledJob)
        .where(PolledJob.id == polled_job_id, PolledJob.lease_owner == owner)
        .values(**poll_values(job, record, now))
        .returning(PolledJob)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    updated = (await session.scalars(stmt)).one_or_none()
    if updated is None:  # the lease moved between our read and our write
        raise LeaseLost(f"polled job {polled_job_id} is not leased to {owner}")
    return updated


async def release_lease(session: AsyncSession, *, polled_job_id: int, owner: str) -> None:
    """Give the lease back (only when `owner` still holds it)."""
    await session.execute(
        update(PolledJob)
        .where(PolledJob.id == polled_job_id, PolledJob.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session="fetch")
    )


# ---- housekeeping ------------------------------------------------------------------------


async def unpause_all(session: AsyncSession) -> int:
    """Poll paused jobs again (credentials may have been fixed: run at start); returns how many."""
    result = await session.execute(
        update(PolledJob)
        .where(PolledJob.paused.is_(True))
        .values(paused=False)
        .execution_options(synchronize_session="fetch")
    )
    return _rowcount(result)


async def deactivate_orphans(session: AsyncSession) -> int:
    """Stop polling jobs that no active watch wants; returns how many."""
    result = await session.execute(
        update(PolledJob)
        .where(PolledJob.next_poll_at.is_not(None), ~_has_active_watch())
        .values(next_poll_at=None)
        .execution_options(synchronize_session="fetch")
    )
    return _rowcount(result)


async def purge_ended(session: AsyncSession, *, before: datetime) -> int:
    """Delete watches that ended before `before`, then polled jobs nobody refers to.

    Returns the number of watches deleted.
    """
    watches = await session.execute(
        delete(Watch)
        .where(Watch.state != ACTIVE, Watch.ended_at.is_not(None), Watch.ended_at < before)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(PolledJob)
        .where(
            ~exists().where(Watch.polled_job_id == PolledJob.id),
            PolledJob.next_poll_at.is_(None),
            PolledJob.lease_owner.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(watches)


async def note_progress(
    session: AsyncSession, *, polled_job_id: int, progress: Progress, now: datetime
) -> None:
    """Keep a progress seen outside the sweep (a new watch, Refresh) when it is the newest.

    Polling state (failures, next poll, lease) is the sweep's and stays as it is.
    """
    job = await session.get(PolledJob, polled_job_id, populate_existing=True)
    if job is None or (job.observed_at is not None and job.observed_at >= progress.observed_at):
        return
    if changed(job, progress):
        job.last_change_at = now
    job.send_success = progress.send_success
    job.process_status = progress.process_status
    job.rows = progress.parsed_success_number
    job.rows_raw = (progress.parsed_success_raw or None) and progress.parsed_success_raw[:64]
    job.observed_at = progress.observed_at
    job.first_seen_at = job.first_seen_at or now
    job.last_seen_at = now
    await session.flush()
