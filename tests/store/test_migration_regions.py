"""Migration 0006: a database with live watches gains the polled job's region, losing nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.store.migrations import keeps_live_watch

REVISION = "0006_regions"


async def _jobs_have_no_region_yet(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        regions = [tuple(r) for r in await conn.execute(text("SELECT region FROM drs_polled_jobs"))]
        # The downgrade drops the column in place, with a value in it.
        await conn.execute(text("UPDATE drs_polled_jobs SET region = 'ap-southeast-3'"))
    assert regions == [(None,)]  # an existing job belongs to the default region


async def test_sqlite_database_with_live_watches_gains_regions(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    await keeps_live_watch(url, REVISION, check=_jobs_have_no_region_yet)


async def test_postgres_database_with_live_watches_gains_regions(
    empty_pg_url: Callable[..., str],
) -> None:
    await keeps_live_watch(empty_pg_url(), REVISION, check=_jobs_have_no_region_yet)
