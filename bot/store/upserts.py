"""Race-safe creation for `repo`: insert ON CONFLICT DO NOTHING, then read back what won.

Two requests for one place may run at once (a double-clicked command, two replicas); each
helper ends with the one row whichever of them inserted it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PolledJob, Watch
from bot.store.sql import ACTIVE, insert


async def polled_job(
    session: AsyncSession,
    *,
    project_id: str,
    job_id: str,
    query_type: str,
    language: str,
    now: datetime,
    first_poll_at: datetime | None,
    region: str | None = None,
) -> PolledJob:
    """The job's polled row, created if new; polled from `first_poll_at or now` if idle."""
    await session.execute(
        insert(session, PolledJob)
        .values(
            project_id=project_id,
            region=region,
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
    job = (await session.scalars(stmt)).one()
    if job.next_poll_at is None:
        job.next_poll_at = first_poll_at or now
        await session.flush()
    return job


async def insert_watch(session: AsyncSession, **row: Any) -> int | None:
    """Insert an active watch; None when one is already active in that place (a race lost)."""
    stmt = (
        insert(session, Watch)
        .values(**row, state=ACTIVE, joined_by=[], told={})
        .on_conflict_do_nothing()
        .returning(Watch.id)
    )
    new_id: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return new_id


async def join(session: AsyncSession, watch: Watch, user: str, now: datetime) -> Watch:
    """Add `user` to an existing watch's askers (once; concurrent joins are all kept)."""
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
