"""The template round trip over real HTTP: signed mentions, the Slack stand-in, the simulator."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.drs.sim_jobs import SimJob
from bot.sandbox.slack_interactions import message_shortcut_body
from bot.slack.listeners.shortcuts import UPLOAD_CALLBACK_ID
from bot.store.models import TemplateUpload
from bot.store.uploads import STALE_AFTER
from tests.slack.filebot import BAD, CHANNEL, GOOD, JOB, FileBot, file_bot
from tests.templates.helpers import zipped


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[FileBot]:
    async with file_bot(db_url) as made:
        yield made


def context_texts(blocks: list[dict[str, object]]) -> str:
    out = []
    for block in blocks:
        for element in block.get("elements", []) or []:  # type: ignore[attr-defined]
            out.append(str(element.get("text", "")))
    return "\n".join(out)


async def uploads_in_db(bot: FileBot) -> list[str]:
    async with bot.runtime.sessions() as session:
        rows = await session.scalars(select(TemplateUpload.state))
        return list(rows)


async def test_template_is_posted_into_the_thread(bot: FileBot) -> None:
    ts = await bot.mention(f"template {JOB} --level database")
    await bot.slack.wait_for(lambda: bool(bot.slack.posted_files(CHANNEL)))
    [posted] = bot.slack.posted_files(CHANNEL)
    assert posted.shares == [(CHANNEL, ts)]
    assert posted.name == "drs-template-c7debc9c-database.zip"
    assert posted.content is not None and zipfile.is_zipfile(io.BytesIO(posted.content))
    [reply] = bot.slack.thread(CHANNEL, ts)
    assert f"upload {JOB}" in reply.text and reply.files[0]["id"] == posted.id


async def test_a_filled_file_is_uploaded_and_watched_to_the_end(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    ts = await bot.mention(f"upload {JOB}", files=[shared])
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, ts)) >= 1)
    assert bot.simulator.uploads[JOB] == GOOD  # the exact bytes
    card = bot.slack.thread(CHANNEL, ts)[0]
    assert "`orders.xlsx` uploaded by <@U0USER>" in context_texts(card.blocks)
    await bot.sweep(3)
    replies = bot.slack.thread(CHANNEL, ts)
    assert any("succeeded" in m.text.lower() or "finished" in m.text.lower() for m in replies)
    assert "`orders.xlsx` uploaded by" in context_texts(replies[0].blocks)
    assert await uploads_in_db(bot) == ["uploaded"]


async def test_a_failing_file_gets_its_marked_result_with_errors_quoted(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", BAD)
    ts = await bot.mention(f"upload {JOB}", files=[shared])
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, ts)) >= 1)
    await bot.sweep(3)
    await bot.slack.wait_for(lambda: bool(bot.slack.posted_files(CHANNEL)))
    [result] = bot.slack.posted_files(CHANNEL)
    assert result.content == bot.simulator.templates.parsed[JOB].marked
    comment = next(m for m in bot.slack.thread(CHANNEL, ts) if m.files)
    assert "2 rows carry an error" in comment.text
    assert "row 2: Table name is empty." in comment.text
    assert "contains a space" in comment.text


REFUSALS = [
    ("notes.pdf", b"%PDF-1.4", "not a file DRS imports"),
    ("orders.xlsx", b"this is not a workbook", "workbook"),
    ("big.json", b"[" + b" " * (5 * 1024 * 1024) + b"]", "DRS takes .json files up to 5 MB"),
    ("two.zip", zipped(("a.json", b"{}"), ("b.json", b"{}")), "one"),
    ("climb.zip", zipped(("../x.json", b"{}")), ".."),
]


@pytest.mark.parametrize(("name", "data", "said"), REFUSALS)
async def test_each_refusal_is_one_message_and_nothing_reaches_drs(
    bot: FileBot, name: str, data: bytes, said: str
) -> None:
    shared = bot.slack.add_user_file(name, data)
    ts = await bot.mention(f"upload {JOB}", files=[shared])
    await bot.slack.wait_for(lambda: bool(bot.slack.ephemerals(CHANNEL)))
    [told] = bot.slack.ephemerals(CHANNEL)
    assert said in told.text and "Nothing was sent to DRS" in told.text
    assert told.thread_ts == ts
    assert JOB not in bot.simulator.uploads
    assert bot.slack.thread(CHANNEL, ts) == []


async def test_slack_refusals_say_what_to_fix(bot: FileBot) -> None:
    bot.slack.files_readable = False
    await bot.mention(f"upload {JOB}", files=[bot.slack.add_user_file("orders.xlsx", GOOD)])
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) == 1)
    assert "files:read" in bot.slack.ephemerals(CHANNEL)[0].text
    bot.slack.files_readable = True
    lying = bot.slack.add_user_file("orders.xlsx", GOOD, announced_size=len(GOOD) - 1)
    await bot.mention(f"upload {JOB}", files=[lying])
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) == 2)
    assert "send it again" in bot.slack.ephemerals(CHANNEL)[1].text
    hidden = bot.slack.add_user_file("orders.xlsx", GOOD, hidden=True)
    await bot.mention(f"upload {JOB}", files=[hidden])
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) == 3)
    assert "share the file" in bot.slack.ephemerals(CHANNEL)[2].text
    await bot.mention(f"upload {JOB}")
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) == 4)
    assert "Attach the filled template" in bot.slack.ephemerals(CHANNEL)[3].text
    assert JOB not in bot.simulator.uploads


async def test_drs_refusing_the_upload_is_told_with_the_request_id(bot: FileBot) -> None:
    bot.simulator.faults.throttle_next = 5
    await bot.mention(f"upload {JOB}", files=[bot.slack.add_user_file("orders.xlsx", GOOD)])
    await bot.slack.wait_for(lambda: bool(bot.slack.ephemerals(CHANNEL)))
    told = bot.slack.ephemerals(CHANNEL)[0].text
    assert "orders.xlsx" in told and "busy" in told
    assert JOB not in bot.simulator.uploads
    assert await uploads_in_db(bot) == ["failed"]


async def test_a_slack_retry_of_the_upload_event_uploads_once(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    ts = await bot.mention(f"upload {JOB}", files=[shared], event_id="EvUpload1")
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, ts)) >= 1)
    await bot.send_mention(ts, f"upload {JOB}", [shared], event_id="EvUpload1", retry_num=1)
    await asyncio.sleep(0.3)
    assert len(bot.simulator.templates.upload_log) == 1
    assert len(bot.slack.thread(CHANNEL, ts)) == 1


async def test_a_result_that_cannot_be_fetched_points_to_the_console(bot: FileBot) -> None:
    # The job fails without an upload the simulator knows of: its result is refused.
    bot.simulator.add_job(
        SimJob(JOB, [{"send_success": True}, {"send_success": True, "process_status": "failed"}], 0)
    )
    ts = await bot.mention(f"watch {JOB}")
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, ts)) >= 1)
    await bot.sweep(2)
    texts = [m.text for m in bot.slack.thread(CHANNEL, ts)]
    assert any("could not be fetched" in t and "DRS console" in t for t in texts)
    assert bot.slack.posted_files(CHANNEL) == []


async def test_two_replicas_receiving_the_same_event_upload_once(pg_url: str) -> None:
    async with file_bot(pg_url) as bot, bot.replica() as other_url:
        shared = bot.slack.add_user_file("orders.xlsx", GOOD)
        msg = bot.slack.add_user_message(CHANNEL, f"upload {JOB}")
        # Slack's retry of the event lands on the other replica at the same moment (the very
        # same signed request sent to both would be refused there as a replay)
        await asyncio.gather(
            bot.send_mention(msg.ts, f"upload {JOB}", [shared], event_id="EvBoth"),
            bot.send_mention(
                msg.ts, f"upload {JOB}", [shared], event_id="EvBoth", retry_num=1, url=other_url
            ),
        )
        await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, msg.ts)) >= 1)
        await asyncio.sleep(0.5)
        assert len(bot.simulator.templates.upload_log) == 1
        assert bot.simulator.uploads[JOB] == GOOD
        assert len(bot.slack.thread(CHANNEL, msg.ts)) == 1
        assert await uploads_in_db(bot) == ["uploaded"]


async def test_an_upload_interrupted_by_a_restart_is_reported_not_repeated(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    msg = bot.slack.add_user_message(CHANNEL, f"upload {JOB}")
    async with bot.runtime.sessions.begin() as session:  # what a process that stopped left
        session.add(
            TemplateUpload(
                event_key="EvStuck",
                file_id=shared.id,
                team_id="T0SANDBOX",
                channel_id=CHANNEL,
                thread_ts=msg.ts,
                job_id=JOB,
                file_name="orders.xlsx",
                user_id="U0USER",
                state="started",
                owner="gone:1:abc",
                created_at=bot.clock.now(),
                updated_at=bot.clock.now(),
            )
        )
    bot.clock.advance(STALE_AFTER.total_seconds() + 1)
    await bot.send_mention(msg.ts, f"upload {JOB}", [shared], event_id="EvStuck", retry_num=2)
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, msg.ts)) == 1)
    [report] = bot.slack.thread(CHANNEL, msg.ts)
    assert "interrupted" in report.text and "not repeated" in report.text
    assert JOB not in bot.simulator.uploads
    assert await uploads_in_db(bot) == ["failed"]


async def test_upload_as_drs_template_shortcut_uploads_and_watches(bot: FileBot) -> None:
    shared = bot.slack.add_user_file("orders.xlsx", GOOD)
    msg = bot.slack.add_user_message(CHANNEL, f"filled template for {JOB}")
    msg.files = [bot.slack.file_item(shared)]

    async def press(text: str) -> None:
        body = message_shortcut_body(
            callback_id=UPLOAD_CALLBACK_ID,
            message_ts=msg.ts,
            message_text=text,
            response_url=bot.slack.new_response_url(),
            message_files=msg.files,
        )
        assert (await bot.sender.send(bot.events_url, body)).status_code == 200

    await press("no job named here")
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) == 1)
    assert "exactly one" in bot.slack.ephemerals(CHANNEL)[0].text
    assert JOB not in bot.simulator.uploads
    await press(msg.text)
    await bot.slack.wait_for(lambda: len(bot.slack.thread(CHANNEL, msg.ts)) >= 1)
    assert bot.simulator.uploads[JOB] == GOOD
    assert "`orders.xlsx` uploaded by" in context_texts(bot.slack.thread(CHANNEL, msg.ts)[0].blocks)
