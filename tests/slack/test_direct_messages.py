"""Direct messages: the mention's grammar without the `@`, every answer in the DM itself."""

from __future__ import annotations

import itertools

from bot.sandbox.harness import BOT_USER_ID
from bot.sandbox.slack_payloads import direct_message_body
from bot.store.models import Watch
from tests.slack.live import RUNNING, LiveBot

DM = "D0SANDBOX"
_ts = itertools.count(1)


def next_ts() -> str:
    return f"{1700000000 + next(_ts)}.000300"


async def dm(bot: LiveBot, text: str, **extra: str) -> None:
    body = direct_message_body(text=text, ts=next_ts(), channel_id=DM, **extra)
    response = await bot.sender.send(bot.events_url, body)
    assert response.status_code == 200


def in_dm(bot: LiveBot) -> list[str]:
    return [m.text for m in bot.slack.message_list if m.channel == DM and not m.deleted]


async def test_a_bare_job_id_in_a_dm_watches_it_there(live_bot: LiveBot) -> None:
    await dm(live_bot, RUNNING)
    await live_bot.slack.wait_for(lambda: live_bot.slack.messages(DM) != [])
    card = live_bot.slack.messages(DM)[0]
    assert RUNNING in str(card.blocks) and card.user == BOT_USER_ID
    assert await live_bot.count(Watch, channel_id=DM, state="active") == 1
    assert live_bot.slack.ephemerals() == []  # a DM is answered in the DM, not ephemerally


async def test_status_in_a_dm_answers_at_once_without_watching(live_bot: LiveBot) -> None:
    await dm(live_bot, f"status {RUNNING}")
    await live_bot.slack.wait_for(lambda: in_dm(live_bot) != [])
    assert "jb20r" in in_dm(live_bot)[0]
    assert live_bot.simulator.calls.get(RUNNING) == 1
    assert await live_bot.count(Watch) == 0


async def test_list_stop_and_help_work_in_a_dm(live_bot: LiveBot) -> None:
    await dm(live_bot, f"watch {RUNNING}")
    await live_bot.slack.wait_for(lambda: len(in_dm(live_bot)) == 1)
    await dm(live_bot, "list")
    await live_bot.slack.wait_for(lambda: len(in_dm(live_bot)) == 2)
    assert "Watching 1 DRS job" in str(live_bot.slack.message_list[-1].blocks)
    await dm(live_bot, f"stop {RUNNING}")
    await live_bot.slack.wait_for(lambda: len(in_dm(live_bot)) == 3)
    assert await live_bot.count(Watch, state="stopped") == 1
    await dm(live_bot, "help")
    await live_bot.slack.wait_for(lambda: len(in_dm(live_bot)) == 4)
    assert "status JOB_ID" in in_dm(live_bot)[-1]


async def test_the_bot_ignores_its_own_dms_other_bots_and_edits(live_bot: LiveBot) -> None:
    await dm(live_bot, f"status {RUNNING}", user_id=BOT_USER_ID, bot_id="B0DRSBOT")
    await dm(live_bot, f"status {RUNNING}", user_id="U0OTHERBOT", bot_id="B0OTHER")
    await dm(live_bot, f"status {RUNNING}", subtype="message_changed")
    await dm(live_bot, f"status {RUNNING}", subtype="bot_message")
    # a person's message after them is answered; the four before it were not
    await dm(live_bot, "help")
    await live_bot.slack.wait_for(lambda: in_dm(live_bot) != [])
    assert len(in_dm(live_bot)) == 1 and "status JOB_ID" in in_dm(live_bot)[0]
    assert live_bot.simulator.calls.get(RUNNING) is None
