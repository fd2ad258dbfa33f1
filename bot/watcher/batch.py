"""What one poll found, how it is stored in batches, and how it backs off.

`observation` turns a stored job and a poll into what the policy reads; `GroupWriter` lets
polls that finish while a write is running share the next write (group commit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.progress import Progress
from bot.domain.watching import Observation, Outcome, Told
from bot.errors import DrsError
from bot.store import polls, repo
from bot.store.models import PolledJob
from bot.watcher.state import Decision

MAX_BACKOFF_SECONDS = 300.0


@dataclass(frozen=True)
class Claim:
    """The claimed job's key fields, copied out of the session."""

    id: int
    job_id: str
    query_type: str
    language: str
    due_at: datetime | None
    failures: int  # consecutive failures before this poll


@dataclass
class Poll:
    outcome: Outcome
    progress: Progress | None = None
    error: DrsError | None = None


def backoff_seconds(interval: float, failures: int, retry_after: float | None = None) -> float:
    """interval * 2^(failures-1), at least Retry-After, capped at 5 minutes."""
    delay = interval * 2.0 ** max(failures - 1, 0)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, max(MAX_BACKOFF_SECONDS, interval))


def observation(job: PolledJob | polls.PolledState, poll: Poll) -> Observation:
    error = poll.error.message if poll.error is not None else None
    return Observation(
        outcome=poll.outcome,
        progress=poll.progress or job.progress(),
        consecutive_failures=job.consecutive_failures,
        last_change_at=job.last_change_at,
        first_seen_at=job.first_seen_at,
        error_message=error or (job.last_error_message if poll.outcome is not Outcome.OK else None),
    )


def stored_observation(job: PolledJob) -> Observation:
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


@dataclass
class Recorded:
    """A stored poll: what was observed, and what to deliver to which watch."""

    obs: Observation
    now: datetime
    plans: list[tuple[polls.WatchView, Told, Decision]]


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

    def __init__(self, write: Callable[[list[Pending]], Awaitable[list[Recorded | None]]]):
        self._write = write
        self._pending: list[Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, claim: Claim, poll: Poll) -> Recorded:
        future: asyncio.Future[Recorded | None] = asyncio.get_running_loop().create_future()
        self._pending.append(Pending(claim, poll, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._run())
        # shield: a cancelled poll must not cancel the write other polls share
        recorded = await asyncio.shield(future)
        if recorded is None:
            raise repo.LeaseLost(f"polled job {claim.id} is not leased to this replica")
        return recorded

    async def _run(self) -> None:
        while self._pending:
            await asyncio.sleep(0)  # let polls finishing in this loop turn join the batch
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
