"""Commands and the watcher together: stop in one channel, a card through a Slack 429."""

from __future__ import annotations

import asyncio

from sqlalchemy import update

from bot.drs.sim_jobs import SimJob
from bot.store.models import PolledJob, Watch
from bot.watcher.sweep import Sweeper
from tests.slack.live import LiveBot
from tests.slack.test_app_http import channel_messages, slash

JOB = "5ca1ab1e-0000-4a5d-8dd6-cc44f78jb20r"


async def poll_now(bot: LiveBot, sweeper: Sweeper) -> None:
    """The job is due (as it would be an interval later); sweep once."""
    async with bot.runtime.sessions.begin() as session:
        await session.execute(
            update(PolledJob)
            .where(PolledJob.next_poll_at.is_not(None))  # NULL: nobody wants it polled
            .values(next_poll_at=bot.runtime.clock.now())
        )
    await sweeper.poll_once()


async def card_of(bot: LiveBot, channel: str) -> str:
    await bot.slack.wait_for(lambda: len(channel_messages(bot, channel)) == 1)
    ts = channel_messages(bot, channel)[0].ts
    for _ in range(200):  # the listener stores the card right after Slack accepted it
        if await bot.count(Watch, card_ts=ts) == 1:
            return ts
        await asyncio.sleep(0.02)
    raise AssertionError("the card was never stored")


async def test_stop_in_one_channel_leaves_the_other_watch_going(live_bot: LiveBot) -> None:
    steps = [
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "parsed_success_number": "200"},
        {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
    ]
    live_bot.simulator.add_job(SimJob(JOB, steps, step_seconds=0))  # one step per answer
    live_bot.slack.add_channel("C0AAAA")
    live_bot.slack.add_channel("C0BBBB")
    await slash(live_bot, JOB, channel="C0AAAA")
    card_a = await card_of(live_bot, "C0AAAA")
    await slash(live_bot, JOB, channel="C0BBBB", user="U0BOB")
    card_b = await card_of(live_bot, "C0BBBB")
    sweeper = Sweeper(live_bot.runtime)

    await poll_now(live_bot, sweeper)
    assert live_bot.simulator.calls[JOB] == 3  # two first checks, then one poll for both

    await slash(live_bot, f"stop {JOB}", channel="C0AAAA")
    await live_bot.slack.wait_for(lambda: "stopped" in channel_messages(live_bot, "C0AAAA")[0].text)
    await poll_now(live_bot, sweeper)
    assert live_bot.simulator.calls[JOB] == 4

    finals_b = [m for m in live_bot.slack.thread("C0BBBB", card_b) if "500" in m.text]
    assert len(finals_b) == 1 and "<@U0BOB>" in finals_b[0].text
    assert live_bot.slack.reactions("C0BBBB", card_b) == ["white_check_mark"]
    assert live_bot.slack.thread("C0AAAA", card_a) == []  # nothing after the stop
    assert live_bot.slack.reactions("C0AAAA", card_a) == []
    await poll_now(live_bot, sweeper)
    assert live_bot.simulator.calls[JOB] == 4, "no polls after every watch ended"


async def test_card_is_delivered_despite_a_slack_429(live_bot: LiveBot) -> None:
    live_bot.simulator.add_job(SimJob(JOB, [{"send_success": False}], step_seconds=3600))
    live_bot.slack.rate_limit_next("chat.postMessage", retry_after=1)
    await slash(live_bot, JOB)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1, timeout=15)
    limited = [c for c in live_bot.slack.calls_to("chat.postMessage") if c.status == 429]
    assert len(limited) == 1
    assert "uploading" in channel_messages(live_bot)[0].text
    assert await live_bot.count(Watch, state="active") == 1
