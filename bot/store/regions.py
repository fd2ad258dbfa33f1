"""Where a job was found before: the region stored with its polled rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PolledJob


async def regions_of_job(session: AsyncSession, *, job_id: str) -> list[tuple[str, str | None]]:
    """(project ID, region) of every polled row of `job_id`, newest first."""
    stmt = (
        select(PolledJob.project_id, PolledJob.region)
        .where(PolledJob.job_id == job_id)
        .order_by(PolledJob.id.desc())
    )
    return [(row[0], row[1]) for row in await session.execute(stmt)]
