"""Counts of watches for GET /metrics: one grouped query each, bounded whatever the load."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PolledJob, Watch
from bot.store.sql import ACTIVE

# How an active watch's job is doing: polled, failing (backing off), paused (refused credentials).
ACTIVE_STATES = ("polling", "failing", "paused")


async def watches_by_state(session: AsyncSession) -> dict[str, int]:
    """Stored watches (active, and ended ones until housekeeping purges them) by state."""
    rows = await session.execute(select(Watch.state, func.count()).group_by(Watch.state))
    return {str(state): int(count) for state, count in rows}


async def active_watches_by_state(session: AsyncSession) -> dict[str, int]:
    """Active watches by what their job's polling is doing; every state present, zero or not."""
    kind = case(
        (PolledJob.paused.is_(True), "paused"),
        (PolledJob.consecutive_failures > 0, "failing"),
        else_="polling",
    )
    rows = await session.execute(
        select(kind, func.count())
        .select_from(Watch)
        .join(Watch.polled_job)
        .where(Watch.state == ACTIVE)
        .group_by(kind)
    )
    counts = dict.fromkeys(ACTIVE_STATES, 0)
    counts.update({str(state): int(count) for state, count in rows})
    return counts
