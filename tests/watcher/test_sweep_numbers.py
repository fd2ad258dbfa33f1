"""Row counts DRS sends as odd strings never break a sweep, a stored position or a final reply."""

from __future__ import annotations

import logging

import pytest

from bot.clock import FakeClock
from bot.watcher.sweep import Sweeper, SweepStats

from .conftest import JOB_A, JOB_B, World, add_watch, load_job, load_watch, parsing, sim_job

HUGE = str(2**63)  # one past what a 64-bit column holds
ODD = [HUGE, "9" * 25, "000000000042", "1e9", "-5", " 12 ", "１２", "9" * 100]


def odd(rows: str, *, final: bool = False) -> dict[str, object]:
    body: dict[str, object] = {"send_success": True, "parsed_success_number": rows}
    if final:
        body["process_status"] = "success"
    return body


async def test_odd_row_counts_are_stored_and_shown_while_other_jobs_go_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    steps = [odd(v) for v in ODD] + [odd(HUGE, final=True)]
    jobs = [
        sim_job(JOB_A, *steps),
        sim_job(JOB_B, *(parsing(n) for n in range(1, len(steps))), odd("77", final=True)),
    ]
    caplog.set_level(logging.INFO)
    async with world(jobs) as h:
        odd_watch = await add_watch(h, JOB_A, channel="C0ALPHA")
        plain_watch = await add_watch(h, JOB_B, channel="C0BETA")
        assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
        sweep, total = Sweeper(h.runtime), SweepStats()
        for value in [*ODD, HUGE]:
            total.add(await sweep.poll_once())
            stored = await load_job(h, JOB_A)
            assert stored.rows_raw == value[:64]  # the position is saved on every answer
            h.runtime.clock.advance(10)

        assert total.errors == 0 and total.failed == 0
        assert total.polled == 2 * len(steps)
        assert "OverflowError" not in caplog.text
        for channel, watch_id in (("C0ALPHA", odd_watch), ("C0BETA", plain_watch)):
            assert (await load_watch(h, watch_id)).state == "succeeded"
            card = h.slack.messages(channel)[0]
            assert "<@U0ASKER>" in h.slack.thread(channel, card.ts)[-1].text  # the final reply
            assert h.slack.reactions(channel, card.ts) == ["white_check_mark"]
        card = h.slack.messages("C0ALPHA")[0]
        assert HUGE in str(card.blocks), "a count too large to store is shown verbatim"
        assert (await load_job(h, JOB_A)).rows is None


async def test_a_long_status_from_drs_is_stored_whole(world: World) -> None:
    status = "still working " * 30  # longer than any short column
    job = sim_job(JOB_A, {"send_success": True, "process_status": status})
    async with world([job]) as h:
        await add_watch(h, JOB_A)
        assert h.runtime is not None
        stats = await Sweeper(h.runtime).poll_once()
        assert stats.errors == 0 and stats.polled == 1
        assert (await load_job(h, JOB_A)).process_status == status
