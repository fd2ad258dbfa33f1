"""The Slack stand-in, driven by slack_sdk's real AsyncWebClient over loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.sandbox.slack_standin import SlackStandIn

TOKEN = "xoxb-test-token"


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token=TOKEN, clock=FakeClock()) as s:
        yield s


def client_for(standin: SlackStandIn, token: str = TOKEN) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=standin.api_url)


async def test_listens_on_an_ephemeral_loopback_port(standin: SlackStandIn) -> None:
    assert standin.url.startswith("http://127.0.0.1:")
    assert not standin.url.endswith(":0")
    assert standin.api_url == f"{standin.url}/api/"


async def test_auth_test_and_bad_tokens(standin: SlackStandIn) -> None:
    resp = await client_for(standin).auth_test()
    assert resp["user_id"] == "U0DRSBOT" and resp["team_id"] == "T0SANDBOX"
    with pytest.raises(SlackApiError) as info:
        await client_for(standin, "xoxb-wrong").auth_test()
    assert info.value.response["error"] == "invalid_auth"
    # the recorded call never keeps the token
    assert all("token" not in c.params for c in standin.calls)


async def test_post_update_thread_permalink_and_reactions(standin: SlackStandIn) -> None:
    client = client_for(standin)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*card*"}}]
    posted = await client.chat_postMessage(channel="C1", text="card v1", blocks=blocks)
    ts = posted["ts"]
    assert posted["message"]["text"] == "card v1"

    await client.chat_update(channel="C1", ts=ts, text="card v2", blocks=blocks)
    reply = await client.chat_postMessage(channel="C1", thread_ts=ts, text="a reply")
    await client.chat_postMessage(channel="C1", thread_ts=ts, text="shout", reply_broadcast=True)

    [card, broadcast] = standin.messages("C1")
    assert card.ts == ts and card.text == "card v2" and card.blocks == blocks
    assert card.history == [("card v1", blocks)]
    assert broadcast.text == "shout"
    assert [m.text for m in standin.thread("C1", ts)] == ["a reply", "shout"]

    link = await client.chat_getPermalink(channel="C1", message_ts=ts)
    assert link["permalink"].startswith(f"{standin.url}/archives/C1/p")
    reply_link = await client.chat_getPermalink(channel="C1", message_ts=reply["ts"])
    assert f"thread_ts={ts}" in reply_link["permalink"]

    await client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError) as info:
        await client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    assert info.value.response["error"] == "already_reacted"
    assert standin.reactions("C1", ts) == ["eyes"]

    with pytest.raises(SlackApiError) as info:
        await client.chat_update(channel="C1", ts="1.000000", text="x")
    assert info.value.response["error"] == "message_not_found"
    methods = [c.method for c in standin.calls]
    assert methods[:3] == ["chat.postMessage", "chat.update", "chat.postMessage"]


async def test_ephemeral_and_form_encoded_blocks(standin: SlackStandIn) -> None:
    client = client_for(standin)
    await client.chat_postEphemeral(channel="C1", user="U9", text="only you")
    [eph] = standin.ephemerals("C1", user="U9")
    assert eph.text == "only you" and eph.source == "chat.postEphemeral"
    assert standin.messages("C1") == []
    # Form bodies carry blocks as a JSON string; the stand-in decodes them.
    async with httpx.AsyncClient() as http:
        r = await http.post(
            f"{standin.api_url}chat.postMessage",
            data={"channel": "C2", "text": "t", "blocks": '[{"type": "divider"}]'},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert r.json()["ok"] is True
    assert standin.messages("C2")[0].blocks == [{"type": "divider"}]


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (lambda s: s.delete_channel("C1"), "channel_not_found"),
        (lambda s: s.remove_bot("C1"), "not_in_channel"),
        (lambda s: s.archive("C1"), "is_archived"),
        (lambda s: s.add_channel("C1", private=True, member=False), "channel_not_found"),
    ],
)
async def test_channel_errors_raise_slack_api_error(
    standin: SlackStandIn, setup: object, error: str
) -> None:
    setup(standin)  # type: ignore[operator]
    with pytest.raises(SlackApiError) as info:
        await client_for(standin).chat_postMessage(channel="C1", text="hello")
    assert info.value.response["error"] == error
    assert standin.messages("C1") == []


async def test_strict_mode_refuses_unknown_channels() -> None:
    async with SlackStandIn(bot_token=TOKEN, strict=True) as strict:
        with pytest.raises(SlackApiError, match="channel_not_found"):
            await client_for(strict).chat_postMessage(channel="CNEW", text="x")
        strict.add_channel("CNEW")
        await client_for(strict).chat_postMessage(channel="CNEW", text="x")
        info = await client_for(strict).conversations_info(channel="CNEW")
        assert info["channel"]["is_member"] is True


async def test_unknown_method(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as info:
        await client_for(standin).api_call("chat.scheduleMessage", json={"channel": "C1"})
    assert info.value.response["error"] == "unknown_method"


async def test_rate_limit_is_waited_out_by_the_retry_handler(standin: SlackStandIn) -> None:
    client = client_for(standin)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    standin.rate_limit_next("chat.postMessage", n=1, retry_after=1)
    resp = await client.chat_postMessage(channel="C1", text="after the limit")
    assert resp["ok"] is True
    statuses = [c.status for c in standin.calls_to("chat.postMessage")]
    assert statuses == [429, 200]
    assert len(standin.messages("C1")) == 1


async def test_rate_limit_without_handler_surfaces_retry_after(standin: SlackStandIn) -> None:
    standin.rate_limit_next("chat.update", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        await client_for(standin).chat_update(channel="C1", ts="1.1", text="x")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"


async def test_fail_next_and_error_next(standin: SlackStandIn) -> None:
    client = client_for(standin)
    standin.fail_next("chat.postMessage", n=1, status=500)
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="x")
    standin.error_next("chat.postMessage", "account_inactive")
    with pytest.raises(SlackApiError, match="account_inactive"):
        await client.chat_postMessage(channel="C1", text="x")
    await client.chat_postMessage(channel="C1", text="x")
    assert [c.ok for c in standin.calls_to("chat.postMessage")] == [False, False, True]


async def test_response_url_records_ephemeral_in_channel_and_replace(standin: SlackStandIn) -> None:
    card = standin.store_message("C1", "card", [])
    url = standin.new_response_url(channel_id="C1", user_id="U7", message_ts=card.ts)
    other = standin.new_response_url(channel_id="C1", user_id="U7")
    assert url != other and url.startswith(standin.url)
    async with httpx.AsyncClient() as http:
        await http.post(url, json={"text": "private"})
        await http.post(other, json={"text": "for all", "response_type": "in_channel"})
        await http.post(url, json={"text": "card v2", "replace_original": True})
        for _ in range(3):
            assert (await http.post(url, json={"text": "again"})).status_code == 200
        assert (await http.post(url, json={"text": "sixth"})).status_code == 404
        assert (await http.post(f"{standin.url}/response/nope", json={})).status_code == 404
    assert standin.ephemerals(user="U7")[0].text == "private"
    assert [m.text for m in standin.messages("C1")] == ["card v2", "for all"]
    assert standin.responses[0].response_type == "ephemeral"
    assert len(standin.calls_to("response_url")) == 8


async def test_wait_for_wakes_on_a_recorded_change(standin: SlackStandIn) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await client_for(standin).chat_postMessage(channel="C5", text="arrived")

    task = asyncio.create_task(later())
    await standin.wait_for(lambda: len(standin.messages("C5")) == 1, timeout=5)
    await task
    with pytest.raises(TimeoutError, match="not met"):
        await standin.wait_for(lambda: False, timeout=0.05)


async def test_user_messages_and_listeners(standin: SlackStandIn) -> None:
    seen: list[str] = []
    standin.add_listener(lambda call: seen.append(call.method))
    parent = standin.add_user_message("C1", "<@U0DRSBOT> watch x", user="U1")
    assert parent.user == "U1"
    client = client_for(standin)
    await client.chat_postMessage(channel="C1", thread_ts=parent.ts, text="watching")
    with pytest.raises(SlackApiError, match="cant_update_message"):
        await client.chat_update(channel="C1", ts=parent.ts, text="edited")
    user = await client.users_info(user="U1")
    assert user["user"]["id"] == "U1"
    assert seen == ["chat.postMessage", "chat.update", "users.info"]
    assert [m.text for m in standin.thread("C1", parent.ts)] == ["watching"]


async def test_views_publish_and_chat_unfurl_are_recorded(standin: SlackStandIn) -> None:
    client = client_for(standin)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Your watches*"}}]
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": blocks})
    assert standin.home_views["U1"]["blocks"] == blocks
    with pytest.raises(SlackApiError) as info:
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": blocks * 101})
    assert info.value.response["error"] == "invalid_blocks"
    url = "https://console.huaweicloud.com/drs/#/detail?jobId=x"
    await client.chat_unfurl(channel="C1", ts="1.000001", unfurls={url: {"blocks": blocks}})
    [unfurl] = standin.unfurls
    assert (unfurl.channel, unfurl.ts, unfurl.unfurls) == (
        "C1",
        "1.000001",
        {url: {"blocks": blocks}},
    )
    assert [c.method for c in standin.calls] == ["views.publish", "views.publish", "chat.unfurl"]
