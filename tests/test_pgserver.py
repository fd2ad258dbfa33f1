"""The test session's own PostgreSQL: started, reachable, stopped, and failing loudly."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import psutil
import pytest

from tests import pgserver

REPO = Path(__file__).resolve().parent.parent


async def _select_one(url: str) -> int:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        return int(await conn.fetchval("SELECT 1"))
    finally:
        await conn.close()


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_throwaway_server_answers_runs_unprivileged_and_is_gone_after_stop() -> None:
    server = pgserver.start_throwaway({})
    try:
        assert asyncio.run(_select_one(server.url())) == 1
        postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
        assert psutil.Process(postmaster).uids().real != 0  # PostgreSQL refuses root
    finally:
        server.stop()
    assert not pgserver.answers("127.0.0.1", server.port)
    assert not server.root.exists()
    assert not _running(postmaster)
    server.stop()  # the atexit safety net calls it again: harmless


def test_configured_url_is_used_as_is_and_nothing_is_started() -> None:
    url = "postgresql://someone@db.invalid:6543/elsewhere"
    assert pgserver.resolve({"TEST_DATABASE_URL": url}) == (url, None)


def test_binaries_that_are_not_there_are_named() -> None:
    with pytest.raises(pgserver.PostgresUnavailable, match="no initdb in /nonexistent"):
        pgserver.start_throwaway({pgserver.BINDIR_ENV: "/nonexistent"})


def test_postgres_tests_fail_not_skip_when_the_server_is_unusable(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "test_inner.py").write_text(
        "def test_needs_postgres(empty_pg_url):\n    empty_pg_url()\n"
    )
    env = {**os.environ, "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/test"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    assert done.stdout.splitlines()[-1].startswith("1 failed in ")  # not "1 skipped"
    assert "PostgreSQL at postgresql://postgres@127.0.0.1:1/test is not usable" in done.stdout
