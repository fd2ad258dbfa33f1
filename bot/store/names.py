"""A polled job's name, engines and direction (DRS's job details): stored, and asked for again.

The name is asked for once when a watch starts; when that fails, the sweep asks again for
jobs still unnamed, at most once per `retry_after` (a claim on `details_asked_at`, so two
replicas never ask for the same job at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.details import JobDetails
from bot.store.models import PolledJob


def apply_details(job: PolledJob, details: JobDetails | None, now: datetime) -> None:
    """Note that the details were asked for now and keep what DRS said (never forget a name)."""
    job.details_asked_at = now
    if details is None:
        return
    job.job_name = details.name or job.job_name
    job.engine_type = details.engine_type or job.engine_type
    job.job_direction = details.job_direction or job.job_direction


async def store_details(
    session: AsyncSession, *, polled_job_id: int, details: JobDetails, now: datetime
) -> None:
    """Store what the details API said about a job (the fields it left out stay as they were)."""
    values: dict[str, object] = {"details_asked_at": now}
    for column, value in (
        ("job_name", details.name),
        ("engine_type", details.engine_type),
        ("job_direction", details.job_direction),
    ):
        if value is not None:
            values[column] = value
    await session.execute(
        update(PolledJob)
        .where(PolledJob.id == polled_job_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def known_details(
    session: AsyncSession, *, project_id: str, job_id: str
) -> JobDetails | None:
    """What is stored about a job's name and engines (any query type), or None."""
    row = (
        await session.execute(
            select(PolledJob.job_name, PolledJob.engine_type, PolledJob.job_direction)
            .where(
                PolledJob.project_id == project_id,
                PolledJob.job_id == job_id,
                PolledJob.job_name.is_not(None),
            )
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return JobDetails(job_id, name=row[0], engine_type=row[1], job_direction=row[2])


def _ask_again(now: datetime, retry_after: timedelta) -> ColumnElement[bool]:
    return or_(
        PolledJob.details_asked_at.is_(None), PolledJob.details_asked_at <= now - retry_after
    )


async def claim_unnamed(
    session: AsyncSession, *, now: datetime, retry_after: timedelta, limit: int
) -> Sequence[tuple[int, str, str | None, str]]:
    """(id, job_id, region, project_id) of polled, unnamed jobs not asked about lately, each
    marked as asked now."""
    picked = (
        await session.execute(
            select(PolledJob.id, PolledJob.job_id, PolledJob.region, PolledJob.project_id)
            .where(
                PolledJob.job_name.is_(None),
                PolledJob.next_poll_at.is_not(None),
                PolledJob.paused.is_(False),
                _ask_again(now, retry_after),
            )
            .order_by(PolledJob.id)
            .limit(limit)
        )
    ).all()
    claimed: list[tuple[int, str, str | None, str]] = []
    for polled_job_id, job_id, region, project_id in picked:
        taken = await session.execute(
            update(PolledJob)
            .where(PolledJob.id == polled_job_id, _ask_again(now, retry_after))
            .values(details_asked_at=now)
            .returning(PolledJob.id)
            .execution_options(synchronize_session=False)
        )
        if taken.first() is not None:
            claimed.append((polled_job_id, job_id, region, project_id))
    return claimed
