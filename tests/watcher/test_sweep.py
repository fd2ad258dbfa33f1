"""The sweep against the DRS simulator and the Slack stand-in over loopback HTTP."""

from __future__ import annotations

from sqlalchemy import update

from bot.clock import FakeClock
from bot.sandbox.harness import Harness
from bot.store.models import Watch
from bot.watcher.stats import SweepStats
from bot.watcher.sweep import Sweeper

from .conftest import (
    INTERVAL,
    JOB_A,
    JOB_B,
    UPLOADING,
    World,
    add_watch,
    failed,
    load_job,
    load_watch,
    parsing,
    sim_job,
    succeeded,
)


def sweeper(h: Harness) -> Sweeper:
    assert h.runtime is not None
    return Sweeper(h.runtime)


async def tick(h: Harness, sweep: Sweeper, n: int = 1) -> SweepStats:
    """Advance the fake clock one interval and sweep, `n` times; the summed stats."""
    total = SweepStats()
    assert h.runtime is not None
    clock = h.runtime.clock
    assert isinstance(clock, FakeClock)
    for _ in range(n):
        total.add(await sweep.poll_once())
        clock.advance(INTERVAL)
    return total


async def test_success_edits_card_threads_replies_and_ends_with_mention_and_reaction(
    world: World,
) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(100), parsing(250), succeeded(500))
    async with world([job]) as h:
        watch_id = await add_watch(h, JOB_A, channel="C0ALPHA", user="U0ASKER")
        card = h.slack.messages("C0ALPHA")[0]
        sweep = sweeper(h)

        stats = await tick(h, sweep, 4)

        assert stats.polled == 4 and stats.failed == 0 and stats.errors == 0
        assert len(h.slack.messages("C0ALPHA")) == 2  # the card and the broadcast final reply
        assert card.history, "the card was edited in place"
        assert "500" in card.text
        replies = h.slack.thread("C0ALPHA", card.ts)
        texts = [r.text for r in replies]
        assert any("now parsing" in t for t in texts)
        final = replies[-1]
        assert "500 rows" in final.text and "<@U0ASKER>" in final.text
        assert final.reply_broadcast
        assert h.slack.reactions("C0ALPHA", card.ts) == ["white_check_mark"]
        watch = await load_watch(h, watch_id)
        assert watch.state == "succeeded" and watch.thread_ts == card.ts

        calls = h.simulator.calls[JOB_A]
        after = await tick(h, sweep, 3)
        assert h.simulator.calls[JOB_A] == calls, "no polls after the end"
        assert after.claimed == 0
        assert len(h.slack.thread("C0ALPHA", card.ts)) == len(replies)
        assert (await load_job(h, JOB_A)).next_poll_at is None


async def test_failed_parse_gets_failure_reply_with_next_step_and_x(world: World) -> None:
    job = sim_job(JOB_B, parsing(40), failed(40))
    async with world([job], FINAL_BROADCAST="0") as h:
        watch_id = await add_watch(h, JOB_B, user="U0ASKER")
        card = h.slack.messages("C0ALPHA")[0]
        await tick(h, sweeper(h), 3)

        *_, final, hint = h.slack.thread("C0ALPHA", card.ts)
        assert "parse failed" in final.text and "<@U0ASKER>" in final.text
        assert "could not be fetched" in hint.text  # no upload, so no marked result
        assert "template/result" in str(final.blocks)
        assert not final.reply_broadcast  # FINAL_BROADCAST=0
        assert h.slack.reactions("C0ALPHA", card.ts) == ["x"]
        assert (await load_watch(h, watch_id)).state == "failed"


async def test_one_poll_per_interval_for_a_job_watched_in_two_channels(world: World) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(10), parsing(20), parsing(30), succeeded(40))
    async with world([job]) as h:
        first = await add_watch(h, JOB_A, channel="C0ALPHA", user="U0ONE")
        second = await add_watch(h, JOB_A, channel="C0BETA", user="U0TWO")
        sweep = sweeper(h)
        for n in range(1, 5):
            await sweep.poll_once()
            await sweep.poll_once()  # same instant: not due again
            assert h.simulator.calls[JOB_A] == n
            assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
            h.runtime.clock.advance(INTERVAL)
        await tick(h, sweep, 2)

        for channel, user, watch_id in (("C0ALPHA", "U0ONE", first), ("C0BETA", "U0TWO", second)):
            card = h.slack.messages(channel)[0]
            finals = [m for m in h.slack.thread(channel, card.ts) if "parsed: 40 rows" in m.text]
            assert len(finals) == 1 and f"<@{user}>" in finals[0].text
            assert (await load_watch(h, watch_id)).state == "succeeded"


async def test_job_deleted_mid_watch_gets_final_reply_and_stops(world: World) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(10))
    async with world([job]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = sweeper(h)
        await tick(h, sweep, 2)
        h.simulator.remove_job(JOB_A)
        await tick(h, sweep, 1)

        card = h.slack.messages("C0ALPHA")[0]
        assert "no longer exists" in h.slack.thread("C0ALPHA", card.ts)[-1].text
        assert (await load_watch(h, watch_id)).state == "not_found"
        calls = h.simulator.calls[JOB_A]
        await tick(h, sweep, 2)
        assert h.simulator.calls[JOB_A] == calls


async def test_watch_without_card_is_skipped_until_it_has_one(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(10))]) as h:
        assert h.runtime is not None
        watch_id = await add_watch(h, JOB_A)
        async with h.runtime.sessions.begin() as session:
            await session.execute(update(Watch).values(card_ts=None, card_channel=None))
        before = len(h.slack.calls)
        stats = await tick(h, sweeper(h), 2)
        assert stats.polled == 2 and stats.delivered == 0
        assert len(h.slack.calls) == before
        assert (await load_watch(h, watch_id)).state == "active"
