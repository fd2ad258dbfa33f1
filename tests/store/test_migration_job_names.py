"""Migration 0003: a 0002 database keeps its jobs, whose name and engines start unknown."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import to_revision

_INSERT = text(
    "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language, rows,"
    " consecutive_failures, paused, created_at)"
    " VALUES ('p', :job, '', 'en-us', 7, 0, false, CURRENT_TIMESTAMP)"
)
_SELECT = text("SELECT job_id, rows, job_name, engine_type, job_direction FROM drs_polled_jobs")
_NAME = text("UPDATE drs_polled_jobs SET job_name = :name, engine_type = 'mysql-to-kafka'")


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0002"))
            await conn.execute(_INSERT, {"job": "old"})
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0003_job_names"))
        assert await current_revision(engine) == "0003_job_names"
        async with engine.begin() as conn:
            assert [tuple(r) for r in await conn.execute(_SELECT)] == [("old", 7, None, None, None)]
            await conn.execute(_NAME, {"name": "<!channel> *x*"})
            named = [tuple(r) for r in await conn.execute(_SELECT)]
        assert named == [("old", 7, "<!channel> *x*", "mysql-to-kafka", None)]
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0002", down=True))
            rows = [
                tuple(r)
                for r in await conn.execute(text("SELECT job_id, rows FROM drs_polled_jobs"))
            ]
        assert rows == [("old", 7)]
    finally:
        await engine.dispose()


async def test_sqlite_0002_database_gains_unknown_job_names(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_0002_database_gains_unknown_job_names(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
