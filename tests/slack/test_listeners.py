"""The listeners called directly, with plain arguments, as Bolt would call them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.drs.retry import RetryPolicy
from bot.render.cards import ACTION_STOP
from bot.render.message import Message
from bot.runtime import Runtime
from bot.sandbox.harness import BOT_USER_ID, TEAM_ID, Harness, harness
from bot.slack.grammar import parse_command
from bot.slack.listeners.actions import handle_refresh, handle_stop
from bot.slack.listeners.commands import handle_command
from bot.slack.listeners.context import RUNTIME, runtime_of
from bot.slack.listeners.dispatch import Surface, dispatch
from bot.slack.listeners.events import SeenEvents, handle_mention
from bot.slack.listeners.shortcuts import handle_watch_in_thread
from bot.slack.service import Place
from bot.store.models import Watch
from tests.slack.live import CHANNEL, DONE, FAILED, RUNNING, sim_jobs

USER = "U0USER"


class Calls:
    """A stand-in for Bolt's `ack` and `respond`: records each call's keyword arguments."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


class Said:
    """A `Say` that remembers every message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
    async with harness(sim_jobs(), database_url=sqlite_url, drs_retry=retry) as h:
        yield h


def runtime(h: Harness) -> Runtime:
    assert h.runtime is not None
    return h.runtime


def context_for(h: Harness, *, thread_ts: str | None = None) -> AsyncBoltContext:
    """What Bolt would have put in the context: the IDs it read, and our runtime."""
    values: dict[str, Any] = {
        "team_id": TEAM_ID,
        "channel_id": CHANNEL,
        "user_id": USER,
        RUNTIME: runtime(h),
    }
    if thread_ts is not None:
        values["thread_ts"] = thread_ts
    return AsyncBoltContext(values)


async def active_watches(h: Harness) -> list[Watch]:
    from sqlalchemy import select

    async with runtime(h).sessions() as session:
        return list(await session.scalars(select(Watch).where(Watch.state == "active")))


def cards_in(h: Harness) -> list[Any]:
    return [m for m in h.slack.messages(CHANNEL) if not m.is_reply]


# ---- the slash command ----------------------------------------------------------------


async def test_slash_help_is_the_acknowledgement_and_nothing_follows(bot: Harness) -> None:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": "help"}, context_for(bot), respond)
    assert len(ack.calls) == 1
    assert ack.calls[0]["response_type"] == "ephemeral"
    assert "/drs-progress status" in str(ack.calls[0]["blocks"])
    assert respond.calls == []


async def test_slash_usage_error_is_the_acknowledgement(bot: Harness) -> None:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": "frobnicate"}, context_for(bot), respond)
    assert [c["response_type"] for c in ack.calls] == ["ephemeral"]
    assert "frobnicate" in ack.calls[0]["text"]
    assert respond.calls == []
    assert sum(bot.simulator.calls.values()) == 0


async def test_slash_status_says_checking_then_replaces_it_privately(bot: Harness) -> None:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": f"status {FAILED}"}, context_for(bot), respond)
    [checking] = ack.calls
    assert checking["text"] == ":hourglass_flowing_sand: Checking `0f0f0f0f…jb101` with DRS…"
    assert checking["response_type"] == "ephemeral" and not checking.get("blocks")
    assert len(respond.calls) == 1
    answer = respond.calls[0]
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    assert "failed" in answer["text"]
    assert cards_in(bot) == []


async def test_slash_watch_posts_the_card_where_bolts_context_says(bot: Harness) -> None:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": RUNNING}, context_for(bot), respond)
    assert "Checking" in ack.calls[0]["text"]
    [card] = cards_in(bot)
    assert card.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"
    [watch] = await active_watches(bot)
    assert (watch.team_id, watch.channel_id, watch.requested_by) == (TEAM_ID, CHANNEL, USER)
    assert watch.card_ts == card.ts
    # the answer is the public card: the private "Checking …" is removed, not left behind
    assert respond.calls == [{"delete_original": True}]


async def test_slash_stop_with_nothing_watched_acks_empty_and_answers_privately(
    bot: Harness,
) -> None:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": "stop all"}, context_for(bot), respond)
    assert ack.calls == [{}]
    assert [c["text"] for c in respond.calls] == [
        "Nothing is watched here, so there is nothing to stop."
    ]
    assert respond.calls[0]["replace_original"] is False


# ---- mentions -------------------------------------------------------------------------


def mention(text: str, *, ts: str = "1700000000.000100", **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": USER,
        "channel": CHANNEL,
        "text": text,
        "ts": ts,
        **extra,
    }


async def test_mention_help_is_answered_privately_in_a_new_thread(bot: Harness) -> None:
    ack = Calls()
    event = mention(f"<@{BOT_USER_ID}> help")
    await handle_mention(ack, event, context_for(bot))
    assert ack.calls == [{}]
    [answer] = bot.slack.ephemerals()
    assert answer.user == USER and answer.thread_ts == event["ts"]
    assert "watch" in answer.text.lower()


async def test_mention_status_in_a_thread_has_no_checking_note(bot: Harness) -> None:
    parent = "1699999999.000100"
    event = mention(f"<@{BOT_USER_ID}> status {DONE}", thread_ts=parent)
    await handle_mention(Calls(), event, context_for(bot, thread_ts=parent))
    [answer] = bot.slack.ephemerals()
    assert answer.thread_ts == parent
    assert "Checking" not in answer.text and "succeeded" in answer.text


async def test_mentions_by_bots_and_edits_are_ignored(bot: Harness) -> None:
    for extra in ({"bot_id": "B0OTHER"}, {"subtype": "message_changed"}):
        ack = Calls()
        event = mention(f"<@{BOT_USER_ID}> status {DONE}", **extra)
        await handle_mention(ack, event, context_for(bot))
        assert ack.calls == [{}]
    assert bot.slack.ephemerals() == []
    assert sum(bot.simulator.calls.values()) == 0


async def test_a_repeated_event_goes_no_further_than_the_middleware() -> None:
    seen = SeenEvents()
    passed: list[str] = []

    async def next_() -> None:
        passed.append("listener")

    first = await seen.skip_repeats({"event_id": "Ev1"}, next_)
    again = await seen.skip_repeats({"event_id": "Ev1"}, next_)
    other = await seen.skip_repeats({"event_id": "Ev2"}, next_)
    assert first is None and other is None
    assert isinstance(again, BoltResponse) and again.status == 200
    assert passed == ["listener", "listener"]


# ---- the card's buttons ---------------------------------------------------------------


async def test_stop_button_ends_its_watch(bot: Harness) -> None:
    await handle_command(Calls(), {"text": RUNNING}, context_for(bot), Calls())
    [watch] = await active_watches(bot)
    ack, respond = Calls(), Calls()
    await handle_stop(
        ack, {"action_id": ACTION_STOP, "value": str(watch.id)}, context_for(bot), respond
    )
    assert ack.calls == [{}]
    assert await active_watches(bot) == []
    assert "Stopped watching 1 DRS job" in respond.calls[0]["text"]
    assert "stopped" in cards_in(bot)[0].text


async def test_buttons_from_another_channel_or_with_a_foreign_value_do_nothing(
    bot: Harness,
) -> None:
    await handle_command(Calls(), {"text": RUNNING}, context_for(bot), Calls())
    [watch] = await active_watches(bot)
    elsewhere = context_for(bot)
    elsewhere["channel_id"] = "C0ELSEWHERE"
    respond = Calls()
    await handle_stop(Calls(), {"value": str(watch.id)}, elsewhere, respond)
    await handle_refresh(Calls(), {"value": "not-a-watch"}, context_for(bot), respond)
    assert [c["text"] for c in respond.calls] == [
        "This watch has already ended.",
        "That button is not one of mine any more; use the command.",
    ]
    assert len(await active_watches(bot)) == 1


# ---- the message shortcut -------------------------------------------------------------


async def test_shortcut_watches_in_the_messages_thread(bot: Harness) -> None:
    message = bot.slack.add_user_message(CHANNEL, f"cutover tonight, job `{RUNNING}`")
    respond = Calls()
    await handle_watch_in_thread(Calls(), {"message": message.as_api()}, context_for(bot), respond)
    assert len(bot.slack.thread(CHANNEL, message.ts)) == 1
    [watch] = await active_watches(bot)
    assert watch.thread_ts == message.ts
    assert respond.calls == []


async def test_shortcut_on_a_message_without_a_job_id_says_how_to_find_one(bot: Harness) -> None:
    respond = Calls()
    await handle_watch_in_thread(
        Calls(), {"message": {"text": "lunch?", "ts": "1.2"}}, context_for(bot), respond
    )
    assert "I found no DRS job ID" in respond.calls[0]["text"]
    assert await active_watches(bot) == []


# ---- the one dispatch -----------------------------------------------------------------


async def test_dispatch_acknowledges_once_before_anything_else(bot: Harness) -> None:
    order: list[str] = []
    said = Said()

    async def acknowledge(message: Message | None) -> None:
        order.append(f"ack:{message is not None}")

    async def say(message: Message) -> None:
        order.append("say")
        await said(message)

    surface = Surface(
        parse=parse_command, acknowledge=acknowledge, say=say, settle=say, shows_checking=False
    )
    place = Place(team_id=TEAM_ID, channel_id=CHANNEL, user_id=USER)
    await dispatch(runtime(bot), "list", place, surface)
    assert order == ["ack:False", "say"]
    assert said.messages[0].text.startswith("No DRS jobs are watched in this channel.")


def test_handlers_need_the_runtime_in_the_context() -> None:
    with pytest.raises(LookupError):
        runtime_of(AsyncBoltContext())
