"""Moving a test database to one Alembic revision, up or down (the migration tests share it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.db import make_engine
from bot.store.migrate import alembic_config, current_revision

# One polled job with one active watch, as every revision since 0004 holds them: the rows a
# migration must keep.
LIVE_JOB = text(
    "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language,"
    " consecutive_failures, paused, created_at, next_poll_at)"
    " VALUES ('p', 'j', '', 'en-us', 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
LIVE_WATCH = text(
    "INSERT INTO drs_watches (polled_job_id, team_id, channel_id, thread_key, requested_by,"
    " joined_by, created_at, expires_at, state, job_type, language, told, updated_at)"
    " VALUES (1, 'T', 'C', '', 'U', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'active', '',"
    " 'en-us', '{}', CURRENT_TIMESTAMP)"
)


def to_revision(revision: str, *, down: bool = False) -> Callable[[Connection], None]:
    """A `run_sync` callable that upgrades (or downgrades) the connection's schema to `revision`."""

    def run(conn: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)

    return run


LIVE_ROWS = text(
    "SELECT w.requested_by, w.state, j.job_id FROM drs_watches w"
    " JOIN drs_polled_jobs j ON j.id = w.polled_job_id"
)
KEPT = [("U", "active", "j")]


async def keeps_live_watch(
    url: str,
    revision: str,
    *,
    previous: str = "0004_template_uploads",
    check: Callable[[AsyncEngine], Awaitable[None]] | None = None,
) -> None:
    """Upgrade a `previous` database holding a live watch to `revision`, run `check` on the new
    schema, downgrade again: the watch and its job are there before and after each step."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(previous))
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(revision))
            assert [tuple(r) for r in await conn.execute(LIVE_ROWS)] == KEPT
        assert await current_revision(engine) == revision
        if check is not None:
            await check(engine)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(previous, down=True))
            assert [tuple(r) for r in await conn.execute(LIVE_ROWS)] == KEPT
    finally:
        await engine.dispose()
