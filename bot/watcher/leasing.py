"""Leases sized to the work in hand: short, renewed while a poll runs, and claims the sweep can
poll within one interval.

A replica that dies (kill -9) stops renewing; its leases run out after `lease_seconds` (half an
interval, at least LEASE_FLOOR_SECONDS) and the next sweep of a live replica (every second)
takes its jobs over: usually still within the interval the poll was due in, always within two
intervals plus a few seconds, instead of after a fixed 30-second lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.store.renewals import renew_leases

log = logging.getLogger(__name__)

# Renewed every third of it: under this, a stalled event loop or a slow database round trip
# could lose a live replica its leases.
LEASE_FLOOR_SECONDS = 3.0
RENEWALS_PER_LEASE = 3  # renewed this often per lease: two renewals may fail before it lapses
PACE_WEIGHT = 0.2  # weight of the newest poll in the running mean of poll durations


def lease_seconds_for(interval: float) -> float:
    """Half an interval (at least LEASE_FLOOR_SECONDS): what a dead replica's jobs wait at most.

    Claimed when due, taken over a lease and a sweep tick later: the poll usually still lands
    in the interval it was due in."""
    return max(LEASE_FLOOR_SECONDS, interval / 2)


class PollPace:
    """How long polls take lately, to claim no more than can be polled within the interval."""

    def __init__(self, concurrency: int, interval: float, *, cap: int) -> None:
        self.concurrency = concurrency
        self.interval = interval
        self.cap = cap
        self.mean: float | None = None

    def observe(self, seconds: float) -> None:
        seconds = max(seconds, 0.0)
        self.mean = (
            seconds if self.mean is None else self.mean + PACE_WEIGHT * (seconds - self.mean)
        )

    def claimable(self) -> int:
        """Jobs `concurrency` polls at the recent pace get through in one interval (<= cap)."""
        if not self.mean:
            return self.cap
        fits = int(self.concurrency * self.interval / self.mean)
        return min(self.cap, max(self.concurrency, fits))


class LeaseKeeper:
    """Renews the leases this replica holds while their polls (and deliveries) run."""

    def __init__(
        self,
        begin: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        runtime: Runtime,
        lease_seconds: float,
        *,
        every: float | None = None,
    ) -> None:
        self._begin = begin
        self._rt = runtime
        self.lease_seconds = lease_seconds
        self.every = every if every is not None else lease_seconds / RENEWALS_PER_LEASE
        self.held: set[int] = set()
        self.renewed = 0

    def hold(self, ids: Iterable[int]) -> None:
        self.held.update(ids)

    def drop(self, polled_job_id: int) -> None:
        self.held.discard(polled_job_id)

    async def renew(self) -> int:
        """Push the expiry of every held lease to now + lease_seconds; returns how many."""
        if not self.held:
            return 0
        async with self._begin() as session:
            count = await renew_leases(
                session,
                owner=self._rt.owner,
                ids=sorted(self.held),
                now=self._rt.clock.now(),
                lease_seconds=self.lease_seconds,
            )
        self.renewed += count
        return count

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Renew in the background for the duration of the block (one sweep)."""
        task = asyncio.create_task(self._loop())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.every)  # real time: leases must outlive real polls
            try:
                await self.renew()
            except Exception as exc:  # the next renewal tries again; the lease has slack
                log.warning("could not renew %d lease(s): %s", len(self.held), type(exc).__name__)
