"""What a sweep counts: the scheduler logs it, tests and benchmarks read it."""

from __future__ import annotations

from dataclasses import dataclass


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
