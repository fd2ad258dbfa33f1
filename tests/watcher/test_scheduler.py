"""The Watcher really scheduling sweeps through APScheduler, and its housekeeping."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import FakeClock, SystemClock
from bot.store import repo
from bot.store.models import PolledJob, Watch
from bot.watcher.scheduler import Watcher

from .conftest import JOB_A, UPLOADING, World, add_watch, load_job, parsing, sim_job, succeeded


async def test_watcher_sweeps_on_its_own_until_the_job_ends_then_shuts_down(world: World) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(5), succeeded(9))
    async with world([job], clock=SystemClock(), POLL_INTERVAL_SECONDS="1") as h:
        assert h.runtime is not None
        await add_watch(h, JOB_A)
        card = h.slack.messages("C0ALPHA")[0]
        watcher = Watcher(h.runtime, tick_seconds=0.1)
        watcher.start()
        assert watcher.running
        try:
            await h.slack.wait_for(
                lambda: any("parsed: 9 rows" in m.text for m in h.slack.thread("C0ALPHA", card.ts)),
                timeout=20,
            )
        finally:
            await watcher.shutdown()
        assert not watcher.running
        assert watcher.ticks >= 3
        assert watcher.totals.polled == 3 == h.simulator.calls[JOB_A]
        assert (await load_job(h, JOB_A)).lease_owner is None


async def test_start_unpauses_jobs_paused_for_credentials(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(5))], clock=SystemClock()) as h:
        assert h.runtime is not None
        await add_watch(h, JOB_A)
        async with h.runtime.sessions.begin() as session:
            await session.execute(PolledJob.__table__.update().values(paused=True))
        watcher = Watcher(h.runtime, tick_seconds=0.1)
        watcher.start()
        try:
            await h.slack.wait_for(lambda: h.simulator.calls.get(JOB_A, 0) >= 1, timeout=10)
        finally:
            await watcher.shutdown()
        assert not (await load_job(h, JOB_A)).paused


async def test_shutdown_lets_an_in_flight_poll_finish_and_releases_its_lease(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(5))], clock=SystemClock()) as h:
        assert h.runtime is not None
        await add_watch(h, JOB_A)
        h.simulator.faults.latency = 0.5
        watcher = Watcher(h.runtime, tick_seconds=0.1)
        watcher.start()
        await h.slack.wait_for(lambda: h.simulator.calls.get(JOB_A, 0) >= 1, timeout=10)
        await watcher.shutdown()  # the poll is mid-flight now

        job = await load_job(h, JOB_A)
        assert job.lease_owner is None and job.rows == 5
        calls = h.simulator.calls[JOB_A]
        stats = await watcher.sweeper.poll_once()  # drained: claims nothing any more
        assert stats.claimed == 0 and h.simulator.calls[JOB_A] == calls


async def test_housekeeping_purges_watches_ended_before_the_retention(world: World) -> None:
    clock = FakeClock()
    async with world([sim_job(JOB_A, parsing(5))], clock=clock, RETENTION_DAYS="2") as h:
        assert h.runtime is not None
        old = await add_watch(h, JOB_A, channel="C0OLD")
        async with h.runtime.sessions.begin() as session:
            await repo.end_watch(session, watch_id=old, state="stopped", now=clock.now())
        clock.advance(timedelta(days=1).total_seconds())
        recent = await add_watch(h, JOB_A, channel="C0NEW")
        async with h.runtime.sessions.begin() as session:
            await repo.end_watch(session, watch_id=recent, state="stopped", now=clock.now())
        clock.advance(timedelta(days=1, hours=12).total_seconds())

        assert await Watcher(h.runtime).housekeeping() == 1
        async with h.runtime.sessions() as session:
            left = (await session.scalars(select(Watch.id))).all()
        assert left == [recent]
