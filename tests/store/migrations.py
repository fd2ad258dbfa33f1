"""Moving a test database to one Alembic revision, up or down (the migration tests share it)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import Connection

from bot.store.migrate import alembic_config


def to_revision(revision: str, *, down: bool = False) -> Callable[[Connection], None]:
    """A `run_sync` callable that upgrades (or downgrades) the connection's schema to `revision`."""

    def run(conn: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)

    return run
