"""Migration 0004: an older database keeps its watches, gains once-only uploads and file names."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0004_template_uploads"


_UPLOAD = text(
    "INSERT INTO drs_template_uploads (event_key, file_id, team_id, channel_id, job_id,"
    " file_name, user_id, state, owner, created_at, updated_at)"
    " VALUES ('Ev1', 'F1', 'T', 'C', 'j', 'orders.xlsx', 'U', :state, 'me',"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0002"))
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            watches = [
                tuple(r)
                for r in await conn.execute(
                    text("SELECT requested_by, uploaded_file FROM drs_watches")
                )
            ]
            await conn.execute(_UPLOAD, {"state": "started"})
        assert watches == [("U", None)]
        assert await current_revision(engine) == REVISION
        with pytest.raises(IntegrityError):  # one (event, file) pair, once
            async with engine.begin() as conn:
                await conn.execute(_UPLOAD, {"state": "uploaded"})
        with pytest.raises(IntegrityError):  # only the three states
            async with engine.begin() as conn:
                await conn.execute(text(str(_UPLOAD).replace("'Ev1'", "'Ev2'")), {"state": "x"})
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0002", down=True))
            kept = [
                tuple(r) for r in await conn.execute(text("SELECT requested_by FROM drs_watches"))
            ]
        assert kept == [("U",)]
    finally:
        await engine.dispose()


async def test_sqlite_0002_database_upgrades_and_keeps_its_watches(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_0002_database_upgrades_and_keeps_its_watches(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
