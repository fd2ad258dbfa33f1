"""Migration 0002: a 0001 database keeps its jobs and then holds 64-bit counts and long DRS text."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.domain.progress import MAX_ROWS
from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import to_revision

LONG_STATUS = "s" * 300
LONG_RAW = "9" * 100


_INSERT = text(
    "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language, rows, rows_raw,"
    " process_status, consecutive_failures, paused, created_at)"
    " VALUES ('p', :job, '', 'en-us', :rows, :raw, :status, 0, false, CURRENT_TIMESTAMP)"
)
_SELECT = text("SELECT job_id, rows, rows_raw, process_status FROM drs_polled_jobs ORDER BY id")


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0001"))
            await conn.execute(_INSERT, {"job": "old", "rows": 5, "raw": "5", "status": "x"})
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0002"))
        assert await current_revision(engine) == "0002"
        async with engine.begin() as conn:
            big = {"job": "big", "rows": MAX_ROWS, "raw": LONG_RAW, "status": LONG_STATUS}
            await conn.execute(_INSERT, big)
            rows = [tuple(r) for r in await conn.execute(_SELECT)]
        assert rows == [("old", 5, "5", "x"), ("big", MAX_ROWS, LONG_RAW, LONG_STATUS)]
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0001", down=True))
            after = [tuple(r) for r in await conn.execute(_SELECT)]
        assert after[0] == ("old", 5, "5", "x")
        if engine.dialect.name == "postgresql":  # what no longer fits is dropped or clipped
            assert after[1] == ("big", None, LONG_RAW[:64], LONG_STATUS[:64])
    finally:
        await engine.dispose()


async def test_sqlite_0001_database_upgrades_and_keeps_its_jobs(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_0001_database_upgrades_and_keeps_its_jobs(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
