"""The stand-in keeps chat.postMessage's `metadata` and gives it back from conversations.replies
and conversations.history only with include_all_metadata, and only with the history scope."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.gateway import SlackGateway

TOKEN = "xoxb-test-token"
TAG = {"event_type": "drs_progress_final", "event_payload": {"watch_id": 7}}


@pytest.fixture
async def client() -> AsyncIterator[tuple[SlackStandIn, AsyncWebClient]]:
    async with SlackStandIn(bot_token=TOKEN, clock=FakeClock()) as s:
        yield s, AsyncWebClient(token=TOKEN, base_url=s.api_url)


async def test_metadata_comes_back_from_replies_and_history_when_asked_for(
    client: tuple[SlackStandIn, AsyncWebClient],
) -> None:
    standin, web = client
    parent = await web.chat_postMessage(channel="C1", text="card")
    await web.chat_postMessage(channel="C1", text="plain", thread_ts=parent["ts"])
    tagged = await web.chat_postMessage(
        channel="C1", text="final", thread_ts=parent["ts"], reply_broadcast=True, metadata=TAG
    )
    assert standin.find_message("C1", tagged["ts"]).metadata == TAG  # type: ignore[union-attr]

    replies = await web.conversations_replies(
        channel="C1", ts=parent["ts"], include_all_metadata=True
    )
    assert [m["text"] for m in replies["messages"]] == ["card", "plain", "final"]
    assert [m.get("metadata") for m in replies["messages"]] == [None, None, TAG]
    bare = await web.conversations_replies(channel="C1", ts=parent["ts"])
    assert all("metadata" not in m for m in bare["messages"])

    history = await web.conversations_history(channel="C1", include_all_metadata=True)
    assert [(m["text"], m.get("metadata")) for m in history["messages"]] == [
        ("final", TAG),
        ("card", None),
    ]


async def test_pages_and_the_gateway_reads_every_page(
    client: tuple[SlackStandIn, AsyncWebClient],
) -> None:
    standin, web = client
    parent = await web.chat_postMessage(channel="C1", text="card")
    for n in range(250):
        await web.chat_postMessage(channel="C1", text=f"r{n}", thread_ts=parent["ts"])
    await web.chat_postMessage(channel="C1", text="final", thread_ts=parent["ts"], metadata=TAG)
    first = await web.conversations_replies(channel="C1", ts=parent["ts"], limit=200)
    assert first["has_more"] and first["response_metadata"]["next_cursor"]
    found = await SlackGateway(web).thread_metadata(
        "C1", parent["ts"], event_type="drs_progress_final"
    )
    assert found == [{"watch_id": 7}]
    assert len(standin.calls_to("conversations.replies")) == 3


@pytest.mark.parametrize(
    ("channel", "private", "scope"),
    [
        ("C1", False, "channels:history"),
        ("G1", True, "groups:history"),
        ("D1", False, "im:history"),
    ],
)
async def test_without_the_history_scope_reading_back_is_refused(
    client: tuple[SlackStandIn, AsyncWebClient], channel: str, private: bool, scope: str
) -> None:
    standin, web = client
    standin.add_channel(channel, private=private)
    parent = await web.chat_postMessage(channel=channel, text="card")
    standin.scopes = [s for s in standin.scopes if s != scope]
    with pytest.raises(SlackApiError) as info:
        await web.conversations_replies(channel=channel, ts=parent["ts"])
    assert info.value.response["error"] == "missing_scope"
    assert info.value.response["needed"] == scope
