"""Migration 0005: a database holding live watches gains channel settings and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.store.migrations import keeps_live_watch

REVISION = "0005_channel_settings"

_SETTING = text(
    "INSERT INTO drs_channel_settings (team_id, channel_id, language, region, updated_by,"
    " updated_at) VALUES ('T', 'C', :language, NULL, 'U', CURRENT_TIMESTAMP)"
)


async def _one_setting_per_channel(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(_SETTING, {"language": "zh-cn"})
        languages = [tuple(r) for r in await conn.execute(text("SELECT language FROM drs_watches"))]
    assert languages == [("en-us",)]  # a watch made before keeps its language
    with pytest.raises(IntegrityError):  # one row per channel
        async with engine.begin() as conn:
            await conn.execute(_SETTING, {"language": "en-us"})


async def test_sqlite_0004_database_upgrades_and_keeps_its_watches(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    await keeps_live_watch(url, REVISION, check=_one_setting_per_channel)


async def test_postgres_0004_database_upgrades_and_keeps_its_watches(
    empty_pg_url: Callable[..., str],
) -> None:
    await keeps_live_watch(empty_pg_url(), REVISION, check=_one_setting_per_channel)
