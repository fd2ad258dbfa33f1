"""Watches read back: by place, by person, by job; reads only, the caller owns the session."""

from __future__ import annotations

from typing import Final

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PolledJob, Watch
from bot.store.sql import ACTIVE


class _AnyThread:
    def __repr__(self) -> str:
        return "ANY_THREAD"


ANY_THREAD: Final = _AnyThread()
"""Thread filter meaning "the whole channel, every thread" (the default)."""

ThreadFilter = str | None | _AnyThread


def thread_clause(thread_ts: ThreadFilter) -> ColumnElement[bool] | None:
    """The WHERE clause for one thread (None: the channel itself); None for ANY_THREAD."""
    if isinstance(thread_ts, _AnyThread):
        return None
    return Watch.thread_key == (thread_ts or "")


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
    if (clause := thread_clause(thread_ts)) is not None:
        stmt = stmt.where(clause)
    return [(w, w.polled_job) for w in (await session.scalars(stmt)).all()]


async def watches_started_by(
    session: AsyncSession, *, team_id: str, user_id: str, active: bool, limit: int
) -> list[tuple[Watch, PolledJob]]:
    """One person's watches across channels: active ones oldest first, else latest ended first."""
    stmt = select(Watch).where(Watch.team_id == team_id, Watch.requested_by == user_id)
    if active:
        stmt = stmt.where(Watch.state == ACTIVE).order_by(Watch.created_at, Watch.id)
    else:
        stmt = stmt.where(Watch.state != ACTIVE).order_by(
            Watch.ended_at.desc().nulls_last(), Watch.id.desc()
        )
    stmt = stmt.limit(limit).execution_options(populate_existing=True)
    return [(w, w.polled_job) for w in (await session.scalars(stmt)).all()]


async def active_watches_for_job(session: AsyncSession, *, polled_job_id: int) -> list[Watch]:
    stmt = (
        select(Watch)
        .where(Watch.polled_job_id == polled_job_id, Watch.state == ACTIVE)
        .order_by(Watch.id)
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(stmt)).all())
