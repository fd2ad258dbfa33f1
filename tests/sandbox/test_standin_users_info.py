"""The stand-in's `users.info`, read by slack_sdk's AsyncWebClient and by the bot's gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.errors import SlackError
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.gateway import SlackGateway

TOKEN = "xoxb-test-token"


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token=TOKEN, clock=FakeClock()) as s:
        yield s


async def test_users_info_gives_the_locale_only_when_asked(standin: SlackStandIn) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    standin.locales["U0ZH"] = "zh-CN"
    asked = await client.users_info(user="U0ZH", include_locale=True)
    assert asked["user"]["locale"] == "zh-CN"
    plain = await client.users_info(user="U0ZH")
    assert "locale" not in plain["user"]
    other = await client.users_info(user="U0EN", include_locale=True)
    assert other["user"]["locale"] == "en-US"


async def test_without_users_read_the_gateway_says_so(standin: SlackStandIn) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    gateway = SlackGateway(client)
    standin.locales["U0ZH"] = "zh-CN"
    assert await gateway.user_locale("U0ZH") == "zh-CN"
    standin.scopes.remove("users:read")
    with pytest.raises(SlackApiError) as info:
        await client.users_info(user="U0ZH", include_locale=True)
    assert info.value.response["error"] == "missing_scope"
    with pytest.raises(SlackError):
        await gateway.user_locale("U0ZH")
