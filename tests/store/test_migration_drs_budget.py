"""Migration 0009: a database with live watches gains the DRS budget tables and loses nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0009_drs_budget"
PREVIOUS = "0004_template_uploads"

_WATCHES = text(
    "SELECT w.requested_by, w.state, j.job_id FROM drs_watches w"
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
            watches = [tuple(r) for r in await conn.execute(_WATCHES)]
            await conn.execute(
                text(
                    "INSERT INTO drs_budget (key, next_slot, slow_until, level, version)"
                    " VALUES ('drs', 0, 0, 0, 0)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO drs_key_guards (key_hash, refusals, locked) VALUES ('h', 2, true)"
                )
            )
        assert watches == [("U", "active", "j")]
        assert await current_revision(engine) == REVISION
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(PREVIOUS, down=True))
            kept = [tuple(r) for r in await conn.execute(_WATCHES)]
        assert kept == [("U", "active", "j")]
    finally:
        await engine.dispose()


async def test_sqlite_database_with_live_watches_upgrades_and_keeps_them(tmp_path: object) -> None:
    await _migrate_with_live_watches(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_database_with_live_watches_upgrades_and_keeps_them(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_live_watches(empty_pg_url())
