"""Alembic, driven from code: `drs-bot db upgrade|current` and the schema check `serve` runs.

The migration scripts ship inside the package as `bot.migrations`, so no alembic.ini and no
particular working directory are needed. Alembic is synchronous; it runs on the async
engine's connection through `run_sync`, which never blocks the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import SchemaBehind, StoreError
from bot.store.db import make_engine, require_sqlite_folder, safe_url

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key: replicas started together with DB_AUTO_UPGRADE=1 take turns.
_UPGRADE_LOCK_KEY = 0x0D250001


def migrations_dir() -> Path:
    """Where the Alembic scripts are, in a checkout or an installed package alike."""
    return Path(str(files("bot.migrations")))


def alembic_config() -> Config:
    """An Alembic Config built in code (the root alembic.ini is for developers only)."""
    cfg = Config()
    # One path per option; "os" splits on os.pathsep, so spaces in the path are safe.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("version_locations", str(migrations_dir() / "versions"))
    return cfg


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise StoreError("drs-bot is installed without its migrations; reinstall it.")
    return head


def _current_sync(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade_sync(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision stored in the database (None when it was never migrated)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current_sync)


async def upgrade(engine: AsyncEngine) -> str:
    """Bring the schema to the newest migration (a no-op when it is there); returns it."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_sync)
    return head_revision()


def _unreachable(engine: AsyncEngine, exc: Exception) -> StoreError:
    reason = getattr(exc, "orig", None) or exc
    return StoreError(
        f"cannot use the database {engine.url.render_as_string(hide_password=True)!r} "
        f"({type(reason).__name__}: {reason}). Check DATABASE_URL and that the database "
        "server is running, then try again."
    )


async def ensure_schema(engine_or_url: AsyncEngine | str, *, auto_upgrade: bool) -> None:
    """Make sure the schema is current before serving.

    SQLite (embedded, one process) is upgraded in place. PostgreSQL is upgraded only with
    `auto_upgrade` (DB_AUTO_UPGRADE=1); otherwise a schema that is behind raises SchemaBehind
    naming `drs-bot db upgrade`, so an operator decides when a shared database changes.
    """
    if isinstance(engine_or_url, str):
        engine = make_engine(engine_or_url)
        try:
            await ensure_schema(engine, auto_upgrade=auto_upgrade)
        finally:
            await engine.dispose()
        return
    engine = engine_or_url
    require_sqlite_folder(engine.url.render_as_string(hide_password=False))
    head = head_revision()
    try:
        current = await current_revision(engine)
        if current == head:
            return
        known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(
                f"the database schema is at revision {current}, newer than this drs-bot knows "
                f"(its newest is {head}). Deploy the newer drs-bot, or point DATABASE_URL at "
                "another database."
            )
        if engine.dialect.name == "sqlite" or auto_upgrade:
            log.info("upgrading the database schema from %s to %s", current or "empty", head)
            await upgrade(engine)
            return
    except SQLAlchemyError as exc:
        raise _unreachable(engine, exc) from exc
    except OSError as exc:
        raise _unreachable(engine, exc) from exc
    raise SchemaBehind(
        f"the database schema is behind (at {current or 'no schema yet'}, this drs-bot needs "
        f"{head}). Run `drs-bot db upgrade` with the same DATABASE_URL, then start again "
        "(or set DB_AUTO_UPGRADE=1 to let `serve` upgrade it)."
    )


async def _db_command(action: str, url: str) -> str:
    require_sqlite_folder(url)
    engine = make_engine(url)
    try:
        if action == "upgrade":
            before = await current_revision(engine)
            after = await upgrade(engine)
            if before == after:
                return f"database {safe_url(url)} is already at the newest revision {after}."
            return f"database {safe_url(url)} upgraded from {before or 'no schema'} to {after}."
        current = await current_revision(engine)
        head = head_revision()
        state = "up to date" if current == head else "behind: run `drs-bot db upgrade`"
        return f"{current or 'no schema'} (newest {head}; {state})"
    except (SQLAlchemyError, OSError) as exc:
        raise _unreachable(engine, exc) from exc
    finally:
        await engine.dispose()


def run_db_command(args: argparse.Namespace) -> int:
    """`drs-bot db upgrade|current`: needs only DATABASE_URL (default: the SQLite file)."""
    from bot.config import load_settings

    settings = load_settings()
    print(asyncio.run(_db_command(args.db_command, settings.database_url)))
    return 0
