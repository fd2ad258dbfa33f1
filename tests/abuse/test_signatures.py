"""Slack signatures forged, stale, replayed and missing: refused with 401 before any work;
Slack's own event retries still get through (and are handled once)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.render.cards import ACTION_REFRESH
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET
from bot.sandbox.slack_interactions import block_action_body
from bot.sandbox.slack_payloads import FORM, app_mention_body, sign, slash_command_body
from tests.slack.live import LiveBot

from .helpers import UNKNOWN


def nothing_happened(bot: LiveBot) -> bool:
    return (
        sum(bot.simulator.calls.values()) == 0
        and bot.slack.responses == []
        and [c for c in bot.slack.calls if c.method != "auth.test"] == []
    )


def status_body(bot: LiveBot) -> bytes:
    return slash_command_body(text=f"status {UNKNOWN}", response_url=bot.slack.new_response_url())


async def post(bot: LiveBot, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(
            bot.events_url, content=body, headers={"Content-Type": FORM, **headers}
        )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": str(int(time.time()))},
        {"X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=00"},
    ],
    ids=["none", "timestamp only", "signature only", "empty", "garbage"],
)
async def test_missing_or_malformed_signature_headers_get_401(
    live_bot: LiveBot, headers: dict[str, str]
) -> None:
    response = await post(live_bot, status_body(live_bot), headers)
    assert response.status_code == 401
    await asyncio.sleep(0.2)  # anything the bot might wrongly do after answering
    assert nothing_happened(live_bot)


async def test_forged_stale_future_and_tampered_requests_get_401(live_bot: LiveBot) -> None:
    body = status_body(live_bot)
    now = int(time.time())
    good = sign(body, SIGNING_SECRET, now)
    attempts = [
        sign(body, "not-the-secret", now),  # forged
        sign(body, SIGNING_SECRET, now - 6 * 60),  # stale
        sign(body, SIGNING_SECRET, now + 6 * 60),  # from the future
        {**good, "X-Slack-Signature": good["X-Slack-Signature"].replace("v0=", "v1=")},
        {**good, "X-Slack-Request-Timestamp": str(now - 1)},  # timestamp swapped
        {**good, "X-Slack-Signature": good["X-Slack-Signature"].upper()},
    ]
    for headers in attempts:
        assert (await post(live_bot, body, headers)).status_code == 401
    # the same body signed right still works, then only once
    tampered = body.replace(b"status", b"stop+all")
    assert (await post(live_bot, tampered, good)).status_code == 401
    await asyncio.sleep(0.2)
    assert nothing_happened(live_bot)


async def test_a_replayed_slash_command_is_refused_and_acts_once(live_bot: LiveBot) -> None:
    body = status_body(live_bot)
    headers = sign(body, SIGNING_SECRET, int(time.time()))
    first = await post(live_bot, body, headers)
    assert first.status_code == 200
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.responses) == 1)
    replayed = await post(live_bot, body, headers)
    # an attacker may add Slack's retry header: slash commands are never retried by Slack
    with_retry = await post(live_bot, body, {**headers, "X-Slack-Retry-Num": "1"})
    assert (replayed.status_code, with_retry.status_code) == (401, 401)
    await asyncio.sleep(0.3)
    assert live_bot.simulator.calls == {UNKNOWN: 1}
    assert len(live_bot.slack.responses) == 1


async def test_a_replayed_button_press_is_refused(live_bot: LiveBot) -> None:
    body = block_action_body(
        action_id=ACTION_REFRESH,
        value="1",
        message_ts="1700000000.000001",
        response_url=live_bot.slack.new_response_url(),
    )
    headers = sign(body, SIGNING_SECRET, int(time.time()))
    assert (await post(live_bot, body, headers)).status_code == 200
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.responses) == 1)
    assert (await post(live_bot, body, headers)).status_code == 401
    await asyncio.sleep(0.2)
    assert len(live_bot.slack.responses) == 1


async def test_slack_event_retries_get_through_and_act_once(live_bot: LiveBot) -> None:
    body = app_mention_body(
        text=f"<@{BOT_USER_ID}> status {UNKNOWN}", ts="1700000000.000300", event_id="EvAbuse1"
    )
    now = int(time.time())
    sender, url = live_bot.sender, live_bot.events_url
    first = await sender.send(url, body, timestamp=now)
    # Slack's retries: the same second (same signature) and later (fresh signature)
    same_second = await sender.send(url, body, timestamp=now, retry_num=1)
    fresh = await sender.send(url, body, timestamp=now + 1, retry_num=2)
    assert [first.status_code, same_second.status_code, fresh.status_code] == [200, 200, 200]
    # but the retry itself, replayed, is refused
    assert (await sender.send(url, body, timestamp=now, retry_num=1)).status_code == 401
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) >= 1)
    await asyncio.sleep(0.3)
    assert len(live_bot.slack.ephemerals()) == 1
    assert live_bot.simulator.calls == {UNKNOWN: 1}


async def test_an_identical_request_is_accepted_again_after_the_window(
    live_bot: LiveBot,
) -> None:
    """Bolt itself refuses it then (stale); the guard forgets it rather than grow forever."""
    from bot.clock import FakeClock
    from bot.slack.replay import ReplayGuard

    clock = FakeClock()
    guard = ReplayGuard(clock=clock)
    when = int(clock.now().timestamp())
    key = (str(when), "v0=abc", "")
    assert guard.first_time(key, when)
    assert not guard.first_time(key, when)
    clock.advance(5 * 60 + 2)
    assert guard.first_time(("other", "x", ""), int(clock.now().timestamp()))
    assert guard.first_time(key, when)  # forgotten: Bolt refuses it as stale by now
