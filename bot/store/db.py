"""Database URLs, the async engine and session factory, and the health ping."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from bot.errors import ConfigError
from bot.store import sqlite_driver

log = logging.getLogger(__name__)

SQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
# Seconds a SQLite writer waits for another writer before "database is locked".
SQLITE_BUSY_SECONDS = 30.0

_SQLITE_NAMES = {"sqlite", SQLITE_DRIVER}
_POSTGRES_NAMES = {"postgres", "postgresql", POSTGRES_DRIVER}


def _bad_url(url: str, why: str) -> ConfigError:
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = url.split("@")[-1] if "@" in url else url
    return ConfigError(
        [
            f"DATABASE_URL={shown!r}: {why} Use sqlite:///path/to/file.sqlite3 (the default is "
            "sqlite:///drs_bot.sqlite3) or postgresql://user:password@host:5432/dbname."
        ]
    )


def _parse(url: str) -> URL:
    raw = url.strip()
    # SQLAlchemy no longer knows Heroku's `postgres://` spelling; give it the real name first.
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw.removeprefix("postgres://")
    try:
        return make_url(raw)
    except ArgumentError:
        raise _bad_url(url, "is not a database URL.") from None


def normalize_url(url: str) -> str:
    """Give `sqlite:///`, `postgres://` and `postgresql://` URLs their async driver.

    URLs that already name aiosqlite or asyncpg pass through; anything else is a ConfigError.
    The password is kept (the engine needs it); never log the result, log `safe_url()`.
    """
    parsed = _parse(url)
    name = parsed.drivername
    backend, _, driver = name.partition("+")
    if name not in _SQLITE_NAMES | _POSTGRES_NAMES and backend in {"sqlite", *_POSTGRES_NAMES}:
        ours = "aiosqlite" if backend == "sqlite" else "asyncpg"
        raise _bad_url(
            url,
            f"the driver {driver!r} is not supported: drs-bot talks to this database through "
            f"{ours} (async); write {backend}://... without '+{driver}'.",
        )
    if name in _SQLITE_NAMES:
        return parsed.set(drivername=SQLITE_DRIVER).render_as_string(hide_password=False)
    if name in _POSTGRES_NAMES:
        query = dict(parsed.query)
        # libpq's sslmode means the same as asyncpg's ssl (disable/allow/prefer/require/...).
        if "sslmode" in query and "ssl" not in query:
            query["ssl"] = query.pop("sslmode")
        fixed = parsed.set(drivername=POSTGRES_DRIVER, query=query)
        return fixed.render_as_string(hide_password=False)
    raise _bad_url(
        url, f"the database kind {name!r} is not supported (only SQLite and PostgreSQL are)."
    )


def safe_url(url: str) -> str:
    """The URL with its password hidden, for logs and messages."""
    try:
        return _parse(url).render_as_string(hide_password=True)
    except ConfigError:
        return "<unparseable DATABASE_URL>"


def is_sqlite(url: str) -> bool:
    return make_url(normalize_url(url)).get_backend_name() == "sqlite"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets the web handlers read while the watcher writes; the busy timeout makes
        # writers queue instead of failing; foreign keys are off by default in SQLite.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def require_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folder: a ConfigError naming the folder, instead of
    the driver's "unable to open database file". Other databases pass."""
    parsed = make_url(normalize_url(url))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return
    assert database is not None
    folder = Path(database).parent
    if not database.startswith("file:") and not folder.is_dir():
        raise ConfigError(
            [
                f"DATABASE_URL={safe_url(url)!r}: the folder {str(folder)!r} for the SQLite "
                f"file does not exist; create it (mkdir -p {folder}) or point DATABASE_URL at "
                "an existing folder."
            ]
        )


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url` (any spelling `normalize_url` accepts); nothing connects yet."""
    normalized = normalize_url(url)
    parsed = make_url(normalized)
    if parsed.get_backend_name() == "sqlite":
        # One trip to aiosqlite's thread per statement (bot.store.sqlite_driver)
        options: dict[str, Any] = {
            "connect_args": {"timeout": SQLITE_BUSY_SECONDS},
            "module": sqlite_driver.dbapi(),
        }
        if parsed.database in (None, "", ":memory:"):
            # One shared connection, or every checkout would see its own empty database.
            options["poolclass"] = StaticPool
        options.update(kwargs)
        engine = create_async_engine(normalized, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        return engine
    options = {"pool_pre_ping": True}
    options.update(kwargs)
    return create_async_engine(normalized, **options)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (the watcher uses them afterwards)."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine, *, within: float = 5.0) -> bool:
    """True when the database answers `SELECT 1` within `within` seconds (for /healthz)."""

    async def _select_one() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    try:
        async with asyncio.timeout(within):
            await _select_one()
    except Exception as exc:  # /healthz must answer 503, whatever broke
        log.warning("database ping failed: %s", type(exc).__name__)
        return False
    return True
