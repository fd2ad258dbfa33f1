"""Shared fixtures: fresh migrated databases, SQLite in tmp_path and PostgreSQL per session.

`db_url` / `db_engine` / `db_sessions` run a test once on each database (ids `sqlite`,
`postgres`). PostgreSQL is TEST_DATABASE_URL when set, else the local `test` database when
127.0.0.1:5432 answers, else a throwaway server the session starts and stops (`tests/pgserver.py`);
uniquely named databases are created on it and dropped at the end. When no PostgreSQL can be
had the PostgreSQL tests FAIL (never skip).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import bot.store.budget_models  # noqa: F401  (registers the budget tables on Base.metadata)
from bot.store.db import make_engine, make_sessionmaker
from bot.store.migrate import upgrade
from bot.store.models import Base
from tests import pgserver

T = TypeVar("T")


def run_in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on its own loop in a thread (safe from sync fixtures)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def migrate_url(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def pg_url_for(admin_dsn: str, database: str, *, scheme: str = "postgresql") -> str:
    """A URL for `database` on the test server, spelt `postgresql://` or `postgres://`."""
    url = make_url(admin_dsn).set(database=database).render_as_string(hide_password=False)
    return scheme + url.removeprefix("postgresql")


async def _pg_admin(admin_dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_pg_database(admin_dsn: str, prefix: str = "drs_test") -> str:
    """Create an empty uniquely named database; FAIL the test when PostgreSQL is down."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    try:
        run_in_thread(_pg_admin(admin_dsn, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        shown = make_url(admin_dsn).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL at {shown} is not usable: {type(exc).__name__}: {exc}. It is "
            "TEST_DATABASE_URL when set, else whatever answers on 127.0.0.1:5432; unset the one "
            "or stop the other to let the tests start their own. PostgreSQL tests are never "
            "skipped.",
            pytrace=False,
        )
    return name


def drop_pg_database(admin_dsn: str, name: str) -> None:
    run_in_thread(_pg_admin(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ---- SQLite ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Migrate once, copy per test: a fresh database costs a file copy, not an Alembic run.
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    run_in_thread(migrate_url(f"sqlite:///{path}"))
    return path


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """URL of a fresh, migrated SQLite file in tmp_path."""
    target = tmp_path / "bot.sqlite3"
    shutil.copyfile(_sqlite_template, target)
    return f"sqlite:///{target}"


# ---- PostgreSQL --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_admin_dsn() -> Iterator[str]:
    """The session's PostgreSQL as a plain libpq DSN; a server started for it stops at the end."""
    try:
        url, server = pgserver.resolve()
    except pgserver.PostgresUnavailable as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:  # failed outside the except block, so the report is this sentence alone
        pytest.fail(f"no PostgreSQL for the tests (they never skip): {problem}", pytrace=False)
    try:
        yield make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    finally:
        if server is not None:
            server.stop()


@pytest.fixture(scope="session")
def _pg_session_database(pg_admin_dsn: str) -> Iterator[str]:
    name = create_pg_database(pg_admin_dsn)
    try:
        run_in_thread(migrate_url(pg_url_for(pg_admin_dsn, name)))
        yield pg_url_for(pg_admin_dsn, name)
    finally:
        drop_pg_database(pg_admin_dsn, name)


@pytest.fixture
def pg_url(_pg_session_database: str) -> str:
    """URL of the session's migrated PostgreSQL database, emptied for this test."""
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))

    async def _truncate() -> None:
        conn = await asyncpg.connect(make_url(_pg_session_database).render_as_string(False))
        try:
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await conn.close()

    run_in_thread(_truncate())
    return _pg_session_database


@pytest.fixture
def empty_pg_url(pg_admin_dsn: str) -> Iterator[Callable[..., str]]:
    """Factory: URL of a new empty (un-migrated) PostgreSQL database, dropped after the test.

    `empty_pg_url(scheme="postgres")` spells it the Heroku way.
    """
    made: list[str] = []

    def _make(scheme: str = "postgresql") -> str:
        made.append(create_pg_database(pg_admin_dsn, "drs_empty"))
        return pg_url_for(pg_admin_dsn, made[-1], scheme=scheme)

    yield _make
    for name in made:
        drop_pg_database(pg_admin_dsn, name)


# ---- either database ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh migrated database URL; the test runs once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
async def db_engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def db_sessions(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(db_engine)
