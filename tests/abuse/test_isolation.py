"""Isolation between workspaces (and channels): another team_id can neither list, stop, refresh
nor press the buttons of a watch, even with the same channel ID and the watch's own id."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.sandbox.slack_interactions import block_action_body
from bot.store.models import Watch
from tests.slack.live import CHANNEL, RUNNING, LiveBot

from .helpers import slash

OTHER_TEAM = "T0OTHERTEAM"


async def watched(bot: LiveBot) -> Watch:
    await slash(bot, RUNNING)
    for _ in range(200):
        async with bot.runtime.sessions() as session:
            watch = (await session.scalars(select(Watch))).first()
        if watch is not None and watch.card_ts:
            return watch
        await asyncio.sleep(0.02)
    raise AssertionError("the watch never got its card")


async def answer_to(bot: LiveBot, key: str) -> str:
    await bot.slack.wait_for(lambda: any(p.key == key for p in bot.slack.responses))
    return " ".join(p.text + str(p.blocks) for p in bot.slack.responses if p.key == key)


async def press(bot: LiveBot, action: str, watch: Watch, *, team: str, channel: str) -> str:
    response_url = bot.slack.new_response_url(channel_id=channel)
    body = block_action_body(
        action_id=action,
        value=str(watch.id),
        team_id=team,
        channel_id=channel,
        message_ts=str(watch.card_ts),
        response_url=response_url,
    )
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200
    return await answer_to(bot, response_url.rsplit("/", 1)[1])


async def test_another_team_cannot_list_stop_refresh_or_press_buttons(live_bot: LiveBot) -> None:
    watch = await watched(live_bot)
    polls = sum(live_bot.simulator.calls.values())
    card = next(m for m in live_bot.slack.messages(CHANNEL) if m.ts == watch.card_ts)

    _, key = await slash(live_bot, "list", team=OTHER_TEAM)
    assert "jb20r" not in await answer_to(live_bot, key)
    for text in ("stop all", f"stop {RUNNING}"):
        _, key = await slash(live_bot, text, team=OTHER_TEAM)
        assert "nothing to stop" in await answer_to(live_bot, key), text
    for action in (ACTION_REFRESH, ACTION_STOP):
        for team, channel in ((OTHER_TEAM, CHANNEL), ("T0SANDBOX", "C0ELSEWHERE")):
            await press(live_bot, action, watch, team=team, channel=channel)

    assert await live_bot.count(Watch, state="active") == 1
    assert sum(live_bot.simulator.calls.values()) == polls  # no refresh reached DRS
    assert card.history == []  # the card was never edited or marked stopped
    # the owner still sees and controls it: the checks above would notice a leak
    _, key = await slash(live_bot, "list")
    assert "jb20r" in await answer_to(live_bot, key)
    await press(live_bot, ACTION_STOP, watch, team="T0SANDBOX", channel=CHANNEL)
    assert await live_bot.count(Watch, state="active") == 0


async def test_a_mention_from_another_team_cannot_stop_a_watch(live_bot: LiveBot) -> None:
    from bot.sandbox.harness import BOT_USER_ID
    from bot.sandbox.slack_payloads import app_mention_body

    await watched(live_bot)
    body = app_mention_body(
        text=f"<@{BOT_USER_ID}> stop", ts="1700000001.000001", team_id=OTHER_TEAM
    )
    assert (await live_bot.sender.send(live_bot.events_url, body)).status_code == 200
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) >= 1)
    assert await live_bot.count(Watch, state="active") == 1
