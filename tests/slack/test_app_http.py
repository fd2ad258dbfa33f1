"""The Slack app end to end: signed requests over HTTP, the simulator, the Slack stand-in."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.render.cards import ACTION_STOP
from bot.sandbox.harness import BOT_USER_ID
from bot.sandbox.slack_interactions import block_action_body, message_shortcut_body
from bot.sandbox.slack_payloads import app_mention_body, slash_command_body
from bot.slack.listeners.shortcuts import SHORTCUT_CALLBACK_ID
from bot.store.models import PolledJob, Watch
from tests.slack.live import CHANNEL, DONE, FAILED, RUNNING, LiveBot


async def slash(bot: LiveBot, text: str, *, channel: str = CHANNEL, user: str = "U0USER"):
    response_url = bot.slack.new_response_url(channel_id=channel, user_id=user)
    body = slash_command_body(
        text=text, response_url=response_url, channel_id=channel, user_id=user
    )
    return await bot.sender.send(bot.events_url, body)


def progress_requests(bot: LiveBot) -> int:
    return sum(bot.simulator.calls.values())


def channel_messages(bot: LiveBot, channel: str = CHANNEL) -> list:
    return [m for m in bot.slack.messages(channel) if not m.is_reply]


async def test_forged_and_stale_signatures_are_refused(live_bot: LiveBot) -> None:
    body = slash_command_body(text="help", response_url=live_bot.slack.new_response_url())
    forged = await live_bot.sender.send(live_bot.events_url, body, secret="not-the-secret")
    stale = await live_bot.sender.send(
        live_bot.events_url, body, timestamp=int(time.time()) - 10 * 60
    )
    assert forged.status_code == 401
    assert stale.status_code == 401
    assert progress_requests(live_bot) == 0


async def test_help_and_empty_text_answer_usage_privately(live_bot: LiveBot) -> None:
    for text in ("help", "", "   "):
        response = await slash(live_bot, text)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_type"] == "ephemeral"
        assert "/drs-progress status" in str(answer["blocks"])
    assert channel_messages(live_bot) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("frobnicate", "frobnicate"),
        ("../../etc/passwd", "8-4-4-4-12"),
        ("c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r%2e%2e", "8-4-4-4-12"),
        ("status", "status"),
        (
            " ".join(f"c7debc9c-8e09-4a5d-8dd6-cc44f78jb2{i}a" for i in range(6)),
            "5",
        ),
        (f"{RUNNING} --type rows", "--type"),
        (f"{RUNNING} --lang fr", "--lang"),
    ],
)
async def test_bad_input_is_answered_privately_and_reaches_nothing(
    live_bot: LiveBot, text: str, expected: str
) -> None:
    started = time.monotonic()
    response = await slash(live_bot, text)
    assert time.monotonic() - started < 3
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert expected in answer["text"]
    await asyncio.sleep(0.2)  # anything the bot might wrongly do after the ack
    assert progress_requests(live_bot) == 0
    assert channel_messages(live_bot) == []
    assert await live_bot.count(Watch) == 0


async def test_watch_acks_fast_while_drs_hangs_and_the_card_follows(live_bot: LiveBot) -> None:
    live_bot.simulator.faults.latency = 6.0
    started = time.monotonic()
    response = await slash(live_bot, f"`{RUNNING.upper()}` ")
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1, timeout=20)
    card = channel_messages(live_bot)[0]
    assert card.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"  # DRS's answer, not a guess
    assert RUNNING in str(card.blocks)
    assert await live_bot.count(Watch, state="active") == 1


async def test_watch_posts_a_card_and_remembers_it(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    card = channel_messages(live_bot)[0]
    assert card.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"
    assert "Stop watching" in str(card.blocks)

    async def stored() -> Watch | None:
        async with live_bot.runtime.sessions() as session:
            from sqlalchemy import select

            return (await session.scalars(select(Watch))).first()

    watch = None
    for _ in range(100):
        watch = await stored()
        if watch is not None and watch.card_ts:
            break
        await asyncio.sleep(0.02)
    assert watch is not None
    assert watch.card_ts == card.ts and watch.thread_ts == card.ts
    assert watch.requested_by == "U0USER"


async def test_watching_again_links_the_existing_card(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    await asyncio.sleep(0.1)
    await slash(live_bot, RUNNING, user="U0SECOND")
    await live_bot.slack.wait_for(
        lambda: any("already watched" in e.text for e in live_bot.slack.ephemerals())
    )
    assert len(channel_messages(live_bot)) == 1
    hint = next(e for e in live_bot.slack.ephemerals() if "already watched" in e.text)
    assert "See its card" in str(hint.blocks)
    assert await live_bot.count(Watch) == 1


async def test_finished_job_gets_a_final_card_and_no_watch(live_bot: LiveBot) -> None:
    await slash(live_bot, DONE)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    assert "succeeded" in channel_messages(live_bot)[0].text
    assert "Stop watching" not in str(channel_messages(live_bot)[0].blocks)
    assert await live_bot.count(Watch, state="active") == 0
    assert await live_bot.count(PolledJob, next_poll_at=None) == await live_bot.count(PolledJob)


async def test_status_is_private_and_stateless(live_bot: LiveBot) -> None:
    response = await slash(live_bot, f"status {FAILED}")
    assert "Checking" in response.json()["text"]
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 1)
    answer = live_bot.slack.ephemerals()[0]
    assert "failed" in answer.text
    assert answer.user == "U0USER"
    assert channel_messages(live_bot) == []
    assert await live_bot.count(Watch) == 0
    assert await live_bot.count(PolledJob) == 0


async def test_unknown_job_is_reported_and_not_watched(live_bot: LiveBot) -> None:
    unknown = "deadbeef-0000-4a5d-8dd6-cc44f78jb999"
    await slash(live_bot, unknown)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 1)
    assert "does not exist" in live_bot.slack.ephemerals()[0].text
    assert channel_messages(live_bot) == []
    assert await live_bot.count(Watch) == 0


async def test_bot_not_in_channel_gets_an_invite_hint_and_nothing_stored(
    live_bot: LiveBot,
) -> None:
    live_bot.slack.add_channel("C0PRIVATE", member=False, private=True)
    await slash(live_bot, RUNNING, channel="C0PRIVATE")
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 1)
    hint = live_bot.slack.ephemerals()[0]
    assert "/invite" in hint.text and BOT_USER_ID in hint.text
    assert await live_bot.count(Watch) == 0


async def test_mention_in_a_thread_watches_there_without_a_channel_card(
    live_bot: LiveBot,
) -> None:
    parent = live_bot.slack.add_user_message(CHANNEL, "migration thread for orders")
    for n in range(2):  # a second, different mention must not double the watch
        body = app_mention_body(
            text=f"<@{BOT_USER_ID}> watch {RUNNING}",
            ts=f"{1700000000 + n}.000100",
            thread_ts=parent.ts,
            event_id=f"Ev0{n}",
        )
        response = await live_bot.sender.send(live_bot.events_url, body)
        assert response.status_code == 200
        await live_bot.slack.wait_for(
            lambda: len(live_bot.slack.thread(CHANNEL, parent.ts)) == 1, timeout=5
        )
        await asyncio.sleep(0.2)
    thread = live_bot.slack.thread(CHANNEL, parent.ts)
    assert len(thread) == 1 and "jb20r" in thread[0].text
    # the second asker hears, privately and in the thread, that it is already watched
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 1)
    assert live_bot.slack.ephemerals()[0].thread_ts == parent.ts
    assert [m.ts for m in channel_messages(live_bot)] == [parent.ts]
    assert await live_bot.count(Watch) == 1
    assert await live_bot.count(PolledJob) == 1


async def test_a_retried_event_is_handled_once(live_bot: LiveBot) -> None:
    body = app_mention_body(
        text=f"<@{BOT_USER_ID}> status {RUNNING}", ts="1700000000.000200", event_id="EvRetry"
    )
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.sender.send(live_bot.events_url, body, retry_num=1)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) >= 1)
    await asyncio.sleep(0.3)
    assert len(live_bot.slack.ephemerals()) == 1
    assert live_bot.simulator.calls.get(RUNNING) == 1


async def test_stop_button_ends_the_watch_and_marks_the_card(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    card = channel_messages(live_bot)[0]
    for _ in range(100):
        if await live_bot.count(Watch, card_ts=card.ts) == 1:
            break
        await asyncio.sleep(0.02)
    stop = next(
        e
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ACTION_STOP
    )
    body = block_action_body(
        action_id=ACTION_STOP,
        value=stop["value"],
        message_ts=card.ts,
        response_url=live_bot.slack.new_response_url(),
    )
    assert (await live_bot.sender.send(live_bot.events_url, body)).status_code == 200
    await live_bot.slack.wait_for(lambda: "stopped" in channel_messages(live_bot)[0].text)
    assert await live_bot.count(Watch, state="stopped") == 1
    assert "Stop watching" not in str(channel_messages(live_bot)[0].blocks)


async def test_list_and_stop_commands(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    await asyncio.sleep(0.1)
    await slash(live_bot, "list")
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 1)
    listed = str(live_bot.slack.ephemerals()[0].blocks)
    assert RUNNING in listed
    assert "12,340" in listed  # the progress the watch started with, before any sweep
    await slash(live_bot, "stop all")
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.ephemerals()) == 2)
    assert "Stopped watching 1 DRS job" in live_bot.slack.ephemerals()[1].text
    assert await live_bot.count(Watch, state="active") == 0


async def test_message_shortcut_watches_in_that_messages_thread(live_bot: LiveBot) -> None:
    message = live_bot.slack.add_user_message(CHANNEL, f"cutover tonight, job `{RUNNING}`")
    body = message_shortcut_body(
        callback_id=SHORTCUT_CALLBACK_ID,
        message_ts=message.ts,
        message_text=message.text,
        response_url=live_bot.slack.new_response_url(),
    )
    assert (await live_bot.sender.send(live_bot.events_url, body)).status_code == 200
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.thread(CHANNEL, message.ts)) == 1)
    assert await live_bot.count(Watch) == 1


async def test_every_message_has_a_text_fallback(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await slash(live_bot, f"status {DONE}")
    await live_bot.slack.wait_for(
        lambda: len(channel_messages(live_bot)) == 1 and len(live_bot.slack.ephemerals()) == 1
    )
    posted = [
        c
        for c in live_bot.slack.calls
        if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
        and not c.params.get("delete_original")  # removes the "Checking" answer: no message
    ]
    assert posted
    assert all(str(c.params.get("text") or "").strip() for c in posted)


async def test_healthz_answers(live_bot: LiveBot) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        response = await client.get(f"{live_bot.url}/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_acknowledgements_never_wait_on_slack_auth_test(live_bot: LiveBot) -> None:
    live_bot.slack.error_next("auth.test", "internal_error", n=50)
    response = await slash(live_bot, "help")
    assert response.status_code == 200
    assert "/drs-progress status" in str(response.json()["blocks"])
    assert live_bot.slack.calls_to("auth.test") == []
