"""Migration 0006: a database with live watches gains the polled job's region, losing nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0006_regions"
PREVIOUS = "0004_template_uploads"

_LIVE = text(
    "SELECT w.requested_by, w.state, j.project_id, j.job_id FROM drs_watches w"
    " JOIN drs_polled_jobs j ON j.id = w.polled_job_id"
)


async def _migrate_with_live_watches(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(PREVIOUS))
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            live = [tuple(r) for r in await conn.execute(_LIVE)]
            regions = [
                tuple(r) for r in await conn.execute(text("SELECT region FROM drs_polled_jobs"))
            ]
            await conn.execute(text("UPDATE drs_polled_jobs SET region = 'ap-southeast-3'"))
        assert live == [("U", "active", "p", "j")]
        assert regions == [(None,)]  # an existing job belongs to the default region
        assert await current_revision(engine) == REVISION
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(PREVIOUS, down=True))
            kept = [tuple(r) for r in await conn.execute(_LIVE)]
        assert kept == [("U", "active", "p", "j")]  # the downgrade drops the column in place
    finally:
        await engine.dispose()


async def test_sqlite_database_with_live_watches_gains_regions(tmp_path: object) -> None:
    await _migrate_with_live_watches(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_database_with_live_watches_gains_regions(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_live_watches(empty_pg_url())
