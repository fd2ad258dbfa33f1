"""Migration 0008: a database with live watches gains the seen-requests table and the final
intent column, and loses nothing; downgrading drops them in place."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import to_revision

REVISION = "0008_replica_state"
BEFORE = "0004_template_uploads"

_JOB = text(
    "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language,"
    " consecutive_failures, paused, created_at, next_poll_at, lease_owner)"
    " VALUES ('p', 'j', '', 'en-us', 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'r1')"
)
_WATCH = text(
    "INSERT INTO drs_watches (polled_job_id, team_id, channel_id, thread_key, requested_by,"
    " joined_by, created_at, expires_at, state, job_type, language, told, updated_at, card_ts)"
    " VALUES (1, 'T', 'C', '', 'U', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'active', '',"
    " 'en-us', '{\"final\": false}', CURRENT_TIMESTAMP, '1.0001')"
)
_SEEN = text("INSERT INTO drs_seen_requests (key, seen_at) VALUES ('k', CURRENT_TIMESTAMP)")
_READ = "SELECT requested_by, card_ts, told, state FROM drs_watches"


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(BEFORE))
            await conn.execute(_JOB)
            await conn.execute(_WATCH)
            before = [tuple(r) for r in await conn.execute(text(_READ))]
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            after = [tuple(r) for r in await conn.execute(text(_READ))]
            intents = [
                r[0] for r in await conn.execute(text("SELECT final_intent_at FROM drs_watches"))
            ]
            owner = (await conn.execute(text("SELECT lease_owner FROM drs_polled_jobs"))).scalar()
            await conn.execute(_SEEN)
        assert after == before and intents == [None] and owner == "r1"
        assert await current_revision(engine) == REVISION
        with pytest.raises(IntegrityError):  # a key is taken once
            async with engine.begin() as conn:
                await conn.execute(_SEEN)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(BEFORE, down=True))
            kept = [tuple(r) for r in await conn.execute(text(_READ))]
        assert kept == before
    finally:
        await engine.dispose()


async def test_sqlite_database_with_live_watches_upgrades_and_keeps_them(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_database_with_live_watches_upgrades_and_keeps_them(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
