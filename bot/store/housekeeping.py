"""Housekeeping over polled jobs and watches: run at start and hourly by the watcher."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store import seen
from bot.store.models import PolledJob, Watch
from bot.store.sql import ACTIVE, has_active_watch, rowcount


async def unpause_all(session: AsyncSession) -> int:
    """Poll paused jobs again (credentials may have been fixed: run at start); returns how many."""
    result = await session.execute(
        update(PolledJob)
        .where(PolledJob.paused.is_(True))
        .values(paused=False)
        .execution_options(synchronize_session="fetch")
    )
    return rowcount(result)


async def deactivate_orphans(session: AsyncSession) -> int:
    """Stop polling jobs that no active watch wants; returns how many."""
    result = await session.execute(
        update(PolledJob)
        .where(PolledJob.next_poll_at.is_not(None), ~has_active_watch())
        .values(next_poll_at=None)
        .execution_options(synchronize_session="fetch")
    )
    return rowcount(result)


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
    return rowcount(watches)


async def forget_seen_requests(session: AsyncSession, *, now: datetime) -> int:
    """Forget Slack requests older than Slack's signature window; returns how many."""
    return await seen.forget_before(session, before=now - seen.WINDOW)
