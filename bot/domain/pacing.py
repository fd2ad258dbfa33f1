"""The DRS request budget as pure arithmetic: send slots spaced evenly, slowed after a throttle.

Every DRS request of every replica is sent at a *slot*: a moment handed out from one shared
schedule (a row in the database, `bot.store.budget`). Slots are `spacing` seconds apart and never
handed out in the past, so there is no burst to save up. A request may go out at most `LATE`
seconds after its slot (later, the slot is dropped and a new one taken); hence the requests that
reach DRS in any one-second window came from slots in a window of 1 + LATE seconds, and the rate
is `max_rps / (1 + LATE)`, a little under the budget: `max_rps` is never exceeded.

After DRS throttles (429, APIGW.0308, DRS.M01503) no slot is handed out until `slow_until`, and
the spacing doubles per level of slowing; each quiet `COOL_SECONDS` after `slow_until` takes one
level off again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

LATE: Final = 0.05  # seconds a request may go out after its slot
HORIZON: Final = 0.5  # slots are handed out at most this far ahead
COOL_SECONDS: Final = 10.0  # each quiet stretch this long after a throttle halves the slowing
MAX_LEVEL: Final = 5  # at most 2**5 = 32 times slower
MAX_SLOW_SECONDS: Final = 60.0
SLOW_BASE_SECONDS: Final = 2.0  # the gateway asks for 2 to 5 s after APIGW.0308


@dataclass(frozen=True, slots=True)
class Schedule:
    """The shared schedule's state: the next free slot, and any slowing after a throttle."""

    next_slot: float = 0.0  # epoch seconds
    slow_until: float = 0.0
    level: int = 0


def rate(max_rps: float) -> float:
    """Slots per second for a budget of `max_rps` requests in any one-second window."""
    return max(max_rps - 0.5, max_rps / 2) / (1.0 + LATE)


def level_at(schedule: Schedule, now: float) -> int:
    """The slowing level in force at `now` (it decays once the slow period is over)."""
    if schedule.level <= 0:
        return 0
    if now <= schedule.slow_until:
        return schedule.level
    return max(0, schedule.level - int((now - schedule.slow_until) // COOL_SECONDS))


def spacing(max_rps: float, level: int) -> float:
    return (2.0**level) / rate(max_rps)


def grant(
    schedule: Schedule, *, now: float, want: int, max_rps: float, horizon: float = HORIZON
) -> tuple[list[float], Schedule]:
    """Up to `want` slots no further ahead than `horizon`; the schedule after handing them out."""
    level = level_at(schedule, now)
    step = spacing(max_rps, level)
    start = max(schedule.next_slot, now, schedule.slow_until)
    room = math.floor((now + horizon - start) / step) + 1 if start <= now + horizon else 0
    count = max(0, min(want, room))
    slots = [start + i * step for i in range(count)]
    if not slots:
        return [], schedule
    return slots, Schedule(start + count * step, schedule.slow_until, level)


def slowed(schedule: Schedule, *, now: float, retry_after: float | None) -> Schedule:
    """The schedule after DRS throttled a request at `now` (one more level, unless still slow)."""
    level = level_at(schedule, now)
    if now >= schedule.slow_until:
        level = min(level + 1, MAX_LEVEL)
    wait = max(retry_after or 0.0, SLOW_BASE_SECONDS * 2.0 ** (level - 1))
    until = max(schedule.slow_until, now + min(wait, MAX_SLOW_SECONDS))
    return Schedule(max(schedule.next_slot, until), until, level)
