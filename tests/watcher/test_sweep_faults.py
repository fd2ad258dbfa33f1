"""The sweep under faults: DRS down, throttling, garbage, refused credentials; Slack errors."""

from __future__ import annotations

from datetime import datetime

from bot.clock import FakeClock
from bot.drs.retry import backoff_seconds
from bot.sandbox.harness import Harness
from bot.store import housekeeping
from bot.watcher.sweep import Sweeper

from .conftest import (
    INTERVAL,
    JOB_A,
    UPLOADING,
    World,
    add_watch,
    load_job,
    load_watch,
    parsing,
    sim_job,
    succeeded,
)
from .test_sweep import tick


def clock_of(h: Harness) -> FakeClock:
    assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
    return h.runtime.clock


async def poll_when_due(h: Harness, sweep: Sweeper, times: int) -> list[float]:
    """Jump to the job's next poll each time and sweep; the delays the sweep chose."""
    clock = clock_of(h)
    delays = []
    for _ in range(times):
        job = await load_job(h, JOB_A)
        if job.next_poll_at is None:
            break
        if job.next_poll_at > clock.now():
            clock.advance((job.next_poll_at - clock.now()).total_seconds())
        polled_at = clock.now()
        await sweep.poll_once()
        again = await sweep.poll_once()  # same instant: never a tight loop
        assert again.claimed == 0
        after: datetime | None = (await load_job(h, JOB_A)).next_poll_at
        if after is not None:
            delays.append((after - polled_at).total_seconds())
    return delays


def test_backoff_doubles_respects_retry_after_and_caps_at_five_minutes() -> None:
    assert [backoff_seconds(10, n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff_seconds(10, 2, retry_after=60) == 60
    assert backoff_seconds(10, 30) == 300
    assert backoff_seconds(10, 1, retry_after=10_000) == 300


async def test_job_finishes_despite_500s_garbage_and_429_with_backoff(world: World) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(5), succeeded(9))
    async with world([job]) as h:
        watch_id = await add_watch(h, JOB_A)
        faults = h.simulator.faults
        # The simulator throttles first, then fails, then sends garbage. A Retry-After beyond
        # the short client retry fails that poll at once; 500s and garbage take two tries each.
        faults.throttle_next, faults.retry_after = 1, 100
        faults.fail_next, faults.garbage_next = 4, 2
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]

        delays = await poll_when_due(h, sweep, 10)

        # Retry-After (100 s) beats the first backoff (10 s); then interval * 2^(n-1).
        assert delays[:4] == [100, 20, 40, 80]
        assert all(d == INTERVAL for d in delays[4:])
        assert faults.fired == {"fail_next": 4, "garbage_next": 2, "throttle_next": 1}
        watch = await load_watch(h, watch_id)
        assert watch.state == "succeeded"
        card = h.slack.messages("C0ALPHA")[0]
        texts = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert any("parsed: 9 rows" in t for t in texts)
        assert not any("unreachable" in t for t in texts)  # 4 failures < FAILURE_NOTICE_AFTER


async def test_five_failures_give_one_unreachable_reply_then_one_reachable_again(
    world: World,
) -> None:
    async with world([sim_job(JOB_A, parsing(5), parsing(6))]) as h:
        await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await poll_when_due(h, sweep, 1)
        h.simulator.faults.fail_next = 2 * 7  # seven failed polls
        await poll_when_due(h, sweep, 7)
        card = h.slack.messages("C0ALPHA")[0]
        texts = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        unreachable = [t for t in texts if "DRS is unreachable" in t]
        assert len(unreachable) == 1 and "after 5 failed checks" in unreachable[0]
        assert "still trying" in card.text or "not answering" in str(card.blocks)

        await poll_when_due(h, sweep, 2)
        texts = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert len([t for t in texts if "reachable again" in t]) == 1
        assert len([t for t in texts if "DRS is unreachable" in t]) == 1


async def test_refused_credentials_give_one_operator_reply_and_pause_the_job(
    world: World,
) -> None:
    async with world([sim_job(JOB_A, parsing(5), parsing(6))]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        h.simulator.faults.unauthorized_next = 1
        await tick(h, sweep, 4)

        assert h.simulator.calls[JOB_A] == 1, "a paused job is not polled"
        assert (await load_job(h, JOB_A)).paused
        card = h.slack.messages("C0ALPHA")[0]
        replies = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert len(replies) == 1 and "Operators" in replies[0]
        assert (await load_watch(h, watch_id)).state == "active"

        assert h.runtime is not None
        async with h.runtime.sessions.begin() as session:  # what a restart does
            assert await housekeeping.unpause_all(session) == 1
        await tick(h, sweep, 1)
        replies = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert "reachable again" in replies[-1]


async def test_deleted_channel_ends_that_watch_undeliverable_and_the_other_goes_on(
    world: World,
) -> None:
    job = sim_job(JOB_A, UPLOADING, parsing(5), parsing(8), succeeded(9))
    async with world([job]) as h:
        kept = await add_watch(h, JOB_A, channel="C0ALPHA")
        gone = await add_watch(h, JOB_A, channel="C0GONE")
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        h.slack.delete_channel("C0GONE")
        await tick(h, sweep, 4)

        assert (await load_watch(h, gone)).state == "undeliverable"
        assert (await load_watch(h, kept)).state == "succeeded"
        card = h.slack.messages("C0ALPHA")[0]
        assert "parsed: 9 rows" in h.slack.thread("C0ALPHA", card.ts)[-1].text


async def test_slack_429_on_update_and_post_is_waited_out_and_nothing_dropped(
    world: World,
) -> None:
    async with world([sim_job(JOB_A, UPLOADING, parsing(5), succeeded(7))]) as h:
        await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        h.slack.rate_limit_next("chat.update", 1, retry_after=1)
        h.slack.rate_limit_next("chat.postMessage", 1, retry_after=1)
        await tick(h, sweep, 2)

        limited = [c for c in h.slack.calls if c.status == 429]
        assert {c.method for c in limited} == {"chat.update", "chat.postMessage"}
        card = h.slack.messages("C0ALPHA")[0]
        texts = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert any("now parsing" in t for t in texts)
        assert any("parsed: 7 rows" in t for t in texts)
        assert "7" in card.text


async def test_card_that_cannot_be_edited_does_not_block_replies(world: World) -> None:
    async with world([sim_job(JOB_A, UPLOADING, parsing(5), succeeded(7))]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        h.slack.error_next("chat.update", "message_not_found", n=10)
        await tick(h, sweep, 3)

        card = h.slack.messages("C0ALPHA")[0]
        assert not card.history
        assert "parsed: 7 rows" in h.slack.thread("C0ALPHA", card.ts)[-1].text
        assert (await load_watch(h, watch_id)).state == "succeeded"


async def test_failed_final_reply_is_sent_once_on_the_next_poll(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(5), succeeded(7))]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        h.slack.error_next("chat.postMessage", "internal_error")
        await tick(h, sweep, 1)
        assert (await load_watch(h, watch_id)).state == "active"
        await tick(h, sweep, 2)

        card = h.slack.messages("C0ALPHA")[0]
        finals = [m for m in h.slack.thread("C0ALPHA", card.ts) if "parsed: 7" in m.text]
        assert len(finals) == 1
        assert (await load_watch(h, watch_id)).state == "succeeded"


async def test_watch_expires_even_while_its_job_is_paused(world: World) -> None:
    async with world([sim_job(JOB_A, parsing(5))], WATCH_MAX_HOURS="0.01") as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        h.simulator.faults.unauthorized_next = 1
        await tick(h, sweep, 1)
        assert (await load_job(h, JOB_A)).paused
        clock_of(h).advance(60)  # past 0.01 h = 36 s
        stats = await sweep.poll_once()

        assert stats.expired == 1
        assert (await load_watch(h, watch_id)).state == "expired"
        card = h.slack.messages("C0ALPHA")[0]
        assert "stopped watching" in h.slack.thread("C0ALPHA", card.ts)[-1].text
