"""Retry and backoff policy, in one place: how hard one DRS call tries, and how polls back off.

Two layers, never more (a retry inside a retry multiplies the load on a struggling DRS):
- within one call, `call_with_retry` retries throttling and unavailability with full jitter,
  under one of the named policies below;
- across polls, the watcher spaces a failing job's next poll by `backoff_seconds`.

Tests make the waits instant the stamina way, at the edge: the loop sleeps through the injected
`Clock`, so a test passes a fake clock and asserts on what it slept (`FakeClock.slept`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from bot.clock import Clock
from bot.errors import DrsError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one call tries before it gives up (stamina-like; every knob bounded)."""

    attempts: int = 4  # total tries, the first one included
    base: float = 0.5  # first backoff ceiling; doubles each retry
    cap: float = 4.0  # largest single backoff
    deadline: float = 10.0  # give up when the next wait would end past this since the first try

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Full jitter (AWS style): uniform in [0, min(cap, base * 2**(n-1))]."""
        ceiling = min(self.cap, self.base * (2 ** max(retry_number - 1, 0)))
        return (rng or random).uniform(0.0, ceiling)


# Nobody waiting on the answer (`drs-bot check`, housekeeping): ride out a short outage.
DEFAULT: Final = RetryPolicy()
# A person is waiting in Slack: answer within a few seconds rather than retry for long.
INTERACTIVE: Final = RetryPolicy(attempts=2, base=0.5, cap=1.0, deadline=4.0)
# The watcher polls again anyway: one quick retry, then `backoff_seconds` spaces the next poll.
SWEEP: Final = RetryPolicy(attempts=2, deadline=3.0)
# One try (probes, fuzzing): a failure is the answer.
NO_RETRY: Final = RetryPolicy(attempts=1)

# A job that keeps failing is still polled every few minutes: DRS outages rarely last longer,
# and the watch's notices must not go stale for much longer than that.
MAX_BACKOFF_SECONDS: Final = 300.0


def backoff_seconds(interval: float, failures: int, retry_after: float | None = None) -> float:
    """The delay before a failing job's next poll: interval * 2^(failures-1), at least
    Retry-After, capped at MAX_BACKOFF_SECONDS (or the interval, when that is longer)."""
    delay = interval * 2.0 ** max(failures - 1, 0)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, max(MAX_BACKOFF_SECONDS, interval))


async def call_with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    clock: Clock,
    rng: random.Random | None = None,
) -> T:
    """Run `call`, retrying retryable DrsErrors (Throttled, DrsUnavailable) within the policy.

    A Retry-After from DRS replaces the backoff; if it does not fit in the deadline we give up
    at once and let the caller (the watcher) back off across polls instead.
    """
    started = clock.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except DrsError as exc:
            if not exc.retryable or attempt >= policy.attempts:
                raise
            if exc.retry_after is not None:
                wait = max(0.0, exc.retry_after)
            else:
                wait = policy.backoff(attempt, rng)
            elapsed = clock.monotonic() - started
            if elapsed + wait > policy.deadline:
                logger.info(
                    "giving up after %d tries (%.1fs): %s", attempt, elapsed, exc.describe()
                )
                raise
            logger.info(
                "retry %d/%d in %.2fs after: %s", attempt, policy.attempts - 1, wait, exc.describe()
            )
            if wait > 0:
                await clock.sleep(wait)
