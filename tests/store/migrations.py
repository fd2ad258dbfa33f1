"""Moving a test database to one Alembic revision, up or down (the migration tests share it)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import Connection, text

from bot.store.migrate import alembic_config

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
