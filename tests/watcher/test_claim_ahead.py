"""The fixed cost of a sweep: one claim takes what falls due within the tick, on schedule."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from bot.clock import FakeClock
from bot.watcher.sweep import CLAIM_AHEAD_SECONDS, Sweeper

from .conftest import INTERVAL, JOB_A, JOB_B, World, add_watch, load_job, parsing, sim_job


async def test_jobs_due_within_the_tick_share_one_claim_and_keep_their_schedule(
    world: World,
) -> None:
    jobs = [sim_job(JOB_A, parsing(1), parsing(2)), sim_job(JOB_B, parsing(1), parsing(2))]
    async with world(jobs) as h:
        assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
        clock = h.runtime.clock
        await add_watch(h, JOB_A)
        clock.advance(CLAIM_AHEAD_SECONDS / 2)  # JOB_B falls due half a tick after JOB_A
        await add_watch(h, JOB_B)
        sweep = Sweeper(h.runtime)
        first = await sweep.poll_once()
        due_b = (await load_job(h, JOB_B)).next_poll_at
        assert first.claimed == 2 and first.polled == 2

        clock.advance(INTERVAL - CLAIM_AHEAD_SECONDS / 4)  # A due a bit ago, B a bit ahead
        claims: list[str] = []

        def count(conn: object, cursor: object, statement: str, *args: object) -> None:
            claiming = statement.lstrip().startswith("UPDATE drs_polled_jobs SET lease_owner")
            if claiming and "RETURNING" in statement:  # a release returns nothing
                claims.append(statement)

        sync_engine = h.runtime.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", count)
        try:
            second = await sweep.poll_once()
        finally:
            event.remove(sync_engine, "before_cursor_execute", count)
        assert second.claimed == 2 and second.polled == 2
        assert len(claims) == 1, "both jobs in one claim"
        # Polled a little early, B keeps its grid: its next poll is one interval after its due.
        assert due_b is not None
        assert (await load_job(h, JOB_B)).next_poll_at == due_b + timedelta(seconds=INTERVAL)
        assert (await sweep.poll_once()).claimed == 0, "nothing is polled twice"
        assert {h.simulator.calls[JOB_A], h.simulator.calls[JOB_B]} == {2}
