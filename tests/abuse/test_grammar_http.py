"""Property tests through the app over signed HTTP: any text gets a 200 and a sentence back,
never an exception; nothing is stored and nothing is posted in the channel."""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.sandbox.harness import BOT_USER_ID
from bot.sandbox.slack_interactions import block_action_body
from bot.sandbox.slack_payloads import app_mention_body
from bot.store.models import PolledJob, Watch
from tests.slack.live import CHANNEL, LiveBot

from .helpers import UNKNOWN, answered, slash

WORDS = [
    "status", "check", "stop", "all", "list", "help", "watch", "--type", "column", "--lang",
    "zh-cn", "en-us", "—type", "–lang", "--", "`", '"', "<", ">", "|", UNKNOWN, UNKNOWN.upper(),
    f"`{UNKNOWN}`", "../../etc/passwd", "%2e%2e%2f", "\u200b", "\u202e", "０１２", "ｃ７", "\n",
    "\t", "*", "<@U0OTHER>", "<#C0OTHER|x>", "<https://example.com|x>", "${IFS}", "'; drop--",
]  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=10)), max_size=6).map(" ".join),
)
HTTP_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_ts = itertools.count(1)


def bot_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def assert_nothing_stored(bot: LiveBot) -> None:
    assert await bot.count(Watch) == 0
    assert await bot.count(PolledJob) == 0
    assert [m for m in bot.slack.messages(CHANNEL) if not m.is_reply] == []


@HTTP_SETTINGS
@given(text=TEXTS)
async def test_any_slash_text_gets_a_private_sentence_and_stores_nothing(
    live_bot: LiveBot, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    caplog.set_level(logging.WARNING)
    response, key = await slash(live_bot, text)
    assert response.status_code == 200, text
    if not answered(live_bot, response, key):
        await live_bot.slack.wait_for(lambda: answered(live_bot, response, key), timeout=8)
    await assert_nothing_stored(live_bot)
    assert bot_errors(caplog) == []


@HTTP_SETTINGS
@given(text=TEXTS, in_thread=st.booleans())
async def test_any_mention_gets_a_private_answer_and_stores_nothing(
    live_bot: LiveBot, caplog: pytest.LogCaptureFixture, text: str, in_thread: bool
) -> None:
    caplog.set_level(logging.WARNING)
    before = len(live_bot.slack.ephemerals())
    ts = f"1700000000.{next(_ts):06d}"
    body = app_mention_body(
        text=f"<@{BOT_USER_ID}> {text}",
        ts=ts,
        thread_ts="1699999999.000001" if in_thread else None,
    )
    response = await live_bot.sender.send(live_bot.events_url, body)
    assert response.status_code == 200, text
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) > before, timeout=8)
    assert live_bot.slack.ephemerals()[-1].text.strip()
    await assert_nothing_stored(live_bot)
    assert bot_errors(caplog) == []


@settings(HTTP_SETTINGS, max_examples=30)
@given(
    action=st.sampled_from([ACTION_REFRESH, ACTION_STOP]),
    value=st.one_of(st.text(max_size=30), st.integers(-(10**30), 10**30).map(str)),
)
async def test_any_button_value_is_answered_and_changes_nothing(
    live_bot: LiveBot, caplog: pytest.LogCaptureFixture, action: str, value: str
) -> None:
    caplog.set_level(logging.WARNING)
    before = len(live_bot.slack.responses)
    response_url = live_bot.slack.new_response_url()
    body = block_action_body(
        action_id=action, value=value, message_ts="1700000000.000001", response_url=response_url
    )
    response = await live_bot.sender.send(live_bot.events_url, body)
    assert response.status_code == 200, value
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.responses) > before, timeout=8)
    await assert_nothing_stored(live_bot)
    assert sum(live_bot.simulator.calls.values()) == 0
    assert bot_errors(caplog) == []
