"""SQL pieces the store modules share: the dialect, race-safe inserts, the active-watch test."""

from __future__ import annotations

from typing import Any, Final, cast

from sqlalchemy import ColumnElement, exists, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import WatchState
from bot.store.models import PolledJob, Watch

ACTIVE: Final = WatchState.ACTIVE.value


def dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def insert(session: AsyncSession, model: type[Any]) -> Any:
    """An INSERT that can say ON CONFLICT DO NOTHING on either database."""
    # Both dialects speak it, which makes create-or-get race-safe without savepoints (the
    # pysqlite driver does not nest transactions reliably).
    return pg_insert(model) if dialect(session) == "postgresql" else sqlite_insert(model)


def rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def has_active_watch() -> ColumnElement[bool]:
    """True for a polled job that some active watch still wants."""
    return exists().where(Watch.polled_job_id == PolledJob.id, Watch.state == ACTIVE)


async def idle_unwatched(session: AsyncSession, polled_job_ids: set[int]) -> None:
    """Stop polling those of these jobs that no active watch wants any more."""
    if polled_job_ids:
        await session.execute(
            update(PolledJob)
            .where(PolledJob.id.in_(polled_job_ids), ~has_active_watch())
            .values(next_poll_at=None)
            .execution_options(synchronize_session="fetch")
        )
