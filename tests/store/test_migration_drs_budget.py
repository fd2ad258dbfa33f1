"""Migration 0009: a database with live watches gains the DRS budget tables, losing nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.store.migrations import keeps_live_watch

REVISION = "0009_drs_budget"


async def _budget_tables_take_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO drs_budget (key, next_slot, slow_until, level, version)"
                " VALUES ('drs', 0, 0, 0, 0)"
            )
        )
        await conn.execute(
            text("INSERT INTO drs_key_guards (key_hash, refusals, locked) VALUES ('h', 2, true)")
        )
        rows = (await conn.execute(text("SELECT refusals, locked FROM drs_key_guards"))).all()
    assert [tuple(r) for r in rows] == [(2, True)]


async def test_sqlite_database_with_live_watches_upgrades_and_keeps_them(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    await keeps_live_watch(url, REVISION, check=_budget_tables_take_rows)


async def test_postgres_database_with_live_watches_upgrades_and_keeps_them(
    empty_pg_url: Callable[..., str],
) -> None:
    await keeps_live_watch(empty_pg_url(), REVISION, check=_budget_tables_take_rows)
