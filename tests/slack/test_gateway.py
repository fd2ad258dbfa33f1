"""The Slack gateway against the Slack stand-in: Slack's errors become ours, mapped in one place."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.errors import DestinationGone, SlackError
from bot.render.message import Message
from bot.sandbox.harness import BOT_USER_ID, harness
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import learn_bot_user
from bot.slack.gateway import SlackGateway, build_web_client

TOKEN = "xoxb-test-token"
CHANNEL = "C0SANDBOX"


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token=TOKEN, bot_user_id="U0DRSBOT", clock=FakeClock()) as s:
        yield s


@pytest.fixture
def gateway(standin: SlackStandIn) -> SlackGateway:
    return SlackGateway(build_web_client(TOKEN, standin.api_url))


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/"


async def test_post_update_and_permalink(gateway: SlackGateway, standin: SlackStandIn) -> None:
    ts = await gateway.post(CHANNEL, Message("first"))
    await gateway.update(CHANNEL, ts, Message("second"))
    assert [m.text for m in standin.messages(CHANNEL)] == ["second"]
    assert await gateway.permalink(CHANNEL, ts)
    assert await gateway.bot_user_id() == "U0DRSBOT"


async def test_a_gone_destination_is_destination_gone(
    gateway: SlackGateway, standin: SlackStandIn
) -> None:
    standin.archive("C0OLD")
    with pytest.raises(DestinationGone) as caught:
        await gateway.post("C0OLD", Message("hello"))
    assert caught.value.error == "is_archived"
    assert str(caught.value) == "Slack chat.postMessage failed: is_archived"


async def test_other_slack_errors_keep_their_code(
    gateway: SlackGateway, standin: SlackStandIn
) -> None:
    ts = await gateway.post(CHANNEL, Message("card"))
    standin.error_next("chat.update", "message_not_found")
    with pytest.raises(SlackError) as caught:
        await gateway.update(CHANNEL, ts, Message("edit"))
    assert not isinstance(caught.value, DestinationGone)
    assert caught.value.error == "message_not_found"


async def test_reacting_twice_is_not_an_error(gateway: SlackGateway, standin: SlackStandIn) -> None:
    ts = await gateway.post(CHANNEL, Message("card"))
    await gateway.react(CHANNEL, ts, "white_check_mark")
    await gateway.react(CHANNEL, ts, "white_check_mark")
    assert standin.reactions(CHANNEL, ts) == ["white_check_mark"]


async def test_no_permalink_is_none_not_an_error(gateway: SlackGateway) -> None:
    assert await gateway.permalink("C0NOWHERE", "1.2") is None


async def test_slack_unreachable_is_a_slack_error_without_a_code(refusing_url: str) -> None:
    gateway = SlackGateway(AsyncWebClient(token=TOKEN, base_url=refusing_url))
    with pytest.raises(SlackError) as caught:
        await gateway.post(CHANNEL, Message("hello"))
    assert caught.value.error is None
    assert str(caught.value).startswith("Slack chat.postMessage failed: ")
    assert await gateway.permalink(CHANNEL, "1.2") is None


async def test_serve_learns_the_bot_user_and_carries_on_when_slack_refuses(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with harness([], database_url=sqlite_url) as h:
        assert h.runtime is not None
        h.runtime.bot_user_id = None
        await learn_bot_user(h.runtime)
        assert h.runtime.bot_user_id == BOT_USER_ID

        h.runtime.bot_user_id = None
        h.slack.error_next("auth.test", "invalid_auth")
        await learn_bot_user(h.runtime)
        assert h.runtime.bot_user_id is None
        assert "Slack auth.test failed: invalid_auth; check SLACK_BOT_TOKEN" in caplog.text
