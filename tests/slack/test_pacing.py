"""Slack pacing over real HTTP: a stand-in that answers 429 beyond one message per pace per
channel, pacers sharing the database as replicas do, coalesced card edits, the interactive lane."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.errors import SlackError
from bot.lanes import background
from bot.render.message import Message
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.gateway import SlackGateway
from bot.slack.pacing import ChannelPacer, PacedGateway

TOKEN = "xoxb-test-token"
CHANNEL = "C0PACED"
PACE = 0.05


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token=TOKEN, clock=SystemClock()) as s:
        yield s


def raw_client(standin: SlackStandIn) -> AsyncWebClient:
    """No 429 retry handler: a refused call fails the test instead of being waited out."""
    return AsyncWebClient(token=TOKEN, base_url=standin.api_url)


def paced(standin: SlackStandIn, sessions: async_sessionmaker[AsyncSession]) -> PacedGateway:
    pacer = ChannelPacer(sessions, SystemClock(), pace=PACE)
    return PacedGateway(raw_client(standin), pacer=pacer)


def refused(standin: SlackStandIn) -> list[str]:
    return [c.method for c in standin.calls if c.status == 429]


async def test_standin_refuses_a_burst_to_one_channel_with_retry_after(
    standin: SlackStandIn,
) -> None:
    standin.limit_channels(interval=10.0, burst=1)
    gateway = SlackGateway(raw_client(standin))
    await gateway.post(CHANNEL, Message("first"))
    await gateway.post("C0OTHER", Message("another channel has its own budget"))
    with pytest.raises(SlackError) as caught:
        await gateway.post(CHANNEL, Message("second, too soon"))
    assert caught.value.error == "ratelimited"
    assert refused(standin) == ["chat.postMessage"]


async def test_two_replicas_sharing_the_database_never_draw_a_429(
    standin: SlackStandIn, db_sessions: async_sessionmaker[AsyncSession]
) -> None:
    standin.limit_channels(interval=PACE, burst=3)
    one, two = paced(standin, db_sessions), paced(standin, db_sessions)
    sends = [
        gateway.post(CHANNEL, Message(f"{name} {i}"))
        for i in range(6)
        for name, gateway in (("one", one), ("two", two))
    ]
    await asyncio.gather(*sends)
    await one.aclose()
    await two.aclose()
    assert refused(standin) == []
    texts = [m.text for m in standin.messages(CHANNEL)]
    assert len(texts) == 12
    for name in ("one", "two"):  # each replica's messages in the order it made them
        assert [t for t in texts if t.startswith(name)] == [f"{name} {i}" for i in range(6)]


async def test_waiting_card_edits_coalesce_into_the_newest(
    standin: SlackStandIn, db_sessions: async_sessionmaker[AsyncSession]
) -> None:
    gateway = paced(standin, db_sessions)
    card = await gateway.post(CHANNEL, Message("card v0"))
    with background():
        final = asyncio.create_task(gateway.post(CHANNEL, Message("a final reply")))
        await asyncio.sleep(0)  # the final holds the next slot; the edits wait behind it
        edits = [
            asyncio.create_task(gateway.update(CHANNEL, card, Message(f"card v{n}")))
            for n in (1, 2, 3)
        ]
        await asyncio.gather(final, *edits)
    await gateway.aclose()
    updates = [c.params.get("text") for c in standin.calls if c.method == "chat.update"]
    assert updates == ["card v3"], "only the newest waiting edit is sent"
    assert gateway.pacer.coalesced == 2
    shown = standin.find_message(CHANNEL, card)
    assert shown is not None and shown.text == "card v3"


async def test_a_persons_answer_goes_before_queued_finals(
    standin: SlackStandIn, db_sessions: async_sessionmaker[AsyncSession]
) -> None:
    gateway = paced(standin, db_sessions)
    with background():
        finals = [
            asyncio.create_task(gateway.post(CHANNEL, Message(f"final {i}"))) for i in range(5)
        ]
    await asyncio.sleep(0)  # the first final takes the channel's first slot
    answer = asyncio.create_task(gateway.post(CHANNEL, Message("your answer")))
    await asyncio.gather(answer, *finals)
    await gateway.aclose()
    texts = [m.text for m in standin.messages(CHANNEL)]
    assert texts == ["final 0", "your answer", "final 1", "final 2", "final 3", "final 4"]
