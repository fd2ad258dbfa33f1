"""The APScheduler wiring: a sweep every tick, hourly housekeeping, a clean shutdown."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

# APScheduler 3 ships no type information.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.runtime import Runtime
from bot.store import housekeeping
from bot.watcher.stats import SweepStats
from bot.watcher.sweep import Sweeper

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "drs-sweep"
HOUSEKEEPING_JOB_ID = "drs-housekeeping"
DRAIN_SECONDS = 20.0  # how long shutdown lets in-flight polls finish before cancelling them


class _QuietScheduler(logging.Filter):
    """APScheduler's INFO lines (job added, scheduler started) only at LOG_LEVEL=DEBUG.

    The watcher logs its own start and stop. A sweep longer than a tick makes APScheduler skip
    ticks, by design: not worth a warning either.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if "maximum number of running instances" in record.getMessage():
            return False
        return record.levelno >= logging.WARNING or logging.getLogger().isEnabledFor(logging.DEBUG)


def _scheduler_logger() -> logging.Logger:
    logger = logging.getLogger(f"{__name__}.apscheduler")
    if not any(isinstance(f, _QuietScheduler) for f in logger.filters):
        logger.addFilter(_QuietScheduler())
    return logger


class Watcher:
    """Runs `Sweeper.poll_once` on an AsyncIOScheduler in the running event loop."""

    def __init__(
        self, runtime: Runtime, *, tick_seconds: float = 1.0, sweeper: Sweeper | None = None
    ) -> None:
        self.rt = runtime
        self.tick_seconds = tick_seconds
        self.sweeper = sweeper or Sweeper(runtime)
        self.ticks = 0
        self._scheduler: AsyncIOScheduler | None = None
        self._startup: asyncio.Task[None] | None = None

    @property
    def totals(self) -> SweepStats:
        """What every sweep so far counted, the running one included."""
        return self.sweeper.totals

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self) -> None:
        """Schedule the sweep and housekeeping; call from inside the running loop."""
        if self._scheduler is not None:
            raise RuntimeError("the watcher is already started")
        loop = asyncio.get_running_loop()
        scheduler = AsyncIOScheduler(event_loop=loop, timezone=UTC, logger=_scheduler_logger())
        now = datetime.now(UTC)
        scheduler.add_job(
            self._tick,
            "interval",
            seconds=self.tick_seconds,
            id=SWEEP_JOB_ID,
            max_instances=1,  # a long sweep delays the next; it never overlaps
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=now,
        )
        scheduler.add_job(
            self.housekeeping,
            "interval",
            hours=1,
            id=HOUSEKEEPING_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=now + timedelta(minutes=1),
        )
        scheduler.start()
        self._scheduler = scheduler
        # Paused jobs wait for fixed credentials, which only a restart can bring.
        self._startup = loop.create_task(self._unpause())
        log.info("watcher started: sweep every %gs", self.tick_seconds)

    async def shutdown(self) -> None:
        """Stop claiming, let in-flight polls finish (or release them), stop the scheduler."""
        # Drain first: shutting the scheduler down cancels the sweep it is running.
        await self.sweeper.drain(timeout=DRAIN_SECONDS)
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if self._startup is not None:
            await asyncio.gather(self._startup, return_exceptions=True)
        log.info("watcher stopped after %d sweeps", self.ticks)

    async def _tick(self) -> None:
        try:
            stats = await self.sweeper.poll_once()
        except Exception as exc:  # poll_once never raises; belt and braces for the scheduler
            log.error("sweep failed: %s: %s", type(exc).__name__, exc)
            return
        self.ticks += 1
        if stats.errors:
            log.warning("sweep finished with %d error(s): %s", stats.errors, stats)

    async def _unpause(self) -> None:
        try:
            async with self.rt.sessions.begin() as session:
                count = await housekeeping.unpause_all(session)
        except Exception as exc:
            log.error("could not unpause jobs: %s: %s", type(exc).__name__, exc)
            return
        if count:
            log.info("polling %d job(s) again that were paused for refused credentials", count)

    async def housekeeping(self) -> int:
        """Delete watches ended more than RETENTION_DAYS ago; returns how many (never raises)."""
        before = self.rt.clock.now() - timedelta(days=self.rt.settings.retention_days)
        try:
            async with self.rt.sessions.begin() as session:
                purged = await housekeeping.purge_ended(session, before=before)
                idle = await housekeeping.deactivate_orphans(session)
                await housekeeping.forget_seen_requests(session, now=self.rt.clock.now())
        except Exception as exc:
            log.error("housekeeping failed: %s: %s", type(exc).__name__, exc)
            return 0
        if purged or idle:
            log.info("housekeeping: %d ended watches purged, %d idle jobs", purged, idle)
        return purged
