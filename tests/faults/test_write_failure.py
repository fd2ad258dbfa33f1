"""A sweep whose database write fails must not poll that job again at once (no tight loop)."""

from __future__ import annotations

from sqlalchemy import text

from bot.store.db import make_engine
from bot.watcher.sweep import Sweeper
from tests.watcher.conftest import JOB_A, _world, add_watch, parsing, sim_job


async def test_a_failed_write_keeps_the_lease_and_the_job_is_not_repolled(
    sqlite_url: str,
) -> None:
    """Expectation: one DRS query, an error counted, and no further query while the lease holds."""
    world = _world(sqlite_url)  # SQLite: a trigger stands in for the failing disk
    async with world([sim_job(JOB_A, parsing(10), parsing(20))]) as h:
        assert h.runtime is not None
        await add_watch(h, JOB_A)
        # The edge that fails: the database refuses the poll's write (as a full disk would).
        engine = make_engine(sqlite_url)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse_poll_writes BEFORE UPDATE ON drs_polled_jobs "
                    "WHEN NEW.next_poll_at IS NOT OLD.next_poll_at "
                    "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
                )
            )
        await engine.dispose()
        sweeper = Sweeper(h.runtime)
        first = await sweeper.poll_once()
        assert first.errors >= 1
        assert h.simulator.calls[JOB_A] == 1
        second = await sweeper.poll_once()
        assert second.claimed == 0  # still leased to us: the lease expiry spaces the retry
        assert h.simulator.calls[JOB_A] == 1
