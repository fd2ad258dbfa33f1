"""The Slack stand-in's OAuth, driven by slack_sdk's AsyncWebClient: codes buy one token per
workspace, rotation renews it, auth.test answers per token, every call records its token."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.sandbox.slack_oauth import Grant
from bot.sandbox.slack_standin import SlackStandIn


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token="xoxb-single", clock=FakeClock()) as s:
        yield s


async def _access(standin: SlackStandIn, **kwargs: str) -> dict[str, object]:
    client = AsyncWebClient(base_url=standin.api_url)
    answer = await client.oauth_v2_access(
        client_id=standin.client_id, client_secret=standin.client_secret, **kwargs
    )
    return dict(answer.data)  # type: ignore[arg-type]


async def test_codes_buy_a_token_per_workspace_used_by_auth_test(standin: SlackStandIn) -> None:
    standin.install_code("code-a", Grant("T0A"))
    standin.install_code("code-b", Grant("T0B", enterprise_id="E0ORG"))
    a = await _access(standin, code="code-a")
    b = await _access(standin, code="code-b")
    assert a["team"] == {"id": "T0A", "name": "Team T0A"} and a["enterprise"] is None
    assert b["enterprise"] == {"id": "E0ORG", "name": "Org E0ORG"}
    assert a["access_token"] != b["access_token"] and "refresh_token" not in a
    for token, team in ((a["access_token"], "T0A"), (b["access_token"], "T0B")):
        answer = await AsyncWebClient(token=str(token), base_url=standin.api_url).auth_test()
        assert answer["team_id"] == team
    assert [c.token for c in standin.calls_to("auth.test")] == [
        a["access_token"],
        b["access_token"],
    ]
    with pytest.raises(SlackApiError) as spent:  # a code buys one token, once
        await _access(standin, code="code-a")
    assert spent.value.response["error"] == "invalid_code"


async def test_rotation_and_bad_client_and_revocation(standin: SlackStandIn) -> None:
    standin.install_code("c", Grant("T0A", rotate=True, expires_in=60))
    first = await _access(standin, code="c")
    assert first["expires_in"] == 60 and str(first["refresh_token"]).startswith("xoxe-")
    renewed = await _access(
        standin, grant_type="refresh_token", refresh_token=str(first["refresh_token"])
    )
    assert renewed["access_token"] != first["access_token"] and renewed["expires_in"] == 43200
    with pytest.raises(SlackApiError) as reused:
        await _access(
            standin, grant_type="refresh_token", refresh_token=str(first["refresh_token"])
        )
    assert reused.value.response["error"] == "invalid_refresh_token"
    with pytest.raises(SlackApiError) as bad:
        await AsyncWebClient(base_url=standin.api_url).oauth_v2_access(
            client_id=standin.client_id, client_secret="wrong", code="x"
        )
    assert bad.value.response["error"] == "bad_client_secret"
    standin.revoke("T0A")
    client = AsyncWebClient(token=str(renewed["access_token"]), base_url=standin.api_url)
    with pytest.raises(SlackApiError) as gone:
        await client.chat_postMessage(channel="C1", text="hi")
    assert gone.value.response["error"] == "token_revoked"
