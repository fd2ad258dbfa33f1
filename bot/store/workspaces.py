"""A workspace (or a whole Enterprise Grid org) uninstalled: its active watches end, unposted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import WatchState
from bot.store.models import Watch
from bot.store.sql import ACTIVE, idle_unwatched


def workspace_clause(
    *, team_id: str | None, enterprise_id: str | None, whole_org: bool
) -> ColumnElement[bool]:
    """The watches of one workspace, or of every workspace of an org (`whole_org`)."""
    if whole_org and enterprise_id:
        return Watch.enterprise_id == enterprise_id
    return Watch.team_id == (team_id or "")


async def end_workspace_watches(
    session: AsyncSession,
    *,
    team_id: str | None,
    enterprise_id: str | None,
    whole_org: bool,
    now: datetime,
) -> list[int]:
    """End the workspace's active watches as undeliverable; their ids (nothing is posted)."""
    where = workspace_clause(team_id=team_id, enterprise_id=enterprise_id, whole_org=whole_org)
    stmt = (
        select(Watch)
        .where(where, Watch.state == ACTIVE)
        .order_by(Watch.id)
        .execution_options(populate_existing=True)
    )
    watches = list((await session.scalars(stmt)).unique().all())
    for watch in watches:
        watch.state = WatchState.UNDELIVERABLE.value
        watch.ended_at = now
        watch.updated_at = now
    await session.flush()
    await idle_unwatched(session, {w.polled_job_id for w in watches})
    return [w.id for w in watches]
