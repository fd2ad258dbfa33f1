"""One sweep of the watcher: claim due jobs, poll each once, fan the result out to its watches.

Per job, while holding its lease: query DRS (a short retry; backing off across polls is this
module's job), record the poll, decide for every active watch with a card, deliver (see
`bot.watcher.deliver`), release the lease. Database transactions never span a DRS or Slack
await. Nothing here raises out of `poll_once`: failures are logged and counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.watching import Observation, Outcome, Told
from bot.drs.retry import RetryPolicy
from bot.errors import BotError, CredentialsRefused, DrsError, JobNotFound
from bot.runtime import Runtime
from bot.store import polls, repo
from bot.store.models import PolledJob, Watch
from bot.watcher.batch import (
    Claim,
    GroupWriter,
    Pending,
    Poll,
    Recorded,
    backoff_seconds,
    observation,
    stored_observation,
)
from bot.watcher.deliver import WatchDelivery, told_of, watch_facts
from bot.watcher.policy import decide
from bot.watcher.state import Decision, PolicyConfig

log = logging.getLogger(__name__)

W = TypeVar("W", Watch, polls.WatchView)
SWEEP_WINDOW_SECONDS = 30.0  # a busy sweep returns after this long (stats reach the log)
RECLAIM_SECONDS = 0.2  # while polls are in flight, look for newly due jobs this often


@dataclass
class SweepStats:
    """Counts from one `poll_once` (or a sum of them)."""

    claimed: int = 0  # jobs leased this sweep
    polled: int = 0  # DRS queries that returned a progress
    failed: int = 0  # DRS queries that did not (unavailable, throttled, refused, not found)
    delivered: int = 0  # Slack calls accepted
    ended: int = 0  # watches that ended
    expired: int = 0  # watches ended by the expiry pass (job paused or backing off)
    lost: int = 0  # leases lost to another replica (results dropped)
    errors: int = 0  # unexpected errors (database, bugs): logged, never raised

    def add(self, other: SweepStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Sweeper:
    """Claims due jobs and polls them; `serve`'s scheduler calls `poll_once` every tick."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        concurrency: int | None = None,
        lease_seconds: float | None = None,
        batch: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        settings = runtime.settings
        self.rt = runtime
        self.interval = settings.poll_interval_seconds
        self.concurrency = concurrency or settings.poll_concurrency
        self.lease_seconds = lease_seconds or max(30.0, 3 * self.interval)
        self.batch = batch or max(self.concurrency * 4, 64)
        self.config = PolicyConfig.from_settings(settings)
        # Short: a down DRS is waited out across polls (backoff), not inside one sweep.
        base = runtime.drs.retry
        self.retry = retry or replace(
            base, attempts=min(base.attempts, 2), deadline=min(base.deadline, 3.0)
        )
        self._sem = asyncio.Semaphore(self.concurrency)
        self._draining = False
        self._active = 0
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._tasks: set[asyncio.Task[None]] = set()
        # SQLite has one writer: queueing writers here beats SQLite's sleeping busy handler
        # by orders of magnitude once dozens of polls finish at the same moment.
        sqlite = runtime.engine.dialect.name == "sqlite"
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if sqlite else None
        self._recorder = GroupWriter(self._write)
        self._chunk = max(1, min(self.batch, self.concurrency) // 2)
        self._finished = SweepStats()
        self._current: SweepStats | None = None

    @contextlib.asynccontextmanager
    async def tx(self) -> AsyncIterator[AsyncSession]:
        """A short write transaction (one at a time on SQLite)."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_lock is not None:
                await stack.enter_async_context(self._write_lock)
            yield await stack.enter_async_context(self.rt.sessions.begin())

    # ---- the sweep --------------------------------------------------------------------------

    @property
    def totals(self) -> SweepStats:
        """Everything counted so far, including the sweep that is running."""
        total = SweepStats()
        total.add(self._finished)
        if self._current is not None:
            total.add(self._current)
        return total

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
        mine: set[asyncio.Task[None]] = set()
        deadline = self.rt.clock.monotonic() + SWEEP_WINDOW_SECONDS
        try:
            while not self._draining and self.rt.clock.monotonic() < deadline:
                room = self.batch - len(mine)
                more_due = False
                # Claim in chunks: a claim transaction per finished poll would cost more
                # than the polls themselves.
                if room >= self._chunk or not mine:
                    claims = await self._claim(stats, limit=room)
                    more_due = len(claims) == room
                    for claim in claims:
                        task = asyncio.create_task(self._job(claim, stats))
                        mine.add(task)
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                if not mine:
                    break  # nothing due, nothing in flight: idle until the next tick
                # While more is due, wait for room; otherwise look again soon for jobs
                # falling due while slow polls are still in flight.
                done, _ = await asyncio.wait(
                    mine,
                    timeout=None if more_due else RECLAIM_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                mine -= done
            if mine:  # wait, not gather: a cancelled sweep leaves its jobs to finish
                await asyncio.wait(mine)
            if not self._draining:
                await self._expiry_pass(stats)
        except Exception as exc:  # never stop the scheduler
            stats.errors += 1
            log.error("sweep failed: %s: %s", type(exc).__name__, exc)
        finally:
            self._current = None
            self._finished.add(stats)
            self._active -= 1
            if self._active == 0:
                self._quiet.set()
        if stats.claimed or stats.errors or stats.ended:
            log.debug("sweep: %s", stats)
        return stats

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

    async def _claim(self, stats: SweepStats, *, limit: int) -> list[Claim]:
        now = self.rt.clock.now()
        async with self.tx() as session:
            jobs = await repo.claim_due(
                session,
                owner=self.rt.owner,
                now=now,
                lease_seconds=self.lease_seconds,
                limit=limit,
            )
            claims = [
                Claim(
                    j.id, j.job_id, j.query_type, j.language, j.next_poll_at, j.consecutive_failures
                )
                for j in jobs
            ]
        stats.claimed += len(claims)
        return claims

    async def _query(self, claim: Claim) -> Poll:
        try:
            progress = await self.rt.drs.query(
                claim.job_id,
                job_type=claim.query_type or None,
                language=claim.language or None,
                retry=self.retry,
            )
        except JobNotFound as exc:
            return Poll(Outcome.NOT_FOUND, error=exc)
        except CredentialsRefused as exc:
            log.error("DRS refused the credentials; job %s paused: %s", claim.job_id, exc)
            return Poll(Outcome.CREDENTIALS, error=exc)
        except DrsError as exc:  # unavailable, throttled, rejected: back off and try again
            log.info("poll of %s failed: %s", claim.job_id, exc.describe())
            return Poll(Outcome.UNAVAILABLE, error=exc)
        except BotError as exc:  # e.g. a stored job ID the guard refuses: never a tight loop
            log.warning("poll of %s failed: %s", claim.job_id, exc)
            return Poll(Outcome.UNAVAILABLE, error=DrsError(str(exc)))
        return Poll(Outcome.OK, progress=progress)

    def _next_poll(self, claim: Claim, poll: Poll, failures: int, now: datetime) -> datetime:
        interval = timedelta(seconds=self.interval)
        if poll.outcome in (Outcome.OK, Outcome.CREDENTIALS, Outcome.NOT_FOUND):
            # Keep the schedule (due + interval) unless that is in the past already.
            slot = (claim.due_at or now) + interval
            return slot if slot > now else now + interval / 2
        retry_after = poll.error.retry_after if poll.error is not None else None
        return now + timedelta(seconds=backoff_seconds(self.interval, failures, retry_after))

    async def _job(self, claim: Claim, stats: SweepStats) -> None:
        release = True
        try:
            async with self._sem:
                release = await self._poll_and_deliver(claim, stats)
        except repo.LeaseLost:
            stats.lost += 1
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
            if release:
                await asyncio.shield(self._release(claim.id))

    async def _release(self, polled_job_id: int) -> None:
        try:
            async with self.tx() as session:
                await repo.release_lease(session, polled_job_id=polled_job_id, owner=self.rt.owner)
        except Exception as exc:  # the lease then simply expires
            log.warning("could not release lease %s: %s", polled_job_id, type(exc).__name__)

    async def _poll_and_deliver(self, claim: Claim, stats: SweepStats) -> bool:
        """Returns whether the lease still needs releasing."""
        poll = await self._query(claim)
        if poll.outcome is Outcome.OK:
            stats.polled += 1
        else:
            stats.failed += 1
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
        records = {item.claim.id: self._record_of(item, now) for item in items}
        async with self.tx() as session:
            before = await polls.leased_states(session, owner=self.rt.owner, ids=list(records))
            after = {i: polls.apply_poll(state, records[i], now) for i, state in before.items()}
            views = await polls.watch_views(session, polled_job_ids=list(after))
            results: list[Recorded | None] = []
            release: set[int] = set()
            for item in items:
                state = after.get(item.claim.id)
                if state is None:
                    results.append(None)  # the lease went to another replica
                    continue
                obs = observation(state, item.poll)
                plans = self._plans(views[state.id], obs, now)
                if not plans:
                    release.add(state.id)
                results.append(Recorded(obs, now, plans))
            await polls.save_states(
                session, owner=self.rt.owner, states=after.values(), release=release
            )
        return results

    def _record_of(self, item: Pending, now: datetime) -> polls.PollRecord:
        claim, poll = item.claim, item.poll
        return polls.PollRecord(
            polled_job_id=claim.id,
            next_poll_at=self._next_poll(claim, poll, claim.failures + 1, now),
            progress=poll.progress,
            error_kind=None if poll.outcome is Outcome.OK else poll.outcome.value,
            error_message=poll.error.describe() if poll.error is not None else None,
            paused=True if poll.outcome is Outcome.CREDENTIALS else None,
        )

    def _plans(
        self, watches: Sequence[W], obs: Observation, now: datetime
    ) -> list[tuple[W, Told, Decision]]:
        plans = []
        for watch in watches:
            if watch.card_ts is None:
                continue  # the listener sets the card right after posting it
            told = told_of(watch)
            decision = decide(told, obs, watch_facts(watch, watches), now, self.config)
            if decision.actions or decision.told != told or decision.end_state:
                plans.append((watch, told, decision))
        return plans

    async def _deliver(
        self,
        plans: list[tuple[Watch, Told, Decision]],
        job: PolledJob,
        obs: Observation,
        now: datetime,
        stats: SweepStats,
    ) -> None:
        for watch, told, decision in plans:
            try:
                delivery = WatchDelivery(
                    self.rt, watch, job, obs=obs, now=now, config=self.config, tx=self.tx
                )
                result = await delivery.run(told, decision)
            except Exception as exc:  # one watch's trouble leaves the others untouched
                stats.errors += 1
                log.error("watch %s: %s: %s", watch.id, type(exc).__name__, exc)
                continue
            stats.delivered += result.sent
            stats.ended += 1 if result.ended else 0

    # ---- expiry of watches whose job is not being polled -----------------------------------

    async def _expiry_pass(self, stats: SweepStats) -> None:
        """End watches past expires_at even while their job is paused or backing off."""
        now = self.rt.clock.now()
        async with self.tx() as session:
            rows = await session.execute(
                select(Watch.polled_job_id)
                .join(Watch.polled_job)
                .where(
                    Watch.state == repo.ACTIVE,
                    Watch.expires_at <= now,
                    Watch.card_ts.is_not(None),
                    or_(PolledJob.lease_owner.is_(None), PolledJob.lease_expires_at <= now),
                )
                .distinct()
                .limit(self.batch)
            )
            job_ids = [r[0] for r in rows]
        for polled_job_id in job_ids:
            if self._draining:
                return
            if not await self._take_lease(polled_job_id, now):
                continue
            try:
                async with self._sem:
                    await self._expire_job(polled_job_id, stats)
            except Exception as exc:
                stats.errors += 1
                log.error("expiry of job %s: %s: %s", polled_job_id, type(exc).__name__, exc)
            finally:
                await asyncio.shield(self._release(polled_job_id))

    async def _take_lease(self, polled_job_id: int, now: datetime) -> bool:
        async with self.tx() as session:
            result = await session.execute(
                update(PolledJob)
                .where(
                    PolledJob.id == polled_job_id,
                    or_(PolledJob.lease_owner.is_(None), PolledJob.lease_expires_at <= now),
                )
                .values(
                    lease_owner=self.rt.owner,
                    lease_expires_at=now + timedelta(seconds=self.lease_seconds),
                )
                .returning(PolledJob.id)
                .execution_options(synchronize_session=False)
            )
            return result.first() is not None

    async def _expire_job(self, polled_job_id: int, stats: SweepStats) -> None:
        now = self.rt.clock.now()
        async with self.tx() as session:
            job = await session.get(PolledJob, polled_job_id, populate_existing=True)
            if job is None:
                return
            watches = await repo.active_watches_for_job(session, polled_job_id=polled_job_id)
        obs = stored_observation(job)
        due = [w for w in watches if w.expires_at <= now]
        before = stats.ended
        await self._deliver(self._plans(due, obs, now), job, obs, now, stats)
        stats.expired += stats.ended - before
