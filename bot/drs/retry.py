"""Bounded exponential backoff with full jitter for one DRS call; tests switch the waits off."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.clock import Clock
from bot.errors import DrsError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one query tries before it gives up (stamina-like; every knob bounded)."""

    attempts: int = 4  # total tries, the first one included
    base: float = 0.5  # first backoff ceiling; doubles each retry
    cap: float = 4.0  # largest single backoff
    deadline: float = 10.0  # give up when the next wait would end past this since the first try
    enabled_waits: bool = True  # False in tests: waits are recorded but not slept

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Full jitter (AWS style): uniform in [0, min(cap, base * 2**(n-1))]."""
        ceiling = min(self.cap, self.base * (2 ** max(retry_number - 1, 0)))
        return (rng or random).uniform(0.0, ceiling)


NO_RETRY = RetryPolicy(attempts=1)


async def call_with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    clock: Clock,
    waits: list[float] | None = None,
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
            if waits is not None:
                waits.append(wait)
            if policy.enabled_waits and wait > 0:
                await clock.sleep(wait)
