"""Durability: a new process resumes an abandoned lease on the same card and thread; two
replicas on one PostgreSQL poll each job once per interval and post each final reply once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import FakeClock
from bot.compose import build_runtime, close_runtime
from bot.drs.sim_jobs import SimJob
from bot.runtime import Runtime
from bot.sandbox.harness import Harness
from bot.store import leases
from bot.watcher.sweep import Sweeper

from .conftest import (
    INTERVAL,
    JOB_A,
    UPLOADING,
    World,
    add_watch,
    load_job,
    load_watch,
    parsing,
    sim_job,
    succeeded,
)


@asynccontextmanager
async def another_process(h: Harness) -> AsyncIterator[Runtime]:
    """A second Runtime on the same database and stand-ins, with its own lease name."""
    assert h.runtime is not None
    runtime = await build_runtime(h.settings, clock=h.runtime.clock)
    runtime.owner = f"replica-{uuid.uuid4().hex[:6]}"
    try:
        yield runtime
    finally:
        await close_runtime(runtime)


async def test_new_process_resumes_abandoned_lease_on_same_card_and_thread(world: World) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(5), parsing(8), succeeded(9))
    async with world([job]) as h:
        assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
        clock = h.runtime.clock
        watch_id = await add_watch(h, JOB_A)
        card = h.slack.messages("C0ALPHA")[0]
        first = Sweeper(h.runtime)
        await first.poll_once()
        clock.advance(INTERVAL)
        await first.poll_once()  # the phase reply opens the card's thread
        clock.advance(INTERVAL)
        async with h.runtime.sessions.begin() as session:  # claimed, then killed (-9)
            claimed = await leases.claim_due(
                session, owner=h.runtime.owner, now=clock.now(), lease_seconds=30, limit=10
            )
        assert len(claimed) == 1

        async with another_process(h) as runtime:
            second = Sweeper(runtime)
            stats = await second.poll_once()
            assert stats.claimed == 0, "the dead process's lease holds until it expires"
            clock.advance(31)
            for _ in range(3):
                await second.poll_once()
                clock.advance(INTERVAL)

        assert [m.ts for m in h.slack.messages("C0ALPHA") if not m.is_reply] == [card.ts]
        assert "9" in card.text
        replies = h.slack.thread("C0ALPHA", card.ts)
        assert sum("now parsing" in m.text for m in replies) == 1
        assert sum("parsed: 9 rows" in m.text for m in replies) == 1
        watch = await load_watch(h, watch_id)
        assert watch.state == "succeeded" and watch.thread_ts == card.ts
        assert (await load_job(h, JOB_A)).lease_owner is None


def many_jobs(n: int) -> list[SimJob]:
    return [
        sim_job(
            f"{i:08x}-0000-4000-8000-00000000jb{i % 100:02d}", UPLOADING, parsing(i), succeeded(i)
        )
        for i in range(1, n + 1)
    ]


async def test_two_replicas_poll_each_job_once_per_interval_and_reply_once(
    pg_world: World,
) -> None:
    jobs = many_jobs(24)
    async with pg_world(jobs) as h, another_process(h) as other:
        assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
        for job in jobs:
            await add_watch(h, job.job_id, channel="C0ALPHA")
            await add_watch(h, job.job_id, channel="C0BETA")
        one, two = Sweeper(h.runtime, batch=7), Sweeper(other, batch=7)
        claimed = [0, 0]
        for _ in range(6):
            a, b = await asyncio.gather(one.poll_once(), two.poll_once())
            claimed[0] += a.claimed
            claimed[1] += b.claimed
            # Both replicas keep sweeping within the interval: nothing is due twice.
            a, b = await asyncio.gather(one.poll_once(), two.poll_once())
            claimed[0] += a.claimed
            claimed[1] += b.claimed
            h.runtime.clock.advance(INTERVAL)

        assert all(claimed), f"both replicas did work: {claimed}"
        assert {h.simulator.calls[j.job_id] for j in jobs} == {3}  # one poll per interval each
        for channel in ("C0ALPHA", "C0BETA"):
            for card in (m for m in h.slack.messages(channel) if not m.is_reply):
                finals = [m for m in h.slack.thread(channel, card.ts) if "parsed:" in m.text]
                assert len(finals) == 1, card.text
                assert h.slack.reactions(channel, card.ts) == ["white_check_mark"]
