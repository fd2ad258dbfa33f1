"""Migration 0010: a database holding live watches gains the pace table and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.store.db import make_engine, make_sessionmaker
from bot.store.migrate import current_revision
from bot.store.pacing import reserve_slot
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0010_slack_pacing"
PREVIOUS = "0004_template_uploads"

_WATCHES = text("SELECT requested_by, state FROM drs_watches")


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(PREVIOUS))
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            watches = [tuple(r) for r in await conn.execute(_WATCHES)]
        assert watches == [("U", "active")]
        assert await current_revision(engine) == REVISION
        async with make_sessionmaker(engine).begin() as session:  # slots come `pace` apart
            first = await reserve_slot(session, channel="C", now=100.0, pace=1.0)
            second = await reserve_slot(session, channel="C", now=100.0, pace=1.0)
            later = await reserve_slot(session, channel="C", now=500.0, pace=1.0)
        assert (first, second, later) == (100.0, 101.0, 500.0)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(PREVIOUS, down=True))
            kept = [tuple(r) for r in await conn.execute(_WATCHES)]
        assert kept == [("U", "active")]
    finally:
        await engine.dispose()


async def test_sqlite_database_with_watches_upgrades_to_slack_pacing(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_database_with_watches_upgrades_to_slack_pacing(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
