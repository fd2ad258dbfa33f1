"""What one poll found, what to tell each watch of it, and group commit of polls.

`observation` turns a job's stored state and a poll into what the policy reads;
`plan_deliveries` asks the policy for each watch; `GroupWriter` lets polls that finish while a
write is running share the next write.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.domain.progress import Progress
from bot.domain.watching import Observation, Outcome, Told
from bot.errors import DrsError
from bot.store.leases import LeaseLost
from bot.store.models import Watch
from bot.store.rows import Claim, PolledState, WatchView
from bot.watcher.deliver import told_of, watch_facts
from bot.watcher.policy import decide
from bot.watcher.state import Decision, PolicyConfig

W = TypeVar("W", Watch, WatchView)
# While other polls are still in flight, a write waits a linger for them to join it: a few
# transactions an interval instead of one per handful of polls. The sweep's linger is an eighth
# of the poll interval, within these bounds.
LINGER_SECONDS = (0.05, 1.0)


def linger_for(interval: float) -> float:
    """How long a write waits for more polls under load: a delivery waits at most this more."""
    low, high = LINGER_SECONDS
    return min(high, max(low, interval / 8))


Plan = tuple[W, Told, Decision]


@dataclass
class Poll:
    """One DRS query's outcome for a claimed job."""

    outcome: Outcome
    progress: Progress | None = None
    error: DrsError | None = None


def observation(job: PolledState, poll: Poll) -> Observation:
    error = poll.error.message if poll.error is not None else None
    return Observation(
        outcome=poll.outcome,
        progress=poll.progress or job.progress(),
        consecutive_failures=job.consecutive_failures,
        last_change_at=job.last_change_at,
        first_seen_at=job.first_seen_at,
        error_message=error or (job.last_error_message if poll.outcome is not Outcome.OK else None),
    )


def stored_observation(job: PolledState) -> Observation:
    """What is known without polling (the expiry pass)."""
    if job.paused:
        outcome = Outcome.CREDENTIALS
    elif job.last_error_kind == Outcome.NOT_FOUND:
        outcome = Outcome.NOT_FOUND
    elif job.consecutive_failures > 0:
        outcome = Outcome.UNAVAILABLE
    else:
        outcome = Outcome.OK
    return observation(job, Poll(outcome))


def plan_deliveries(
    watches: Sequence[W], obs: Observation, now: datetime, config: PolicyConfig
) -> list[Plan[W]]:
    """What to tell each watch with a card about `obs` (watches with nothing new are left out)."""
    plans = []
    for watch in watches:
        if watch.card_ts is None:
            continue  # the listener sets the card right after posting it
        told = told_of(watch)
        decision = decide(told, obs, watch_facts(watch, watches), now, config)
        if decision.actions or decision.told != told or decision.end_state:
            plans.append((watch, told, decision))
    return plans


@dataclass
class Recorded:
    """A stored poll: what was observed, and what to deliver to which watch."""

    obs: Observation
    now: datetime
    plans: list[tuple[WatchView, Told, Decision]]


@dataclass
class Pending:
    claim: Claim
    poll: Poll
    future: asyncio.Future[Recorded | None]


class GroupWriter:
    """Group commit: polls that finish while a write is running share the next write.

    One transaction per batch instead of one per poll is what keeps the database off the hot
    path (hundreds of polls a second on SQLite's single writer).
    """

    def __init__(
        self,
        write: Callable[[list[Pending]], Awaitable[list[Recorded | None]]],
        *,
        linger: float = LINGER_SECONDS[0],
        more_coming: Callable[[], bool] = lambda: True,
    ) -> None:
        self._write = write
        self.linger = linger
        self._more_coming = more_coming
        self._settled = asyncio.Event()  # set by `settled()`: nothing more in flight
        self._pending: list[Pending] = []
        self._writer: asyncio.Task[None] | None = None

    def settled(self) -> None:
        """Nothing more is in flight: a lingering write need not wait any longer."""
        self._settled.set()

    async def record(self, claim: Claim, poll: Poll) -> Recorded:
        future: asyncio.Future[Recorded | None] = asyncio.get_running_loop().create_future()
        self._pending.append(Pending(claim, poll, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._run())
        # shield: a cancelled poll must not cancel the write other polls share
        recorded = await asyncio.shield(future)
        if recorded is None:
            raise LeaseLost(f"polled job {claim.id} is not leased to this replica")
        return recorded

    async def _run(self) -> None:
        while self._pending:
            # Polls finishing in this loop turn join; while more are in flight, those finishing
            # within the linger too (or until the last of them, if sooner).
            if self._more_coming():
                self._settled.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._settled.wait(), self.linger)
            else:
                await asyncio.sleep(0)
            batch, self._pending = self._pending, []
            try:
                results = await self._write(batch)
            except Exception as exc:
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(exc)
                continue
            for item, result in zip(batch, results, strict=True):
                if not item.future.done():
                    item.future.set_result(result)
