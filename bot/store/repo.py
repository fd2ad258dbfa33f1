"""Watches: one per Slack place and job, and what each was last told; the caller commits.

Every function takes the session first and keyword arguments after, and none commits: the
caller decides (``async with sessions.begin(): ...``). Keep transactions short: never await
DRS or Slack inside one. Datetimes are aware UTC (from the Clock). A place is team, channel
and the request's thread. The reads live in `bot.store.lookups` and are re-exported here.
Polling a watched job is `bot.store.leases`'s; housekeeping is `bot.store.housekeeping`'s.

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

A job whose last active watch ends gets ``next_poll_at = NULL``: nobody polls it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import WatchState
from bot.errors import StoreError
from bot.store import upserts
from bot.store.leases import note_progress as note_progress  # a listener's progress: one writer
from bot.store.lookups import ANY_THREAD as ANY_THREAD
from bot.store.lookups import ThreadFilter as ThreadFilter
from bot.store.lookups import active_watches_for_job as active_watches_for_job
from bot.store.lookups import find_active_watch as find_active_watch
from bot.store.lookups import find_final_card as find_final_card
from bot.store.lookups import get_watch as get_watch
from bot.store.lookups import list_active_watches as list_active_watches
from bot.store.lookups import thread_clause
from bot.store.lookups import watches_started_by as watches_started_by
from bot.store.models import WATCH_STATES, PolledJob, Watch
from bot.store.sql import ACTIVE, idle_unwatched


async def _insert_watch(
    session: AsyncSession,
    place: dict[str, Any],
    *,
    language: str,
    requested_by: str,
    now: datetime,
    expires_at: datetime,
    card_channel: str | None,
    card_ts: str | None,
    first_poll_at: datetime | None,
    enterprise_id: str | None = None,
    region: str | None = None,
) -> int | None:
    """Upsert the polled job and insert the watch; None when a concurrent insert won the place."""
    job_type, thread_ts = place["job_type"], place["thread_ts"]
    job = await upserts.polled_job(
        session,
        project_id=place["project_id"],
        job_id=place["job_id"],
        query_type=job_type or "",
        language=language,
        now=now,
        first_poll_at=first_poll_at,
        region=region,
    )
    return await upserts.insert_watch(
        session,
        polled_job_id=job.id,
        team_id=place["team_id"],
        channel_id=place["channel_id"],
        thread_ts=thread_ts,
        thread_key=thread_ts or "",
        card_channel=card_channel,
        card_ts=card_ts,
        requested_by=requested_by,
        created_at=now,
        expires_at=expires_at,
        job_type=job_type or "",
        language=language,
        updated_at=now,
        enterprise_id=enterprise_id,
    )


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
    enterprise_id: str | None = None,
    region: str | None = None,
) -> tuple[Watch, bool]:
    """Watch `job_id` in this place; returns (watch, created).

    An active watch of the same job in the same place is returned instead (someone else
    asking is added to `joined_by`). The polled job is created, or re-activated with
    `next_poll_at = first_poll_at or now` when nothing polled it. Two concurrent calls for one
    place end with one watch.
    """
    place: dict[str, Any] = {
        "team_id": team_id,
        "channel_id": channel_id,
        "thread_ts": thread_ts,
        "project_id": project_id,
        "job_id": job_id,
        "job_type": job_type,
    }
    existing = await find_active_watch(session, **place)
    if existing is None:
        new_id = await _insert_watch(
            session,
            place,
            language=language,
            requested_by=requested_by,
            now=now,
            expires_at=expires_at,
            card_channel=card_channel,
            card_ts=card_ts,
            first_poll_at=first_poll_at,
            enterprise_id=enterprise_id,
            region=region,
        )
        if new_id is not None:
            watch = await session.get(Watch, new_id, populate_existing=True)
            assert watch is not None
            return watch, True
        # Another request created it between our select and our insert.
        existing = await find_active_watch(session, **place)
        if existing is None:  # pragma: no cover - the conflicting row must be visible now
            raise StoreError("could not create or find the watch; try again.").with_key(
                "store.watch_race"
            )
    return await upserts.join(session, existing, requested_by, now), False


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
    if (clause := thread_clause(thread_ts)) is not None:
        stmt = stmt.where(clause)
    watches = list((await session.scalars(stmt)).unique().all())
    for watch in watches:
        watch.state = WatchState.STOPPED.value
        watch.ended_at = now
        watch.updated_at = now
    await session.flush()
    await idle_unwatched(session, {w.polled_job_id for w in watches})
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
        raise StoreError(f"watch {watch_id} does not exist").with_key(
            "store.no_watch", watch_id=watch_id
        )
    watch.told = dict(told)
    watch.updated_at = now
    if thread_ts is not None:
        watch.thread_ts = thread_ts
    if state is not None and _check_state(state) != ACTIVE and watch.active:
        watch.state = state
        watch.ended_at = now
    await session.flush()
    if not watch.active:
        await idle_unwatched(session, {watch.polled_job_id})


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
    await idle_unwatched(session, {watch.polled_job_id})


async def delete_watch(session: AsyncSession, *, watch_id: int) -> None:
    """Remove a watch outright (a creation undone); its job stops being polled if orphaned."""
    watch = await session.get(Watch, watch_id, populate_existing=True)
    if watch is None:
        return
    job_id = watch.polled_job_id
    await session.delete(watch)
    await session.flush()
    await idle_unwatched(session, {job_id})
