"""Through the real app over signed HTTP: hostile user and DRS text reaches Slack as text only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.clock import FakeClock
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.render.message import Message
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET, Harness, harness, serving
from bot.sandbox.slack_payloads import SlackSender, app_mention_body
from bot.server import build_web
from bot.slack.app import build_app
from bot.watcher.sweep import Sweeper
from tests.render.payloads import assert_safe_payload
from tests.slack.live import CHANNEL, LiveBot

from .helpers import slash

CANARY_JOB = "cafe0000-1111-4a5d-8dd6-cc44f78jb777"
CANARY = "<!channel> *canary*"
SHOWN = "`&lt;!channel&gt; *canary*`"  # escaped, in a code span: neither pings nor bolds


def acknowledged(response: httpx.Response) -> Message:
    answer: dict[str, Any] = response.json()
    return Message(str(answer.get("text") or ""), list(answer.get("blocks") or []))


@pytest.mark.parametrize(
    ("typed", "raw"), [("x<!channel>y", "<!channel>"), ("--x<@U0EVIL>=1", "<@U0EVIL>")]
)
async def test_usage_errors_reach_slack_escaped_in_text_and_blocks(
    live_bot: LiveBot, typed: str, raw: str
) -> None:
    response, _ = await slash(live_bot, typed)
    answer = acknowledged(response)
    assert raw not in response.text
    assert "&lt;" in answer.text and "&lt;" in str(answer.blocks)
    assert_safe_payload(answer)


async def test_a_typed_angle_bracket_is_shown_once_escaped(live_bot: LiveBot) -> None:
    response, _ = await slash(live_bot, "x&lt;y")  # what Slack sends when `x<y` is typed
    answer = acknowledged(response)
    assert "`x&lt;y`" in answer.text and "&amp;" not in response.text


async def test_a_typed_mention_in_a_mention_is_quoted_as_text(live_bot: LiveBot) -> None:
    # Typed as text, `<@U0EVIL>` arrives as `&lt;@U0EVIL&gt;`: not a mention to strip or send.
    body = app_mention_body(text=f"<@{BOT_USER_ID}> &lt;@U0EVIL&gt;", ts="1700000000.000101")
    response = await live_bot.sender.send(live_bot.events_url, body)
    assert response.status_code == 200
    await live_bot.slack.wait_for(lambda: bool(live_bot.slack.ephemerals()))
    answer = live_bot.slack.ephemerals()[-1]
    assert "`&lt;@U0EVIL&gt;`" in answer.text and "&amp;" not in repr((answer.text, answer.blocks))
    assert_safe_payload(Message(answer.text, answer.blocks))


async def test_a_drs_status_reaches_slack_as_text_in_status_and_card(live_bot: LiveBot) -> None:
    status = {"send_success": True, "process_status": CANARY, "parsed_success_number": "5"}
    live_bot.simulator.add_job(SimJob(CANARY_JOB, [status], step_seconds=3600))
    response, key = await slash(live_bot, f"status {CANARY_JOB}")
    assert response.status_code == 200
    await live_bot.slack.wait_for(lambda: any(p.key == key for p in live_bot.slack.responses))
    answer = next(p for p in live_bot.slack.responses if p.key == key)
    assert SHOWN in str(answer.blocks)
    assert_safe_payload(Message(answer.text, answer.blocks))

    await slash(live_bot, CANARY_JOB)
    await live_bot.slack.wait_for(lambda: bool(live_bot.slack.messages(CHANNEL)))
    card = live_bot.slack.messages(CHANNEL)[0]
    assert SHOWN in str(card.blocks)
    assert_safe_payload(Message(card.text, card.blocks))


@pytest.fixture
async def watching(sqlite_url: str) -> AsyncIterator[tuple[Harness, str]]:
    """The real app on a fake clock, a watcher sweep to call, and a canary job that stalls."""
    uploading = {"send_success": False}
    five, fifty = (
        {"send_success": True, "process_status": CANARY, "parsed_success_number": n}
        for n in ("5", "50")
    )
    steps = [uploading, uploading, five, five, fifty]
    env = {"POLL_INTERVAL_SECONDS": "60", "PROGRESS_REPLY_MINUTES": "1", "STALL_MINUTES": "5"}
    async with harness(
        [SimJob(CANARY_JOB, steps, step_seconds=0)],
        database_url=sqlite_url,
        clock=FakeClock(),
        drs_retry=RetryPolicy(),  # the fake clock makes any backoff instant
        settings_env=env,
    ) as h:
        assert h.runtime is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with serving(web) as url:
            yield h, f"{url}/slack/events"


async def test_a_drs_status_reaches_threads_as_text_in_every_reply(
    watching: tuple[Harness, str],
) -> None:
    h, events_url = watching
    assert h.runtime is not None and isinstance(h.runtime.clock, FakeClock)
    async with SlackSender(SIGNING_SECRET) as sender:
        bot = LiveBot(
            events_url.removesuffix("/slack/events"), sender, h.simulator, h.slack, h.runtime
        )
        await slash(bot, CANARY_JOB)
        await h.slack.wait_for(lambda: bool(h.slack.messages(CHANNEL)))
    card = h.slack.messages(CHANNEL)[0]
    sweep = Sweeper(h.runtime)
    for _ in range(10):  # phase, progress, then the stall after five quiet minutes
        h.runtime.clock.advance(60)
        await sweep.poll_once()
    replies = h.slack.thread(CHANNEL, card.ts)
    texts = [r.text for r in replies]
    assert any("upload complete, now parsing (status" in t for t in texts), texts
    assert any("so far" in t for t in texts), texts
    assert any("no change for" in t for t in texts), texts
    for message in (card, *replies):
        assert_safe_payload(Message(message.text, message.blocks))
        assert "*canary*" not in message.text.replace(SHOWN, "")
