"""This replica's share of the DRS request budget: slots from the shared schedule, one a request.

The sweep reserves a batch of slots for a claim of jobs (one database round trip) and hands
each job its slot (a ticket, carried by a context variable into the DRS transport); any other
request (a retry, a status command, an unfurl, a template download) takes a slot left over
from a batch or asks the schedule for one. A request waits for its slot and goes out at most
`LATE` seconds after it; a later one is dropped and a new slot taken (see `bot.domain.pacing`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
from typing import Protocol

from bot.clock import Clock
from bot.domain import pacing
from bot.errors import Throttled

log = logging.getLogger(__name__)

_POLL_FLOOR = 0.02  # never ask the schedule again sooner than this when it had nothing
# A request that would wait longer for a slot (DRS throttled us lately) fails as throttled: a
# person waiting gets an answer, and the sweep backs the job off instead.
MAX_WAIT = 5.0


class SlotSource(Protocol):
    """The shared schedule (`bot.store.budget.BudgetLedger`)."""

    async def take(
        self, *, now: float, want: int, max_rps: float, horizon: float
    ) -> tuple[list[float], float]:
        """Up to `want` slots within `horizon`, and when the next one could be had."""

    async def throttled(self, *, now: float, retry_after: float | None) -> None:
        """DRS throttled a request: slow every replica."""


class Ticket:
    """The slot a job's poll was funded with; used by the first request that poll sends.

    Entered (`Budget.ticket`), it is the ticket of the requests sent within the block; on leaving,
    a slot no request used goes back to the budget. A small class: every poll enters one."""

    __slots__ = ("_budget", "_token", "slot")

    def __init__(self, slot: float | None, budget: Budget) -> None:
        self.slot = slot
        self._budget = budget
        self._token: contextvars.Token[Ticket | None] | None = None

    def __enter__(self) -> None:
        self._token = _ticket.set(self)

    def __exit__(self, *_: object) -> None:
        if self._token is not None:
            _ticket.reset(self._token)
            self._token = None
        if self.slot is not None:
            self._budget.give_back([self.slot])
            self.slot = None


_ticket: contextvars.ContextVar[Ticket | None] = contextvars.ContextVar("drs_ticket", default=None)


class Budget:
    """Hands out send slots to this process's DRS requests; `acquire` before each one."""

    def __init__(self, source: SlotSource, *, clock: Clock, max_rps: float) -> None:
        self._source = source
        self.clock = clock
        self.max_rps = max_rps
        self.horizon = pacing.HORIZON  # how far ahead slots are taken (a test may shorten it)
        self._spare: list[float] = []  # slots reserved but not handed to a job, ascending
        self._lock = asyncio.Lock()  # one schedule round trip at a time from this process
        self._none_before = 0.0  # the schedule has no slot to give before this (epoch seconds)

    def _now(self) -> float:
        return self.clock.now().timestamp()

    @property
    def full_cap(self) -> int:
        """What the whole budget sends within the horizon."""
        return max(1, math.ceil(pacing.rate(self.max_rps) * self.horizon) + 1)

    @property
    def claim_cap(self) -> int:
        """The most jobs worth claiming now: the slots the schedule may have come to since it
        was last found spent (none while it is known to have none), at most `full_cap`.

        When watches need more than the budget, claims wait for slots to accrue rather than
        claim a batch a slot at a time and release the rest."""
        now = self._now()
        self._fresh_spares(now)
        if now < self._none_before and not self._spare:
            return 0
        accrued = math.floor((now - self._none_before) * pacing.rate(self.max_rps)) + 1
        return min(self.full_cap, max(accrued, len(self._spare)))

    def _fresh_spares(self, now: float) -> None:
        self._spare = [s for s in self._spare if now - s <= pacing.LATE]

    async def reserve(self, want: int, source: SlotSource | None = None) -> list[float]:
        """Up to `want` slots (spares first); fewer, or none, when the budget is spent.

        `source`: the schedule within a transaction the caller has open (the sweep's claim),
        saving a round trip; not under this process's lock, which a request waiting for the
        schedule in a transaction of its own may hold (the compare-and-set keeps it exact)."""
        if want <= 0:
            return []
        now = self._now()
        self._fresh_spares(now)
        taken, self._spare = self._spare[:want], self._spare[want:]
        if len(taken) < want:
            async with contextlib.nullcontext() if source is not None else self._lock:
                more, self._none_before = await (source or self._source).take(
                    now=self._now(),
                    want=want - len(taken),
                    max_rps=self.max_rps,
                    horizon=self.horizon,
                )
            taken += more
        return taken

    def give_back(self, slots: list[float]) -> None:
        """Slots taken and not used (a job that sent nothing): this process's next requests
        may use them while they are fresh."""
        self._spare = sorted(self._spare + slots)

    async def wait_for(self, slot: float | None) -> None:
        """Sleep until `slot`."""
        if slot is not None:
            delay = slot - self._now()
            if delay > 0:
                await self.clock.sleep(delay)

    def ticket(self, slot: float | None) -> Ticket:
        """Within the block, the first DRS request sent uses `slot` (unused, it is given back)."""
        return Ticket(slot, self)

    async def acquire(self) -> None:
        """Wait for this request's slot: the ticket's, a spare, or a new one from the schedule."""
        ticket = _ticket.get()
        slot: float | None = None
        if ticket is not None and ticket.slot is not None:
            slot, ticket.slot = ticket.slot, None
        while True:
            if slot is None:
                slot = await self._one()
            await self.wait_for(slot)
            if self._now() - slot <= pacing.LATE:
                return
            slot = None  # too late for its slot: sending now could crowd a window

    async def _one(self) -> float:
        """The next slot this process may use; `Throttled` when none comes within MAX_WAIT."""
        started = self._now()
        frozen = False
        while True:
            now = self._now()
            self._fresh_spares(now)
            if self._spare:
                return self._spare.pop(0)
            async with self._lock:
                slots, self._none_before = await self._source.take(
                    now=self._now(), want=1, max_rps=self.max_rps, horizon=self.horizon
                )
            if slots:
                return slots[0]
            wait = max(_POLL_FLOOR, min(self._none_before - now, self.horizon))
            if frozen or self._none_before - started > MAX_WAIT:
                raise Throttled(
                    "The DRS request budget (DRS_MAX_RPS) has no room for now.",
                    retry_after=max(0.0, self._none_before - now),
                )
            await self.clock.sleep(wait)
            frozen = self._now() == now  # a test's clock that sleeping does not move

    async def throttled(self, retry_after: float | None) -> None:
        """DRS throttled us: every replica waits (recorded in the shared schedule)."""
        self._spare = []
        try:
            await self._source.throttled(now=self._now(), retry_after=retry_after)
        except Exception as exc:  # the per-job backoff still spaces this replica's polls
            log.warning("could not record the throttle: %s: %s", type(exc).__name__, exc)
