"""One sweep of the watcher: claim due jobs, poll each once, fan the result out to its watches.

Per job, while holding its lease: query DRS (`bot.watcher.query`), record the poll
(`bot.store.leases`, in batches), decide for every active watch with a card, deliver
(`bot.watcher.deliver`), release the lease. Database transactions never span a DRS or Slack
await. Nothing here raises out of `poll_once`: failures are logged and counted.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import datetime

from bot.domain.watching import Observation, Outcome
from bot.drs.retry import SWEEP, RetryPolicy
from bot.logs import log_context
from bot.runtime import Runtime
from bot.store import leases, repo
from bot.store.models import PolledJob, Watch
from bot.store.rows import Claim, PolledState, WatchView
from bot.watcher.batch import (
    GroupWriter,
    Pending,
    Plan,
    Poll,
    Recorded,
    linger_for,
    observation,
    plan_deliveries,
    stored_observation,
)
from bot.watcher.deliver import deliver_plans
from bot.watcher.leasing import LeaseKeeper, PollPace, lease_seconds_for
from bot.watcher.naming import name_jobs
from bot.watcher.pacer import Funded, Pacer
from bot.watcher.query import poll_record, query_in_region
from bot.watcher.state import PolicyConfig
from bot.watcher.stats import SweepStats

log = logging.getLogger(__name__)

SWEEP_WINDOW_SECONDS = 30.0  # a busy sweep returns after this long (stats reach the log)
# One claim takes what falls due within this (polled up to this early; the schedule keeps its
# grid: next = due + interval), and while polls are in flight the sweep claims again this often.
# One claim transaction a tick, not one per finished poll: the fixed cost of a sweep.
CLAIM_AHEAD_SECONDS = 1.0
HOUSEKEEP_SECONDS = 5.0  # the expiry pass (and, while idle, job naming) at most this often


class Sweeper:
    """Claims due jobs and polls them; `serve`'s scheduler calls `poll_once` every tick."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        concurrency: int | None = None,
        lease_seconds: float | None = None,
        batch: int | None = None,
        retry: RetryPolicy = SWEEP,
    ) -> None:
        settings = runtime.settings
        self.rt = runtime
        self.interval = settings.poll_interval_seconds
        self.concurrency = concurrency or settings.poll_concurrency
        self.lease_seconds = lease_seconds or lease_seconds_for(self.interval)
        self.batch = batch or max(self.concurrency * 4, 64)
        self.config = PolicyConfig.from_settings(settings)
        self.retry = retry
        self.writer = leases.Writer(runtime.sessions)
        # Short leases, renewed while held: a dead replica's jobs move on within an interval.
        self.keeper = LeaseKeeper(self.writer.begin, runtime, self.lease_seconds)
        self.pace = PollPace(self.concurrency, self.interval, cap=self.batch)
        self.pacer = Pacer(runtime, concurrency=self.concurrency)
        self._sem = asyncio.Semaphore(self.concurrency)
        self._draining = False
        self._active = 0
        self._querying: set[int] = set()  # claimed jobs whose DRS query has not finished
        self._room = asyncio.Event()  # set as each query finishes
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recorder = GroupWriter(
            self._write,
            linger=linger_for(self.interval),
            more_coming=lambda: bool(self._querying),  # polls in flight will want a write too
        )
        # Claim in chunks: a claim transaction per finished poll would cost more than the polls.
        self._chunk = max(1, min(self.batch, self.concurrency) // 2)
        self._finished = SweepStats()
        self._current: SweepStats | None = None
        self._housekept: float | None = None  # monotonic time of the last expiry pass

    @property
    def totals(self) -> SweepStats:
        """Everything counted so far, including the sweep that is running."""
        total = SweepStats()
        total.add(self._finished)
        if self._current is not None:
            total.add(self._current)
        return total

    # ---- the sweep --------------------------------------------------------------------------

    async def poll_once(self) -> SweepStats:
        """Poll every job that is due, `batch` leased at a time; deliver; never raises.

        Under load it keeps claiming as polls finish (the semaphore stays busy rather than
        waiting for each claim's slowest poll) and returns once nothing is due or in flight,
        or after SWEEP_WINDOW_SECONDS, so the scheduler's next tick picks up from there.
        """
        stats = SweepStats()
        if self._draining:
            return stats
        self._active += 1
        self._quiet.clear()
        self._current = stats
        started = self.rt.clock.monotonic()
        try:
            async with self.keeper.running():
                await self._sweep(stats)
                housekeeping = self._housekeeping_due()
                if not self._draining and housekeeping:
                    await self._expiry_pass(stats)
            # Naming follows polling (a job polled now may be named now); idle, it waits too.
            if not self._draining and (housekeeping or stats.claimed):
                await name_jobs(
                    self.rt,
                    self.writer,
                    interval=self.interval,
                    lease_seconds=self.lease_seconds,
                    retry=self.retry,
                )
        except Exception as exc:  # never stop the scheduler
            stats.errors += 1
            log.error("sweep failed: %s: %s", type(exc).__name__, exc)
        finally:
            self.rt.metrics.sweep_seconds.observe(self.rt.clock.monotonic() - started)
            self._current = None
            self._finished.add(stats)
            self._active -= 1
            if self._active == 0:
                self._quiet.set()
        if stats.claimed or stats.errors or stats.ended:
            log.debug("sweep: %s", stats)
        return stats

    def _housekeeping_due(self) -> bool:
        now = self.rt.clock.monotonic()
        if self._housekept is not None and now - self._housekept < HOUSEKEEP_SECONDS:
            return False
        self._housekept = now
        return True

    async def _sweep(self, stats: SweepStats) -> None:
        mine: set[asyncio.Task[None]] = set()
        finished: list[asyncio.Task[None]] = []  # jobs of `mine` done since the last look
        deadline = self.rt.clock.monotonic() + SWEEP_WINDOW_SECONDS
        while not self._draining and self.rt.clock.monotonic() < deadline:
            more_due = await self._fill(mine, finished, stats)
            if not mine:
                break  # nothing due, nothing in flight: idle until the next tick
            # While more is due, wait for room; otherwise for the polls in flight, claiming
            # again a window later if slow polls are still running (the next tick does else).
            if more_due:
                done = await self._wait_for_room(finished)
            else:
                done, _ = await asyncio.wait(mine, timeout=CLAIM_AHEAD_SECONDS)
            mine -= done
            if not more_due and not mine:
                break
        if mine:  # wait, not gather: a cancelled sweep leaves its jobs to finish
            await asyncio.wait(mine)

    async def _wait_for_room(self, finished: list[asyncio.Task[None]]) -> set[asyncio.Task[None]]:
        """Until a job finishes or a query does (its write may linger): room to claim again.

        The event is set as each query and each job ends (`_queried`); finished jobs are
        collected by their done callbacks, so nothing here walks every task in flight.
        """
        self._room.clear()
        if not finished:
            await self._room.wait()
        done = set(finished)
        finished.clear()
        return done

    async def _fill(
        self,
        mine: set[asyncio.Task[None]],
        finished: list[asyncio.Task[None]],
        stats: SweepStats,
    ) -> bool:
        """Claim jobs for the room left in the batch; returns whether more may be due."""
        # No more in hand than the recent pace polls within an interval: the rest stays free
        room = self.pacer.cap(self.pace.claimable() - len(mine), in_hand=len(self._querying))
        if room < self.pacer.chunk(self._chunk) and mine:
            return True  # not looked: wait for room, not for every poll in flight
        claimed, claims = await self._claim(stats, limit=room)
        for claim, slot in claims:
            self._querying.add(claim.id)
            task = asyncio.create_task(self._job(claim, stats, slot))
            task.add_done_callback(finished.append)
            # also here: a job cancelled before it ran never reaches its own `_queried` call
            task.add_done_callback(functools.partial(self._queried, claim.id))
            mine.add(task)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # A full claim (even one the budget funded only in part): more may be due
        return claimed == room

    def _queried(self, polled_job_id: int, _: object = None) -> None:
        self._querying.discard(polled_job_id)
        self._room.set()
        if not self._querying:
            self._recorder.settled()

    async def drain(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Stop claiming; let in-flight jobs finish (cancelled after `timeout`; leases released)."""
        self._draining = True
        try:
            async with asyncio.timeout(timeout):
                await self._quiet.wait()
                if self._tasks:
                    await asyncio.wait(list(self._tasks))
        except TimeoutError:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _claim(self, stats: SweepStats, *, limit: int) -> tuple[int, list[Funded]]:
        """How many jobs were claimed, and those funded (the rest went back, still due)."""
        if limit <= 0:
            return 0, []
        async with self.writer.begin() as session:
            claims = await leases.claim_due(
                session,
                owner=self.rt.owner,
                now=self.rt.clock.now(),
                lease_seconds=self.lease_seconds,
                limit=limit,
                ahead=CLAIM_AHEAD_SECONDS,
            )
            funded = await self.pacer.fund(session, claims)  # the DRS budget: a slot per job
        self.keeper.hold(claim.id for claim, _ in funded)
        stats.claimed += len(funded)
        self.rt.metrics.claimed([claim for claim, _ in funded], now=self.rt.clock.now())
        return len(claims), funded

    async def _job(self, claim: Claim, stats: SweepStats, slot: float | None = None) -> None:
        release = True
        try:
            with log_context(job_id=claim.job_id):
                # Only the DRS query holds a place among the polls in flight: the write (which
                # lingers to group polls) and any delivery follow outside it
                try:
                    async with self._sem:
                        await self.pacer.wait(slot)
                        with self.pacer.ticket(slot):
                            poll = await self._query(claim, stats)
                finally:
                    self._queried(claim.id)
                release = await self._record_and_deliver(claim, poll, stats)
        except leases.LeaseLost:
            stats.lost += 1
            self.rt.metrics.leases_lost.inc()
            release = False
            log.info("lease on %s lost to another replica; result dropped", claim.job_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Keep the lease: its expiry spaces the retry (releasing would make the job due
            # again at once, a tight loop against DRS while the database or a bug fails).
            release = False
            stats.errors += 1
            log.error("job %s: %s: %s", claim.job_id, type(exc).__name__, exc)
        finally:
            self.keeper.drop(claim.id)
            if release:
                await asyncio.shield(self._release(claim.id))

    async def _release(self, polled_job_id: int) -> None:
        try:
            async with self.writer.begin() as session:
                await leases.release_lease(
                    session, polled_job_id=polled_job_id, owner=self.rt.owner
                )
        except Exception as exc:  # the lease then simply expires
            log.warning("could not release lease %s: %s", polled_job_id, type(exc).__name__)

    async def _query(self, claim: Claim, stats: SweepStats) -> Poll:
        started = self.rt.clock.monotonic()
        poll = await query_in_region(self.rt.regions, claim, self.retry)
        self.pace.observe(self.rt.clock.monotonic() - started)
        if poll.outcome is Outcome.OK:
            stats.polled += 1
        else:
            stats.failed += 1
        return poll

    async def _record_and_deliver(self, claim: Claim, poll: Poll, stats: SweepStats) -> bool:
        """Returns whether the lease still needs releasing."""
        recorded = await self._recorder.record(claim, poll)
        if not recorded.plans:
            return False  # released in the same write
        # Something to tell (rare): deliver with the full watch rows, read fresh.
        decided = {view.id: (told, decision) for view, told, decision in recorded.plans}
        async with self.rt.sessions() as session:
            watches = await repo.active_watches_for_job(session, polled_job_id=claim.id)
        plans = [(w, *decided[w.id]) for w in watches if w.id in decided]
        if plans:
            job = plans[0][0].polled_job
            await self._deliver(plans, job, recorded.obs, recorded.now, stats)
        return True

    async def _write(self, items: list[Pending]) -> list[Recorded | None]:
        """One transaction for many polls: store them, decide, release what needs no delivery."""
        now = self.rt.clock.now()
        polls = {item.claim.id: item.poll for item in items}
        records = [
            poll_record(item.claim, item.poll, interval=self.interval, now=now) for item in items
        ]
        seen: dict[int, Observation] = {}

        def plan(state: PolledState, views: list[WatchView]) -> list[Plan[WatchView]]:
            seen[state.id] = observation(state, polls[state.id])
            return plan_deliveries(views, seen[state.id], now, self.config)

        async with self.writer.begin() as session:
            done = await leases.record_polls(
                session, owner=self.rt.owner, records=records, now=now, plan=plan
            )
        # None: the lease went to another replica
        return [
            Recorded(seen[i], now, done[i][1]) if i in done else None
            for i in (item.claim.id for item in items)
        ]

    async def _deliver(
        self,
        plans: list[Plan[Watch]],
        job: PolledJob,
        obs: Observation,
        now: datetime,
        stats: SweepStats,
    ) -> None:
        await deliver_plans(
            self.rt, plans, job, obs, now, stats, config=self.config, tx=self.writer.begin
        )

    # ---- expiry of watches whose job is not being polled -----------------------------------

    async def _expiry_pass(self, stats: SweepStats) -> None:
        """End watches past expires_at even while their job is paused or backing off."""
        now = self.rt.clock.now()
        async with self.writer.begin() as session:
            job_ids = await leases.expiring_jobs(session, now=now, limit=self.batch)
        for polled_job_id in job_ids:
            if self._draining:
                return
            async with self.writer.begin() as session:
                taken = await leases.take_lease(
                    session,
                    polled_job_id=polled_job_id,
                    owner=self.rt.owner,
                    now=now,
                    lease_seconds=self.lease_seconds,
                )
            if not taken:
                continue
            self.keeper.hold([polled_job_id])
            try:
                async with self._sem:
                    await self._expire_job(polled_job_id, stats)
            except Exception as exc:
                stats.errors += 1
                log.error("expiry of job %s: %s: %s", polled_job_id, type(exc).__name__, exc)
            finally:
                self.keeper.drop(polled_job_id)
                await asyncio.shield(self._release(polled_job_id))

    async def _expire_job(self, polled_job_id: int, stats: SweepStats) -> None:
        now = self.rt.clock.now()
        async with self.writer.begin() as session:
            state = await leases.polled_state(session, polled_job_id=polled_job_id)
            watches = await repo.active_watches_for_job(session, polled_job_id=polled_job_id)
        due = [w for w in watches if w.expires_at <= now]
        if state is None or not due:
            return
        obs = stored_observation(state)
        before = stats.ended
        await self._deliver(
            plan_deliveries(due, obs, now, self.config), due[0].polled_job, obs, now, stats
        )
        stats.expired += stats.ended - before
