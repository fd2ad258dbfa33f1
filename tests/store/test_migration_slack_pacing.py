"""Migration 0010: a database holding live watches gains the pace table and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.db import make_sessionmaker
from bot.store.pacing import reserve_slot
from tests.store.migrations import keeps_live_watch

REVISION = "0010_slack_pacing"


async def _slots_come_a_pace_apart(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine).begin() as session:
        first = await reserve_slot(session, channel="C", now=100.0, pace=1.0)
        second = await reserve_slot(session, channel="C", now=100.0, pace=1.0)
        later = await reserve_slot(session, channel="C", now=500.0, pace=1.0)
    assert (first, second, later) == (100.0, 101.0, 500.0)


async def test_sqlite_database_with_watches_upgrades_to_slack_pacing(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    await keeps_live_watch(url, REVISION, check=_slots_come_a_pace_apart)


async def test_postgres_database_with_watches_upgrades_to_slack_pacing(
    empty_pg_url: Callable[..., str],
) -> None:
    await keeps_live_watch(empty_pg_url(), REVISION, check=_slots_come_a_pace_apart)
