"""PostgreSQL connections cut during a sweep, and Slack 5xx bursts longer than the client's
retries. Expectation for each: nothing lost, at most one repeated reply, the watch ends once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.watcher.sweep import Sweeper
from tests.watcher.conftest import (
    JOB_A,
    UPLOADING,
    World,
    add_watch,
    load_watch,
    parsing,
    sim_job,
    succeeded,
)
from tests.watcher.test_sweep import tick


async def terminate_backends(url: str) -> int:
    """Cut every connection to the test's own database (never the server, never other DBs)."""
    conn = await asyncpg.connect(make_url(url).render_as_string(hide_password=False))
    try:
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


def thread_texts(h, channel: str = "C0ALPHA") -> list[str]:  # type: ignore[no-untyped-def]
    card = h.slack.messages(channel)[0]
    return [m.text for m in h.slack.thread(channel, card.ts)]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_postgres_connections_cut_mid_sweep_lose_nothing(world: World, pg_url: str) -> None:
    steps = [UPLOADING, parsing(5), parsing(9), succeeded(12)]
    async with world([sim_job(JOB_A, *steps)], url=pg_url) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        h.simulator.faults.latency = 0.3  # real time: the cut lands while DRS is answering
        for _ in range(3):
            sweeping = asyncio.create_task(sweep.poll_once())
            await asyncio.sleep(0.1)
            assert await terminate_backends(pg_url) >= 1
            await sweeping  # never raises, whatever the database did
            h.runtime.clock.advance(10)  # type: ignore[union-attr]
        h.simulator.faults.latency = 0.0
        for _ in range(12):  # leases of cut sweeps expire; the job is polled again
            if (await load_watch(h, watch_id)).state != "active":
                break
            await tick(h, sweep, 1)

        assert (await load_watch(h, watch_id)).state == "succeeded"
        texts = thread_texts(h)
        assert 1 <= sum("now parsing" in t for t in texts) <= 2  # at most one repeat
        assert sum("12 rows" in t for t in texts) == 1
        assert "12" in h.slack.messages("C0ALPHA")[0].text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # slack_sdk backs off in real time
async def test_slack_5xx_burst_is_outlasted_and_nothing_is_lost(world: World) -> None:
    async with world([sim_job(JOB_A, UPLOADING, parsing(5), succeeded(7))]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        # more 5xx than the Web API client retries (2): this poll's deliveries fail
        h.slack.fail_next("chat.update", 4, status=503)
        h.slack.fail_next("chat.postMessage", 4, status=500)
        stats = await tick(h, sweep, 1)
        assert stats.errors == 0
        assert (await load_watch(h, watch_id)).state == "active"
        await tick(h, sweep, 3)

        failed = [c for c in h.slack.calls if c.status >= 500]
        assert {c.method for c in failed} == {"chat.update", "chat.postMessage"}
        texts = thread_texts(h)
        assert sum("now parsing" in t for t in texts) <= 1  # the skipped step is not replayed
        assert sum("parsed: 7 rows" in t for t in texts) == 1
        assert "7" in h.slack.messages("C0ALPHA")[0].text
        assert (await load_watch(h, watch_id)).state == "succeeded"
