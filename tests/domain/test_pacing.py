"""The budget's arithmetic: slots evenly spaced, never in the past, none while DRS is slowing us."""

from __future__ import annotations

import pytest

from bot.domain import pacing
from bot.domain.pacing import Schedule


@pytest.mark.parametrize("max_rps", [1, 2, 5, 10, 20, 50, 200])
def test_requests_late_by_up_to_LATE_never_crowd_a_second_past_the_budget(max_rps: int) -> None:
    schedule, now, slots = Schedule(), 1000.0, []
    while now < 1010:  # ask greedily, many times a second, for ten seconds
        got, schedule = pacing.grant(schedule, now=now, want=50, max_rps=max_rps)
        slots += got
        now += 0.01
    worst = [(s, s + pacing.LATE) for s in slots]  # each sent at its slot or LATE after it
    for start in (t for pair in worst for t in pair):
        inside = sum(any(start <= t < start + 1 for t in pair) for pair in worst)
        assert inside <= max_rps
    assert len(slots) >= 10 * pacing.rate(max_rps) - 1


def test_no_burst_is_saved_up_while_idle() -> None:
    idle = Schedule(next_slot=1.0)
    slots, after = pacing.grant(idle, now=1000.0, want=100, max_rps=20, horizon=0.5)
    assert slots[0] == 1000.0 and slots[-1] <= 1000.5
    assert len(slots) == 1 + int(0.5 * pacing.rate(20))
    assert after.next_slot == pytest.approx(slots[-1] + pacing.spacing(20, 0))


def test_a_throttle_holds_every_slot_until_slow_until_and_then_slows_the_rate() -> None:
    slowed = pacing.slowed(Schedule(), now=1000.0, retry_after=3.0)
    assert (slowed.slow_until, slowed.level) == (1003.0, 1)
    assert pacing.grant(slowed, now=1001.0, want=5, max_rps=20)[0] == []
    slots, _ = pacing.grant(slowed, now=1003.0, want=3, max_rps=20)
    assert slots[1] - slots[0] == pytest.approx(2 * pacing.spacing(20, 0))
    again = pacing.slowed(slowed, now=1001.0, retry_after=None)  # still slow: no extra level
    assert again.level == 1
    later = pacing.slowed(slowed, now=1004.0, retry_after=None)
    assert (later.level, later.slow_until) == (2, 1004.0 + pacing.SLOW_BASE_SECONDS * 2)
    assert pacing.level_at(later, 1008.0 + 2 * pacing.COOL_SECONDS) == 0
