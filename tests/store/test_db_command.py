"""`drs-bot db upgrade` as a subprocess: any directory, both SQLite spellings, postgres:// URLs."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot.store.migrate import head_revision

DRS_BOT = str(Path(sys.executable).with_name("drs-bot"))
TABLES = {"alembic_version", "drs_polled_jobs", "drs_watches"}


def drs_bot(*args: str, cwd: Path, database_url: str | None) -> subprocess.CompletedProcess[str]:
    # Only the basics: no Slack or DRS settings, to show `db` needs nothing but DATABASE_URL.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [DRS_BOT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def upgrade_twice(cwd: Path, url: str | None) -> None:
    first = drs_bot("db", "upgrade", cwd=cwd, database_url=url)
    assert first.returncode == 0, first.stderr
    assert f"to {head_revision()}" in first.stdout
    second = drs_bot("db", "upgrade", cwd=cwd, database_url=url)
    assert second.returncode == 0, second.stderr
    assert "already at the newest revision" in second.stdout


def sqlite_state(path: Path) -> tuple[list[str], set[str]]:
    with sqlite3.connect(path) as conn:
        versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return versions, tables


def test_relative_sqlite_url_is_relative_to_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    upgrade_twice(tmp_path, "sqlite:///state/bot.sqlite3")
    versions, tables = sqlite_state(tmp_path / "state" / "bot.sqlite3")
    assert versions == [head_revision()] and tables >= TABLES


def test_absolute_sqlite_url(tmp_path: Path) -> None:
    target = tmp_path / "abs.sqlite3"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    upgrade_twice(elsewhere, f"sqlite:///{target}")  # sqlite:////abs/path
    versions, tables = sqlite_state(target)
    assert versions == [head_revision()] and tables >= TABLES
    current = drs_bot("db", "current", cwd=elsewhere, database_url=f"sqlite:///{target}")
    assert current.returncode == 0 and "up to date" in current.stdout


def test_default_url_is_the_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    upgrade_twice(tmp_path, None)
    versions, tables = sqlite_state(tmp_path / "drs_bot.sqlite3")
    assert versions == [head_revision()] and tables >= TABLES


def test_heroku_style_postgres_url(tmp_path: Path, empty_pg_url: Callable[..., str]) -> None:
    url = empty_pg_url(scheme="postgres")
    assert url.startswith("postgres://")
    upgrade_twice(tmp_path, url)

    async def state() -> tuple[list[str], set[str]]:
        dsn = make_url("postgresql" + url.removeprefix("postgres")).render_as_string(False)
        conn = await asyncpg.connect(dsn)
        try:
            versions = [r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")]
            rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            return versions, {r[0] for r in rows}
        finally:
            await conn.close()

    versions, tables = asyncio.run(state())
    assert versions == [head_revision()] and tables >= TABLES


def test_unreachable_database_says_what_to_check(tmp_path: Path) -> None:
    result = drs_bot(
        "db", "upgrade", cwd=tmp_path, database_url="postgresql://bot:s3cret@127.0.0.1:1/bot"
    )
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and "s3cret" not in result.stderr + result.stdout


def test_unsupported_url_is_a_settings_error(tmp_path: Path) -> None:
    result = drs_bot("db", "upgrade", cwd=tmp_path, database_url="mysql://u:pw@h/d")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "postgresql://" in result.stderr


def test_db_without_an_action_is_a_usage_error(tmp_path: Path) -> None:
    result = drs_bot("db", cwd=tmp_path, database_url=None)
    assert result.returncode == 2
    assert "upgrade" in result.stderr and "current" in result.stderr


def test_sqlite_file_in_a_missing_folder_is_a_settings_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/missing/bot.sqlite3"
    result = drs_bot("db", "upgrade", cwd=tmp_path, database_url=url)
    assert result.returncode == 2
    assert f"{tmp_path}/missing" in result.stderr and "does not exist" in result.stderr
    assert "server is running" not in result.stderr
