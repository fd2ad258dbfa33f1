"""The DRS request budget across replicas: three sweeps on one PostgreSQL never exceed
DRS_MAX_RPS in any one-second window, stretch every watch's interval evenly, and a throttle
seen by one replica holds back the others."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.clock import FakeClock, SystemClock
from bot.compose import build_runtime, close_runtime
from bot.domain import pacing
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import SimRequest
from bot.runtime import Runtime
from bot.sandbox.harness import Harness
from bot.store import budget as budget_store
from bot.watcher.sweep import Sweeper

from .conftest import UPLOADING, World, add_watch, still_clock

MAX_RPS = 10
WATCHES = 20


def job_ids(count: int) -> list[str]:
    return [f"{i:08x}-8e09-4a5d-8dd6-cc44f78jb{i:03d}" for i in range(count)]


@asynccontextmanager
async def replicas(h: Harness, count: int) -> AsyncIterator[list[Runtime]]:
    """`count` Runtimes on the harness's database and stand-ins (the harness's own first)."""
    assert h.runtime is not None
    async with AsyncExitStack() as stack:
        found = [h.runtime]
        for _ in range(count - 1):
            runtime = await build_runtime(h.settings, clock=h.runtime.clock)
            runtime.owner = f"replica-{uuid.uuid4().hex[:6]}"
            stack.push_async_callback(close_runtime, runtime)
            found.append(runtime)
        yield found


def progress_polls(requests: list[SimRequest]) -> list[SimRequest]:
    return [r for r in requests if r.path.endswith("/progress")]


def busiest_second(times: list[float]) -> int:
    """The most requests that arrived within any one-second window [t, t + 1)."""
    times = sorted(times)
    return max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))


def longest_gaps(polls: list[SimRequest]) -> dict[str, float]:
    """Per job, the longest time between two of its polls."""
    times: dict[str, list[float]] = {}
    for poll in polls:
        times.setdefault(poll.path, []).append(poll.at)
    return {
        path: max(b - a for a, b in itertools.pairwise(seen))
        for path, seen in times.items()
        if len(seen) > 1
    }


async def run_sweeps(sweepers: list[Sweeper], seconds: float) -> None:
    """Every replica sweeping as `serve`'s scheduler would, for `seconds` of real time."""

    async def loop(sweeper: Sweeper) -> None:
        while True:
            await sweeper.poll_once()
            await asyncio.sleep(0.05)

    tasks = [asyncio.create_task(loop(s)) for s in sweepers]
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*(s.drain(timeout=5) for s in sweepers))


def named_jobs(count: int) -> list[SimJob]:
    return [
        SimJob(job_id, [UPLOADING], step_seconds=0, details={"name": f"orders-{i}"})
        for i, job_id in enumerate(job_ids(count))
    ]


async def test_three_replicas_never_exceed_the_budget_in_any_second(pg_world: World) -> None:
    jobs = named_jobs(20)
    env = {"DRS_MAX_RPS": "10", "POLL_INTERVAL_SECONDS": "1"}
    async with pg_world(jobs, clock=SystemClock(), **env) as h, replicas(h, 3) as runtimes:
        for job in jobs:
            await add_watch(h, job.job_id)
        await run_sweeps([Sweeper(rt) for rt in runtimes], seconds=4.0)
        sent = list(h.simulator.requests)  # every DRS request counts (polls, job details)

    # 20 watches at 1 s would need 20 requests a second (and their details); the budget is 10.
    assert busiest_second([r.at for r in sent]) <= 10
    assert len({r.path for r in progress_polls(sent)}) == 20, "every watch had its turn"
    assert len(sent) >= 4 * 10 * 0.5, "the budget was used, not only respected"


async def test_over_budget_every_watch_interval_stretches_evenly(pg_world: World) -> None:
    """Three replicas take turns on one clock that the test moves in steps no longer than a
    request may be late for its slot, so every request is sent at its slot's time."""
    jobs = named_jobs(WATCHES)
    env = {"DRS_MAX_RPS": str(MAX_RPS), "POLL_INTERVAL_SECONDS": "1"}
    async with pg_world(jobs, clock=still_clock(), **env) as h, replicas(h, 3) as runtimes:
        clock = runtimes[0].clock
        assert isinstance(clock, FakeClock)
        for job in jobs:
            await add_watch(h, job.job_id)
        sweepers = []
        for runtime in runtimes:
            assert runtime.budget is not None
            runtime.budget.horizon = pacing.LATE
            sweepers.append(Sweeper(runtime))
        for _ in range(int(5 / pacing.LATE)):
            for sweeper in sweepers:
                await sweeper.poll_once()
            clock.advance(pacing.LATE)
        sent = list(h.simulator.requests)

    assert busiest_second([r.at for r in sent]) <= MAX_RPS
    gaps = longest_gaps(progress_polls(sent))
    assert len(gaps) == WATCHES, "every watch was polled again (no starvation)"
    limit = 1.2 * WATCHES / MAX_RPS  # 20 watches at 1 s need 20 requests a second
    assert max(gaps.values()) <= limit, f"longest gap {max(gaps.values()):.2f}s > {limit:.2f}s"
    assert min(gaps.values()) >= 0.8 * WATCHES / MAX_RPS, "no watch got more than its share"


async def test_a_throttle_seen_by_one_replica_holds_back_the_others(world: World) -> None:
    ids = job_ids(3)
    jobs = [SimJob(job_id, [UPLOADING], step_seconds=0) for job_id in ids]
    async with world(jobs, clock=still_clock()) as h, replicas(h, 2) as (first, second):
        clock = first.clock
        assert isinstance(clock, FakeClock)
        for job_id in ids:
            await add_watch(h, job_id)
        h.simulator.faults.throttle_next = 1
        h.simulator.faults.retry_after = 30
        await Sweeper(first).poll_once()
        assert h.simulator.faults.fired.get("throttle_next") == 1
        async with first.sessions() as session:
            schedule = await budget_store.read_schedule(session)
        assert schedule.slow_until >= clock.now().timestamp() + 30

        other = Sweeper(second)
        clock.advance(10)  # two jobs are due again; the other replica may not send yet
        before = len(progress_polls(h.simulator.requests))
        stats = await other.poll_once()
        assert (stats.claimed, len(progress_polls(h.simulator.requests))) == (0, before)
        assert second.budget is not None and await second.budget.reserve(1) == []

        clock.advance(25)  # past the shared slow-down: all three are polled again
        stats = await other.poll_once()
        assert stats.polled == 3
        assert len(progress_polls(h.simulator.requests)) == before + 3
