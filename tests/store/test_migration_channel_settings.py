"""Migration 0005: a database holding live watches gains channel settings and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0005_channel_settings"

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
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
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
