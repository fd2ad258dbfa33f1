"""Migration 0005: a database holding live watches gains channel settings and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import to_revision

REVISION = "0005_channel_settings"

_JOB = text(
    "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language,"
    " consecutive_failures, paused, created_at)"
    " VALUES ('p', 'j', '', 'en-us', 0, false, CURRENT_TIMESTAMP)"
)
_WATCH = text(
    "INSERT INTO drs_watches (polled_job_id, team_id, channel_id, thread_key, requested_by,"
    " joined_by, created_at, expires_at, state, job_type, language, told, updated_at)"
    " VALUES (1, 'T', 'C', '', 'U', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'active', '',"
    " 'en-us', '{}', CURRENT_TIMESTAMP)"
)
_SETTING = text(
    "INSERT INTO drs_channel_settings (team_id, channel_id, language, region, updated_by,"
    " updated_at) VALUES ('T', 'C', :language, NULL, 'U', CURRENT_TIMESTAMP)"
)
_WATCHES = text("SELECT requested_by, state, language FROM drs_watches")


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0004_template_uploads"))
            await conn.execute(_JOB)
            await conn.execute(_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            watches = [tuple(r) for r in await conn.execute(_WATCHES)]
            await conn.execute(_SETTING, {"language": "zh-cn"})
        assert watches == [("U", "active", "en-us")]
        assert await current_revision(engine) == REVISION
        with pytest.raises(IntegrityError):  # one row per channel
            async with engine.begin() as conn:
                await conn.execute(_SETTING, {"language": "en-us"})
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0004_template_uploads", down=True))
            kept = [tuple(r) for r in await conn.execute(_WATCHES)]
        assert kept == [("U", "active", "en-us")]
    finally:
        await engine.dispose()


async def test_sqlite_0004_database_upgrades_and_keeps_its_watches(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_0004_database_upgrades_and_keeps_its_watches(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
