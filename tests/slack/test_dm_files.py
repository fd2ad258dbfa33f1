"""The template loop in a direct message: `upload` with a file and `template`, over real HTTP."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator

import pytest

from bot.sandbox.harness import BOT_USER_ID
from bot.sandbox.slack_payloads import direct_message_body
from bot.sandbox.slack_standin import StoredFile
from bot.store.models import Watch
from tests.slack.filebot import GOOD, JOB, FileBot, file_bot

DM = "D0SANDBOX"
_ts = itertools.count(1)


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[FileBot]:
    async with file_bot(db_url) as made:
        yield made


async def dm(
    bot: FileBot,
    text: str,
    *,
    files: list[StoredFile] = (),  # type: ignore[assignment]
    event_id: str | None = None,
    url: str | None = None,
    **extra: str,
) -> str:
    """Send a `message.im` (as `file_share` with its files, as Slack does); the message's ts."""
    ts = f"{1700000000 + next(_ts)}.000400"
    raw = direct_message_body(text=text, ts=ts, channel_id=DM, event_id=event_id, **extra)
    if files:
        body = json.loads(raw)
        body["event"]["subtype"] = "file_share"
        body["event"]["files"] = [bot.slack.file_item(f) for f in files]
        raw = json.dumps(body).encode()
    response = await bot.sender.send(url or bot.events_url, raw)
    assert response.status_code == 200, (response.status_code, response.text)
    return ts


async def watches_in_dm(bot: FileBot) -> int:
    async with bot.runtime.sessions() as session:
        rows = await session.scalars(Watch.__table__.select().where(Watch.channel_id == DM))
        return len(list(rows))


async def test_an_upload_in_a_dm_reaches_drs_once_and_is_watched_there(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    await dm(bot, f"upload {JOB}", files=[shared], event_id="Ev0DMUPLOAD")
    await bot.slack.wait_for(lambda: bot.slack.messages(DM) != [])
    async with bot.replica() as other_url:  # the same event reaching a second replica
        await dm(bot, f"upload {JOB}", files=[shared], event_id="Ev0DMUPLOAD", url=other_url)
        await asyncio.sleep(0.3)
    assert bot.simulator.uploads[JOB] == GOOD
    assert len(bot.simulator.templates.upload_log) == 1
    assert len(bot.slack.messages(DM)) == 1
    card = bot.slack.messages(DM)[0]
    assert card.user == BOT_USER_ID and "`orders.xlsx` uploaded by <@U0USER>" in str(card.blocks)
    assert await watches_in_dm(bot) == 1


async def test_a_template_asked_for_in_a_dm_is_posted_in_the_dm(bot: FileBot) -> None:
    await dm(bot, f"template {JOB}")
    await bot.slack.wait_for(lambda: bool(bot.slack.posted_files(DM)))
    [posted] = bot.slack.posted_files(DM)
    assert posted.name == "drs-template-c7debc9c-table.zip"
    assert [channel for channel, _ in posted.shares] == [DM]


async def test_a_bots_file_share_in_a_dm_is_ignored(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    await dm(bot, f"upload {JOB}", files=[shared], user_id="U0OTHERBOT", bot_id="B0OTHER")
    await dm(bot, "help")  # a person's message after it is answered; the bot's was not
    await bot.slack.wait_for(lambda: bot.slack.messages(DM) != [])
    assert len(bot.slack.messages(DM)) == 1 and "status JOB_ID" in bot.slack.messages(DM)[0].text
    assert JOB not in bot.simulator.uploads
