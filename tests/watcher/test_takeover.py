"""Fast takeover: a dead replica's jobs are polled by another within two intervals plus a few
seconds; a live replica's leases are renewed while its polls run, so nobody takes them."""

from __future__ import annotations

import asyncio

import pytest

from bot.clock import FakeClock
from bot.store import leases
from bot.watcher.leasing import LEASE_FLOOR_SECONDS, PollPace, lease_seconds_for
from bot.watcher.sweep import Sweeper

from .conftest import INTERVAL, JOB_A, World, add_watch, parsing, sim_job
from .test_sweep_replicas import another_process, many_jobs


async def test_a_dead_replicas_jobs_are_polled_within_two_intervals(world: World) -> None:
    jobs = many_jobs(5)
    async with world(jobs) as h:
        rt = h.runtime
        assert rt is not None and isinstance(rt.clock, FakeClock)
        for job in jobs:
            await add_watch(h, job.job_id)
        dead = Sweeper(rt)
        async with rt.sessions.begin() as session:  # replica one claims, then is killed (-9)
            claimed = await leases.claim_due(
                session,
                owner=rt.owner,
                now=rt.clock.now(),
                lease_seconds=dead.lease_seconds,
                limit=50,
            )
        assert len(claimed) == len(jobs)
        async with another_process(h) as runtime:
            alive = Sweeper(runtime)
            waited = 0
            while any(h.simulator.calls.get(j.job_id, 0) == 0 for j in jobs):
                stats = await alive.poll_once()  # the scheduler's tick: once a second
                assert waited >= dead.lease_seconds or stats.claimed == 0, "a live lease is kept"
                rt.clock.advance(1)
                waited += 1
                assert waited <= 2 * INTERVAL + 5, "jobs of the dead replica not taken over"
        assert all(h.simulator.calls[j.job_id] == 1 for j in jobs)


async def test_a_lease_is_renewed_while_its_poll_runs(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(1), parsing(2))]) as h:
        rt = h.runtime
        assert rt is not None and isinstance(rt.clock, FakeClock)
        await add_watch(h, JOB_A)
        one = Sweeper(rt)
        h.simulator.faults.latency = 1.5  # real seconds: DRS is slow to answer
        sweep = asyncio.create_task(one.poll_once())
        async with asyncio.timeout(10):
            while not one.keeper.held:  # noqa: ASYNC110 (a plain set the sweep fills)
                await asyncio.sleep(0.01)
        rt.clock.advance(one.lease_seconds + 1)  # longer than the lease
        assert await one.keeper.renew() == 1  # what its renewal loop does every lease/3
        async with another_process(h) as runtime:
            assert (await Sweeper(runtime).poll_once()).claimed == 0
        stats = await sweep
        assert (stats.polled, stats.lost) == (1, 0), "the slow poll's result was kept"


async def test_the_keeper_renews_in_the_background_until_the_sweep_ends(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(1))]) as h:
        rt = h.runtime
        assert rt is not None and isinstance(rt.clock, FakeClock)
        await add_watch(h, JOB_A)
        one = Sweeper(rt)
        async with rt.sessions.begin() as session:
            [claim] = await leases.claim_due(
                session, owner=rt.owner, now=rt.clock.now(), lease_seconds=5, limit=1
            )
        one.keeper.every = 0.01
        one.keeper.hold([claim.id])
        rt.clock.advance(100)
        async with one.keeper.running(), asyncio.timeout(10):
            while one.keeper.renewed == 0:  # noqa: ASYNC110 (a counter, no event to wait on)
                await asyncio.sleep(0.01)
        async with another_process(h) as runtime:
            assert (await Sweeper(runtime).poll_once()).claimed == 0


async def test_a_replica_claims_no_more_than_it_polls_in_an_interval(world: World) -> None:
    jobs = many_jobs(10)
    async with world(jobs) as h:
        rt = h.runtime
        assert rt is not None and isinstance(rt.clock, FakeClock)
        for job in jobs:
            await add_watch(h, job.job_id)
        one = Sweeper(rt, concurrency=2, batch=64)
        one.pace.observe(INTERVAL)  # lately each poll took an interval: two in flight fit
        h.simulator.faults.latency = 1.0  # real seconds, so its polls are still in flight
        sweep = asyncio.create_task(one.poll_once())
        async with asyncio.timeout(10):
            while not one.keeper.held:  # noqa: ASYNC110 (a plain set the sweep fills)
                await asyncio.sleep(0.01)
        assert len(one.keeper.held) == 2
        async with another_process(h) as runtime:
            assert (await Sweeper(runtime).poll_once()).claimed == len(jobs) - 2
        await sweep
        assert all(h.simulator.calls[j.job_id] == 1 for j in jobs)


@pytest.mark.parametrize(
    ("interval", "lease"), [(1, LEASE_FLOOR_SECONDS), (10, 5.0), (30, 15.0), (300, 150.0)]
)
def test_a_lease_lasts_half_an_interval_and_never_less_than_the_floor(
    interval: int, lease: float
) -> None:
    assert lease_seconds_for(interval) == lease


@pytest.mark.parametrize(
    ("mean", "claimable"),
    [(None, 128), (0.1, 128), (1.0, 80), (5.0, 16), (60.0, 8)],
)
def test_claims_are_no_larger_than_what_the_recent_pace_polls_in_an_interval(
    mean: float | None, claimable: int
) -> None:
    pace = PollPace(8, 10, cap=128)
    if mean is not None:
        pace.observe(mean)
    assert pace.claimable() == claimable


async def test_a_renewal_skips_rows_a_batch_write_holds_instead_of_waiting(
    pg_world: World,
) -> None:
    """A renewal waiting on rows the sweep's write locked could deadlock with it (PostgreSQL)."""
    from sqlalchemy import select

    from bot.store.models import PolledJob
    from bot.store.renewals import renew_leases

    jobs = many_jobs(2)
    async with pg_world(jobs) as h:
        rt = h.runtime
        assert rt is not None
        for job in jobs:
            await add_watch(h, job.job_id)
        async with rt.sessions.begin() as session:
            claims = await leases.claim_due(
                session, owner=rt.owner, now=rt.clock.now(), lease_seconds=5, limit=2
            )
        ids = sorted(c.id for c in claims)
        async with rt.sessions.begin() as writing:  # the batch write, holding the first row
            await writing.execute(
                select(PolledJob.id).where(PolledJob.id == ids[0]).with_for_update()
            )
            async with rt.sessions.begin() as session, asyncio.timeout(10):
                renewed = await renew_leases(
                    session, owner=rt.owner, ids=ids, now=rt.clock.now(), lease_seconds=5
                )
        assert renewed == 1


def test_claims_never_exceed_the_batch_even_below_the_concurrency() -> None:
    pace = PollPace(32, 10, cap=7)
    pace.observe(30.0)
    assert pace.claimable() == 7
