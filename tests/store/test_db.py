"""Database URLs get their async driver; the engine keeps UTC; the ping tells up from down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import StatementError

from bot.errors import ConfigError
from bot.store.db import (
    make_engine,
    make_sessionmaker,
    normalize_url,
    ping,
    require_sqlite_folder,
    safe_url,
)
from bot.store.models import PolledJob


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///drs_bot.sqlite3", "sqlite+aiosqlite:///drs_bot.sqlite3"),
        ("sqlite:////var/lib/bot/db.sqlite3", "sqlite+aiosqlite:////var/lib/bot/db.sqlite3"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgres://u:pw@db.example:5432/bot", "postgresql+asyncpg://u:pw@db.example:5432/bot"),
        ("postgresql://u@127.0.0.1/test", "postgresql+asyncpg://u@127.0.0.1/test"),
        ("postgresql+asyncpg://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("postgres://u@h/d?sslmode=require", "postgresql+asyncpg://u@h/d?ssl=require"),
    ],
)
def test_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


@pytest.mark.parametrize(
    "bad", ["mysql://u:secret@h/d", "postgresql+psycopg2://u:secret@h/d", "not a url", ""]
)
def test_other_urls_are_a_config_error_without_the_password(bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_url(bad)
    text = caught.value.user_message()
    assert "DATABASE_URL" in text and "sqlite:///" in text and "postgresql://" in text
    assert "secret" not in text


def test_safe_url_hides_the_password() -> None:
    assert "hunter2" not in safe_url("postgres://bot:hunter2@db/bot")


async def test_datetimes_round_trip_as_aware_utc(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        plus8 = timezone(timedelta(hours=8))
        async with make_sessionmaker(engine).begin() as s:
            s.add(
                PolledJob(
                    project_id="p",
                    job_id="j",
                    created_at=datetime(2026, 1, 1, 20, 0, tzinfo=plus8),
                    next_poll_at=datetime(2026, 1, 1, 12, 0, 1, tzinfo=UTC),
                )
            )
        async with make_sessionmaker(engine)() as s:
            job = (await s.scalars(select(PolledJob))).one()
            # Compared across zones: 20:00+08:00 is 12:00Z, before 12:00:01Z.
            due = await s.scalars(
                select(PolledJob.id).where(PolledJob.next_poll_at > PolledJob.created_at)
            )
            assert due.all() == [job.id]
        assert job.created_at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        assert job.created_at.tzinfo is not None and job.created_at.utcoffset() == timedelta(0)
    finally:
        await engine.dispose()


async def test_naive_datetimes_are_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with pytest.raises(Exception, match="naive datetime"):
            async with make_sessionmaker(engine).begin() as s:
                s.add(PolledJob(project_id="p", job_id="j", created_at=datetime(2026, 1, 1)))
        # in a WHERE clause too (a Core statement's bound parameter)
        with pytest.raises(StatementError, match="naive datetime given to the store"):
            async with engine.connect() as conn:
                naive = datetime(2026, 1, 1)
                await conn.execute(select(PolledJob.id).where(PolledJob.next_poll_at <= naive))
    finally:
        await engine.dispose()


async def test_sqlite_stores_utc_text_in_one_format(sqlite_url: str) -> None:
    """'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, always six digits: SQLite compares it as text."""
    engine = make_engine(sqlite_url)
    plus8 = timezone(timedelta(hours=8))
    minus5 = timezone(timedelta(hours=-5, minutes=-30))
    try:
        async with make_sessionmaker(engine).begin() as s:
            s.add(
                PolledJob(
                    project_id="p",
                    job_id="j",
                    created_at=datetime(2026, 1, 1, 20, 0, tzinfo=plus8),  # microsecond 0
                    observed_at=datetime(2026, 1, 1, 12, 0, 1, 5, tzinfo=UTC),
                    last_seen_at=datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=minus5),
                    next_poll_at=None,
                )
            )
        async with engine.connect() as conn:
            raw = await conn.execute(
                text(
                    "SELECT created_at, observed_at, last_seen_at, next_poll_at"
                    " FROM drs_polled_jobs"
                )
            )
            assert tuple(raw.one()) == (
                "2026-01-01 12:00:00.000000",
                "2026-01-01 12:00:01.000005",
                "2026-01-01 05:29:59.999999",
                None,
            )
        async with make_sessionmaker(engine)() as s:
            job = (await s.scalars(select(PolledJob))).one()
        assert job.created_at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        assert job.last_seen_at == datetime(2026, 1, 1, 5, 29, 59, 999999, tzinfo=UTC)
        for value in (job.created_at, job.observed_at, job.last_seen_at):
            assert value is not None and value.tzinfo is UTC
        assert job.next_poll_at is None
    finally:
        await engine.dispose()


async def test_sqlite_reads_times_written_by_sql_as_aware_utc(sqlite_url: str) -> None:
    """CURRENT_TIMESTAMP's 'YYYY-MM-DD HH:MM:SS', or a text that carries its own offset."""
    engine = make_engine(sqlite_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO drs_polled_jobs (project_id, job_id, created_at, observed_at)"
                    " VALUES ('p', 'j', CURRENT_TIMESTAMP, '2026-01-01 20:00:00.250000+08:00')"
                )
            )
            written = (
                await conn.execute(text("SELECT created_at FROM drs_polled_jobs"))
            ).scalar_one()
        assert len(written) == len("YYYY-MM-DD HH:MM:SS")
        async with make_sessionmaker(engine)() as s:
            job = (await s.scalars(select(PolledJob))).one()
        assert job.created_at.tzinfo is UTC and job.created_at.microsecond == 0
        assert abs(job.created_at - datetime.now(UTC)) < timedelta(minutes=1)
        assert job.created_at == datetime.fromisoformat(written).replace(tzinfo=UTC)
        assert job.observed_at == datetime(2026, 1, 1, 12, 0, 0, 250000, tzinfo=UTC)
    finally:
        await engine.dispose()


async def test_time_comparisons_in_sql_select_the_right_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    dues = {
        "early": base - timedelta(days=1),
        "exact": base,
        "one_us_late": base + timedelta(microseconds=1),
        "later": base + timedelta(seconds=1),
        "much_later": base + timedelta(days=400),
    }
    try:
        async with make_sessionmaker(engine).begin() as s:
            for name, due in dues.items():
                s.add(PolledJob(project_id="p", job_id=name, created_at=base, next_poll_at=due))

        async def due_by(now: datetime) -> set[str]:
            async with engine.connect() as conn:
                got = await conn.execute(
                    select(PolledJob.job_id).where(PolledJob.next_poll_at <= bindparam("now")),
                    {"now": now},
                )
                return {row[0] for row in got}

        assert await due_by(base) == {"early", "exact"}
        assert await due_by(base + timedelta(microseconds=1)) == {"early", "exact", "one_us_late"}
        # the same instant given in another zone
        plus8 = timezone(timedelta(hours=8))
        assert await due_by(base.astimezone(plus8)) == {"early", "exact"}
        assert await due_by(base - timedelta(microseconds=1)) == {"early"}
        assert await due_by(base + timedelta(days=399)) == set(dues) - {"much_later"}
    finally:
        await engine.dispose()


async def test_ping_answers_for_a_live_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert await ping(engine)
    finally:
        await engine.dispose()


async def test_ping_is_false_when_the_database_is_gone(tmp_path: Path) -> None:
    missing_dir = tmp_path / "no" / "such" / "dir"
    engine = make_engine(f"sqlite:///{missing_dir}/x.sqlite3")
    down = make_engine("postgresql://postgres@127.0.0.1:1/none")  # port 1: refused at once
    try:
        assert not await ping(engine)
        assert not await ping(down, within=5)
    finally:
        await engine.dispose()
        await down.dispose()


async def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one()
        assert (str(mode).lower(), fks) == ("wal", 1)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("bad", "driver"),
    [("postgresql+psycopg2://u:secret@h/d", "psycopg2"), ("sqlite+pysqlite:///x.db", "pysqlite")],
)
def test_an_unsupported_driver_is_named_with_the_spelling_that_works(bad: str, driver: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_url(bad)
    text = caught.value.user_message()
    assert f"the driver {driver!r} is not supported" in text and f"'+{driver}'" in text
    assert "secret" not in text


def test_a_sqlite_file_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    require_sqlite_folder(f"sqlite:///{tmp_path}/bot.sqlite3")
    require_sqlite_folder("sqlite://")
    with pytest.raises(ConfigError) as caught:
        require_sqlite_folder(f"sqlite:///{missing}/bot.sqlite3")
    assert f"the folder {str(missing)!r}" in caught.value.user_message()
    assert "does not exist" in caught.value.user_message()
