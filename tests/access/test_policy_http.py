"""The access policy enforced over real HTTP: signed Slack requests, the simulator, the stand-in.

Every refusal is private (the response_url or an ephemeral), names the rule, and does nothing:
no card, no watch, no DRS request, no stop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.drs.retry import RetryPolicy
from bot.render.cards import ACTION_STOP
from bot.render.home import ACTION_HOME_STOP
from bot.render.unfurls import ACTION_UNFURL_WATCH
from bot.sandbox.harness import SIGNING_SECRET, harness, serving
from bot.sandbox.slack_interactions import (
    block_action_body,
    home_action_body,
    message_shortcut_body,
    unfurl_action_body,
)
from bot.sandbox.slack_payloads import (
    SlackSender,
    app_mention_body,
    direct_message_body,
    slash_command_body,
)
from bot.server import build_web
from bot.slack.app import build_app
from bot.slack.listeners.shortcuts import SHORTCUT_CALLBACK_ID
from bot.store.models import Watch
from tests.slack.live import CHANNEL, RUNNING, LiveBot, sim_jobs

DENIED = "C0DENIED"
POLICY = """\
[[rules]]
name = "no-watching-in-C0DENIED"
effect = "deny"
channels = ["C0DENIED"]
actions = ["watch", "upload", "stop"]

[[rules]]
name = "ops-may-stop-all"
effect = "allow"
usergroups = ["S0OPS"]
actions = ["stop_all"]

[[rules]]
name = "nobody-else-stops-all"
effect = "deny"
actions = ["stop_all"]

[[rules]]
name = "interns-do-not-stop"
effect = "deny"
users = ["U0INTERN"]
actions = ["stop"]

[[rules]]
name = "everyone-in-T0SANDBOX"
effect = "allow"
teams = ["T0SANDBOX"]
actions = ["watch", "status", "upload", "template", "stop", "list"]
"""


@pytest.fixture
async def guarded(sqlite_url: str, tmp_path: Path) -> AsyncIterator[LiveBot]:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
    env = {"ACCESS_POLICY": str(path)}
    async with harness(sim_jobs(), database_url=sqlite_url, drs_retry=retry, settings_env=env) as h:
        assert h.runtime is not None
        h.slack.usergroups["S0OPS"] = ["U0OPS", "U0LEAD"]
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with serving(web) as url, SlackSender(SIGNING_SECRET) as sender:
            yield LiveBot(url, sender, h.simulator, h.slack, h.runtime)


async def slash(
    bot: LiveBot,
    text: str,
    *,
    channel: str = CHANNEL,
    user: str = "U0USER",
    team: str = "T0SANDBOX",
) -> None:
    response_url = bot.slack.new_response_url(channel_id=channel, user_id=user)
    body = slash_command_body(
        text=text, response_url=response_url, channel_id=channel, user_id=user, team_id=team
    )
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200


async def private_answers(bot: LiveBot, user: str, count: int) -> list[str]:
    """The private answers `user` got (response_url or ephemeral), once there are `count`."""
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(user=user)) >= count)
    return [e.text for e in bot.slack.ephemerals(user=user)]


async def watch_in_channel(bot: LiveBot) -> Watch:
    await slash(bot, RUNNING)
    await bot.slack.wait_for(lambda: any(not m.is_reply for m in bot.slack.messages(CHANNEL)))
    return await watch_in_channel_of(bot)


async def watch_in_channel_of(bot: LiveBot) -> Watch:
    for _ in range(200):
        async with bot.runtime.sessions() as session:
            found = await session.scalar(select(Watch).where(Watch.state == "active"))
        if found is not None and found.card_ts:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("the watch was not stored")


async def test_slash_watch_in_a_denied_channel_is_refused_privately(guarded: LiveBot) -> None:
    await slash(guarded, RUNNING, channel=DENIED)
    [answer] = await private_answers(guarded, "U0USER", 1)
    assert "no-watching-in-C0DENIED" in answer and "You may not watch jobs here" in answer
    assert "admin" in answer  # what to do instead
    assert guarded.slack.messages(DENIED) == []
    assert await guarded.count(Watch) == 0
    assert guarded.simulator.calls == {}  # DRS was never asked
    # the same person may still check a job there: the rule names only watch, upload and stop
    await slash(guarded, f"status {RUNNING}", channel=DENIED)
    answers = await private_answers(guarded, "U0USER", 2)  # "Checking …" was in the ack
    assert "You may not" not in answers[1] and "12,340" in answers[1]


async def test_stop_all_is_refused_outside_the_group_and_allowed_inside(guarded: LiveBot) -> None:
    await watch_in_channel(guarded)
    await slash(guarded, "stop all", user="U0USER")
    [answer] = await private_answers(guarded, "U0USER", 1)
    assert "nobody-else-stops-all" in answer and "stop all watches" in answer
    assert await guarded.count(Watch, state="active") == 1
    await slash(guarded, "stop all", user="U0OPS")  # in S0OPS, by usergroups.users.list
    answers = await private_answers(guarded, "U0OPS", 1)
    assert "Stopped watching 1 DRS job" in answers[0]
    assert await guarded.count(Watch, state="active") == 0
    assert len(guarded.slack.calls_to("usergroups.users.list")) == 1  # then from the cache


async def test_card_stop_button_is_refused_for_a_denied_user(guarded: LiveBot) -> None:
    watch = await watch_in_channel(guarded)
    body = block_action_body(
        action_id=ACTION_STOP,
        value=str(watch.id),
        user_id="U0INTERN",
        message_ts=watch.card_ts or "",
        response_url=guarded.slack.new_response_url(user_id="U0INTERN"),
    )
    assert (await guarded.sender.send(guarded.events_url, body)).status_code == 200
    [answer] = await private_answers(guarded, "U0INTERN", 1)
    assert "interns-do-not-stop" in answer and "You may not stop watches here" in answer
    assert await guarded.count(Watch, state="active") == 1
    assert "stopped" not in guarded.slack.messages(CHANNEL)[0].text


async def test_a_request_no_rule_matches_is_refused(guarded: LiveBot) -> None:
    await slash(guarded, "list", team="T0ELSEWHERE")
    [answer] = await private_answers(guarded, "U0USER", 1)
    assert "no rule of the access policy allows it" in answer


async def test_mention_and_shortcut_in_a_denied_channel_are_refused(guarded: LiveBot) -> None:
    mention = guarded.slack.add_user_message(DENIED, f"<@U0DRSBOT> watch {RUNNING}")
    body = app_mention_body(
        text=mention.text, channel_id=DENIED, ts=mention.ts, event_id="Ev0ACCESS1"
    )
    assert (await guarded.sender.send(guarded.events_url, body)).status_code == 200
    [answer] = await private_answers(guarded, "U0USER", 1)
    assert "no-watching-in-C0DENIED" in answer
    shortcut = message_shortcut_body(
        callback_id=SHORTCUT_CALLBACK_ID,
        channel_id=DENIED,
        message_ts=mention.ts,
        message_text=f"job `{RUNNING}`",
        response_url=guarded.slack.new_response_url(channel_id=DENIED),
    )
    assert (await guarded.sender.send(guarded.events_url, shortcut)).status_code == 200
    answers = await private_answers(guarded, "U0USER", 2)
    assert "no-watching-in-C0DENIED" in answers[1]
    assert [m for m in guarded.slack.messages(DENIED) if m.user == "U0DRSBOT"] == []
    assert await guarded.count(Watch) == 0


async def test_home_stop_and_preview_watch_are_refused_privately(guarded: LiveBot) -> None:
    await slash(guarded, RUNNING, user="U0INTERN")  # interns may watch, not stop
    await guarded.slack.wait_for(lambda: bool(guarded.slack.messages(CHANNEL)))
    watch = await watch_in_channel_of(guarded)
    home = home_action_body(action_id=ACTION_HOME_STOP, value=str(watch.id), user_id="U0INTERN")
    assert (await guarded.sender.send(guarded.events_url, home)).status_code == 200
    await guarded.slack.wait_for(lambda: bool(guarded.slack.messages("U0INTERN")))
    assert "interns-do-not-stop" in guarded.slack.messages("U0INTERN")[0].text  # their DM
    assert await guarded.count(Watch, state="active") == 1
    preview = unfurl_action_body(
        action_id=ACTION_UNFURL_WATCH,
        value=RUNNING,
        url=f"https://console.huaweicloud.com/drs/?region=cn-north-4&id={RUNNING}#/list",
        message_ts="1700000000.000100",
        channel_id=DENIED,
        response_url=guarded.slack.new_response_url(channel_id=DENIED),
    )
    assert (await guarded.sender.send(guarded.events_url, preview)).status_code == 200
    [answer] = await private_answers(guarded, "U0USER", 1)
    assert "no-watching-in-C0DENIED" in answer
    assert await guarded.count(Watch) == 1


async def test_a_dm_is_refused_in_the_dm_and_the_refusal_is_logged(
    guarded: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    body = direct_message_body(text="stop all", ts="1700000000.000200", user_id="U0INTERN")
    with caplog.at_level(logging.INFO, logger="bot.slack.guard"):
        assert (await guarded.sender.send(guarded.events_url, body)).status_code == 200
        await guarded.slack.wait_for(lambda: bool(guarded.slack.messages("D0SANDBOX")))
    assert "nobody-else-stops-all" in guarded.slack.messages("D0SANDBOX")[0].text
    assert (
        "access refused: stop_all by rule 'nobody-else-stops-all' "
        "(team T0SANDBOX, channel D0SANDBOX, user U0INTERN)"
    ) in caplog.text
    assert "xoxb" not in caplog.text
