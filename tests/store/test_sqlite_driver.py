"""The SQLite driver (`bot.store.sqlite_driver`) through a real engine: what SQLAlchemy asks of a
DBAPI still works, and a statement costs one trip to aiosqlite's thread, an idle commit none."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, exc, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import sqlite_driver
from bot.store.db import make_engine, make_sessionmaker
from bot.store.models import PolledJob

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
JOBS = cast(Table, PolledJob.__table__)


def job(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "project_id": "p1",
        "job_id": f"job-{n:06d}",
        "query_type": "",
        "language": "en-us",
        "consecutive_failures": 0,
        "paused": False,
        "created_at": NOW,
    }
    return row | over


@pytest.fixture
async def engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    made = make_engine(sqlite_url)
    try:
        yield made
    finally:
        await made.dispose()


def database_file(engine: AsyncEngine) -> str:
    path = engine.url.database
    assert path
    return path


async def count_jobs(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(JOBS))).scalar_one())


async def driver_of(conn: AsyncConnection) -> Any:
    return (await conn.get_raw_connection()).driver_connection


async def test_the_engine_uses_our_driver(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        driver = await driver_of(conn)
        assert isinstance(driver, sqlite_driver.Connection)
        async with driver.cursor() as cursor:
            assert isinstance(cursor, sqlite_driver.Cursor)


async def test_select_of_many_rows_and_executemany_rowcount(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(JOBS), [job(n) for n in range(1500)])
        assert await count_jobs(conn) == 1500
        rows = (await conn.execute(select(JOBS.c.job_id).order_by(JOBS.c.id))).all()
        assert [r[0] for r in rows] == [f"job-{n:06d}" for n in range(1500)]
        # one row at a time, then the rest: nothing is lost between fetches
        result = await conn.execute(select(JOBS.c.job_id).order_by(JOBS.c.id))
        first = result.fetchone()
        assert first is not None and first[0] == "job-000000"
        assert len(result.fetchmany(10)) == 10 and len(result.fetchall()) == 1489
        many = await conn.execute(
            update(JOBS)
            .where(JOBS.c.job_id == bindparam("b_job"))
            .values(consecutive_failures=bindparam("b_failures")),
            [{"b_job": f"job-{n:06d}", "b_failures": 3} for n in range(0, 1500, 3)]
            + [{"b_job": "no-such-job", "b_failures": 3}],
        )
        assert many.rowcount == 500
        raw = await conn.exec_driver_sql(
            "UPDATE drs_polled_jobs SET paused = 1 WHERE job_id = ?",
            [("job-000001",), ("job-000002",), ("nothing",)],
        )
        assert raw.rowcount == 2
        failing = select(func.count()).where(JOBS.c.consecutive_failures == 3)
        assert (await conn.execute(failing)).scalar_one() == 500


async def test_inserts_get_their_ids(engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as s:
        first = PolledJob(**job(1))
        s.add(first)
        await s.flush()
        second = PolledJob(**job(2))
        s.add(second)
        await s.flush()
        assert isinstance(first.id, int) and second.id == first.id + 1
    async with engine.begin() as conn:
        core = await conn.execute(insert(JOBS).values(**job(3)))
        assert core.inserted_primary_key == (second.id + 1,)
        raw = await conn.exec_driver_sql(
            "INSERT INTO drs_polled_jobs (project_id, job_id, query_type, language,"
            " consecutive_failures, paused, created_at) VALUES ('p1', 'job-4', '', 'en', 0, 0,"
            " '2026-03-01 12:00:00.000000')"
        )
        assert raw.lastrowid == second.id + 2
        stored = await conn.execute(select(JOBS.c.id, JOBS.c.job_id).order_by(JOBS.c.id))
        assert [tuple(r) for r in stored] == [
            (first.id, "job-000001"),
            (second.id, "job-000002"),
            (second.id + 1, "job-000003"),
            (second.id + 2, "job-4"),
        ]


async def test_update_returning_gives_its_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(JOBS), [job(n) for n in range(200)])
        returned = await conn.execute(
            update(JOBS)
            .where(JOBS.c.job_id >= "job-000150")
            .values(lease_owner="me")
            .returning(JOBS.c.job_id, JOBS.c.lease_owner)
        )
        got = sorted(tuple(r) for r in returned)
        assert got == [(f"job-{n:06d}", "me") for n in range(150, 200)]
        nothing = await conn.execute(
            update(JOBS).where(JOBS.c.job_id == "none").values(paused=True).returning(JOBS.c.id)
        )
        assert nothing.all() == []


async def test_rollback_leaves_nothing_and_commit_is_seen_by_another_connection(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as conn:
        await conn.execute(insert(JOBS).values(**job(1)))
        assert await count_jobs(conn) == 1
        await conn.rollback()
        assert await count_jobs(conn) == 0
    other = sqlite3.connect(database_file(engine))
    try:
        assert other.execute("SELECT count(*) FROM drs_polled_jobs").fetchone() == (0,)
        async with engine.connect() as conn:
            await conn.execute(insert(JOBS).values(**job(2)))
            # not yet committed: the other connection does not see it
            assert other.execute("SELECT count(*) FROM drs_polled_jobs").fetchone() == (0,)
            await conn.commit()
        assert other.execute("SELECT job_id FROM drs_polled_jobs").fetchall() == [("job-000002",)]
    finally:
        other.close()


async def test_a_unique_violation_is_an_integrity_error_and_the_connection_lives_on(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as conn:
        driver = await driver_of(conn)
        await conn.execute(insert(JOBS).values(**job(1)))
        await conn.commit()
        with pytest.raises(exc.IntegrityError, match="UNIQUE"):
            await conn.execute(insert(JOBS).values(**job(1)))
        await conn.rollback()
        await conn.execute(insert(JOBS).values(**job(2)))
        await conn.commit()
        assert await count_jobs(conn) == 2
        assert await driver_of(conn) is driver  # the same connection, not a replacement


async def test_streaming_yields_every_row(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(JOBS), [job(n) for n in range(700)])
    async with engine.connect() as conn:
        streamed = await conn.stream(select(JOBS.c.job_id).order_by(JOBS.c.id))
        seen = [row[0] async for row in streamed]
        assert seen == [f"job-{n:06d}" for n in range(700)]
        chunked = await conn.stream(select(JOBS.c.id).execution_options(yield_per=64))
        sizes = [len(part) async for part in chunked.partitions()]
        assert sum(sizes) == 700 and max(sizes) == 64
    async with make_sessionmaker(engine)() as s:
        in_session = await s.stream(select(PolledJob.job_id))
        assert len([row async for row in in_session]) == 700


async def test_executescript_runs_every_statement(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        driver = await driver_of(conn)
        async with driver.cursor() as cursor:
            await cursor.executescript(
                "CREATE TABLE scripted (x INTEGER);"
                "INSERT INTO scripted VALUES (1);"
                "INSERT INTO scripted VALUES (2);"
            )
        total = await conn.exec_driver_sql("SELECT sum(x) FROM scripted")
        assert total.scalar_one() == 3


def count_trips(driver: Any) -> list[str]:
    """Wrap this driver connection's (instance) `_execute`: every trip to its thread is noted."""
    trips: list[str] = []
    original: Callable[..., Awaitable[Any]] = driver._execute

    async def counted(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await original(fn, *args, **kwargs)

    driver._execute = counted
    return trips


async def test_a_statement_is_one_trip_and_an_idle_commit_or_reset_none(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(JOBS), [job(n) for n in range(100)])
        driver = await driver_of(conn)
    trips = count_trips(driver)

    async with engine.connect() as conn:
        assert await driver_of(conn) is driver  # the pool hands back the same connection
        rows = (await conn.execute(select(JOBS.c.id))).all()
        assert len(rows) == 100
        assert len(trips) == 1, trips  # execute, fetch and close in one
        await conn.commit()  # a read opened no transaction: nothing to commit
        assert len(trips) == 1, trips
    # returned to the pool (its reset is a rollback): still no trip
    assert len(trips) == 1, trips

    async with make_sessionmaker(engine)() as s:
        assert len((await s.scalars(select(PolledJob).limit(5))).all()) == 5
        await s.commit()
    assert len(trips) == 2, trips

    # A write does open a transaction: its commit is a trip of its own, and is kept.
    async with engine.connect() as conn:
        assert await driver_of(conn) is driver
        await conn.execute(update(JOBS).values(paused=True))
        assert len(trips) == 3, trips
        await conn.commit()
        assert len(trips) == 4, trips
    # And a write rolled back is undone with one trip.
    async with engine.connect() as conn:
        await conn.execute(update(JOBS).values(paused=False))
        await conn.rollback()
        assert len(trips) == 6, trips
        paused = select(func.count()).where(JOBS.c.paused.is_(True))
        assert (await conn.execute(paused)).scalar_one() == 100
    # The write's transaction was ended by commit/rollback, so the pool's reset costs nothing.
    assert len(trips) == 7, trips


async def test_an_in_memory_database_gets_our_driver_too() -> None:
    """`sqlite://` (one shared connection, StaticPool)."""
    engine = make_engine("sqlite://")
    try:
        async with engine.begin() as conn:
            assert isinstance(await driver_of(conn), sqlite_driver.Connection)
            await conn.execute(text("CREATE TABLE t (x INTEGER UNIQUE)"))
            await conn.execute(text("INSERT INTO t VALUES (1), (2)"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT sum(x) FROM t"))).scalar_one() == 3
    finally:
        await engine.dispose()
