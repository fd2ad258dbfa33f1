"""Messages in Chinese, over real HTTP: `config lang`, the reader's locale, DRS's X-Language."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.runtime import Runtime
from bot.sandbox.harness import SIGNING_SECRET, Harness, serving
from bot.sandbox.slack_payloads import SlackSender, direct_message_body, slash_command_body
from bot.server import build_web
from bot.slack.app import build_app
from bot.store.models import PolledJob, Watch
from bot.watcher.sweep import Sweeper

from .conftest import INTERVAL, JOB_A, UPLOADING, World, parsing, sim_job, succeeded

CHANNEL = "C0SANDBOX"
DM = "D0SANDBOX"
CHINESE = range(0x4E00, 0xA000)


def chinese(text: str) -> bool:
    return any(ord(c) in CHINESE for c in text)


@dataclass
class Live:
    h: Harness
    url: str
    sender: SlackSender

    async def slash(self, text: str, *, user: str = "U0USER", answered: bool = True) -> str:
        """Send the command; its private answer (the acknowledgement's, else the first post
        to its response_url), as text and blocks."""
        before = len(self.h.slack.responses)
        response_url = self.h.slack.new_response_url(channel_id=CHANNEL, user_id=user)
        body = slash_command_body(
            text=text, response_url=response_url, channel_id=CHANNEL, user_id=user
        )
        response = await self.sender.send(f"{self.url}/slack/events", body)
        assert response.status_code == 200
        if response.content and response.json().get("text"):
            return str(response.json())
        if not answered:
            return ""

        def said() -> list[str]:
            posts = self.h.slack.responses[before:]
            return [
                f"{p.text} {p.blocks}"
                for p in posts
                if p.text and response_url.endswith(f"/{p.key}")
            ]

        await self.h.slack.wait_for(lambda: said() != [])
        return said()[0]

    async def dm(self, text: str, *, user: str = "U0USER", ts: str = "1700000001.000100") -> None:
        body = direct_message_body(text=text, ts=ts, channel_id=DM, user_id=user)
        response = await self.sender.send(f"{self.url}/slack/events", body)
        assert response.status_code == 200

    def languages_asked(self) -> list[str]:
        return [
            r.headers.get("X-Language", "")
            for r in self.h.simulator.requests
            if r.path.endswith("/template/progress")
        ]


async def card_stored(rt: Runtime) -> None:
    for _ in range(500):
        async with rt.sessions() as session:
            if await session.scalar(select(Watch.id).where(Watch.card_ts.is_not(None))):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the watch's card was never stored")


@asynccontextmanager
async def live(world: World, jobs: list, **env: str) -> AsyncIterator[Live]:  # type: ignore[type-arg]
    async with world(jobs, **env) as h:
        assert h.runtime is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with serving(web) as url, SlackSender(SIGNING_SECRET) as sender:
            yield Live(h, url, sender)


async def test_a_channel_switched_to_chinese_gets_every_later_message_in_chinese(
    world: World,
) -> None:
    steps = [UPLOADING, parsing(250), *[parsing(250)] * 12, succeeded(500)]
    async with live(world, [sim_job(JOB_A, *steps)], STALL_MINUTES="1") as bot:
        h, rt = bot.h, bot.h.runtime
        assert rt is not None and isinstance(rt.clock, FakeClock)
        await bot.slash(JOB_A, answered=False)
        await h.slack.wait_for(lambda: h.slack.messages(CHANNEL) != [])
        card = h.slack.messages(CHANNEL)[0]
        assert "uploading" in card.text and not chinese(card.text)  # English before the switch
        await card_stored(rt)  # the watch flow is done with the card (else nothing to redraw)

        answer = await bot.slash("config lang zh-cn")
        await h.slack.wait_for(lambda: card.history != [] or chinese(card.text))
        assert "简体中文" in answer  # the answer is in the new language
        assert "上传中" in card.text  # the running watch's card is redrawn in Chinese at once

        sweep = Sweeper(rt)
        for _ in range(len(steps) + 2):
            rt.clock.advance(INTERVAL)
            await sweep.poll_once()

        replies = h.slack.thread(CHANNEL, card.ts)
        texts = [r.text for r in replies]
        assert texts and all(chinese(t) for t in texts), texts
        assert any("现在解析中" in t for t in texts)  # the phase reply
        assert any("没有变化" in t for t in texts)  # the stall warning
        assert "解析完成" in texts[-1] and "500 行" in texts[-1]  # the final reply
        assert "已成功" in card.text and chinese(str(card.blocks))
        asked = bot.languages_asked()
        assert asked[0] == "en-us" and set(asked[1:]) == {"zh-cn"}  # DRS asked in Chinese too


async def test_new_watches_take_the_channel_language_unless_lang_is_given(world: World) -> None:
    other = "0b5e7a11-1111-4a5d-8dd6-cc44f78jb21a"
    jobs = [sim_job(JOB_A, parsing(10)), sim_job(other, parsing(20))]
    async with live(world, jobs) as bot:
        h = bot.h
        await bot.slash("config lang zh-cn")
        await bot.slash(JOB_A, answered=False)
        await bot.slash(f"{other} --lang en-us", answered=False)
        await h.slack.wait_for(lambda: len(h.slack.messages(CHANNEL)) == 2)
        by_job = {m.blocks[0]["text"]["text"].split("`")[1]: m for m in h.slack.messages(CHANNEL)}
        assert chinese(by_job[JOB_A].text) and "解析中" in by_job[JOB_A].text
        assert not chinese(by_job[other].text) and "parsing" in by_job[other].text
        assert h.runtime is not None
        async with h.runtime.sessions() as session:
            langs = dict(
                (await session.execute(select(PolledJob.job_id, Watch.language).join(Watch))).all()
            )
        assert langs == {JOB_A: "zh-cn", other: "en-us"}


async def test_one_watch_command_reads_the_channel_settings_once(world: World) -> None:
    """Language for the reader, language for the watch, region: one read of the row (and one
    for `config`, which shows the row in the reader's language)."""
    async with live(world, [sim_job(JOB_A, parsing(10))]) as bot:
        h, rt = bot.h, bot.h.runtime
        assert rt is not None
        h.slack.scopes.remove("users:read")  # no locale: the reader's language is the channel's
        engine = rt.sessions.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            if "drs_channel_settings" in statement:
                statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            await bot.slash(JOB_A, answered=False)
            await card_stored(rt)
            assert len(statements) == 1, statements
            statements.clear()
            assert "This channel's settings" in await bot.slash("config")  # shown, and its
            assert len(statements) == 1, statements  # language too, from the one read
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)


async def test_config_shows_the_settings_and_bad_input_says_what_to_type(world: World) -> None:
    async with live(world, []) as bot:
        shown = await bot.slash("config")
        assert "This channel's settings" in shown and "English (en-us)" in shown
        assert "not set here" in shown
        await bot.slash("config region AP-Southeast-1")
        await bot.slash("config lang zh-cn")
        bot.h.slack.locales["U0USER"] = "en-US"
        shown = await bot.slash("config")
        assert "Simplified Chinese (zh-cn)" in shown and "`ap-southeast-1`" in shown

        refused = await bot.slash("config lang fr")
        assert "`fr` is not a language I write" in refused
        assert "`/drs-progress config lang zh-cn`" in refused
        refused = await bot.slash("config region mars")
        assert "`mars` is not a region" in refused and "config region ap-southeast-1" in refused
        refused = await bot.slash("config colour blue")
        assert "`config` does not take" in refused


async def test_a_dm_from_a_chinese_reader_is_answered_in_chinese(world: World) -> None:
    async with live(world, [sim_job(JOB_A, parsing(12340))]) as bot:
        h = bot.h
        h.slack.locales["U0ZHREADER"] = "zh-CN"
        await bot.dm(f"status {JOB_A}", user="U0ZHREADER")
        await h.slack.wait_for(lambda: h.slack.messages(DM) != [])
        answer = h.slack.messages(DM)[0]
        assert "解析中" in answer.text and "12,340" in answer.text
        assert "仅你可见" in str(answer.blocks)
        assert bot.languages_asked() == ["zh-cn"]  # DRS asked in the reader's language
        await bot.dm("help", user="U0ZHREADER", ts="1700000002.000100")
        await h.slack.wait_for(lambda: len(h.slack.messages(DM)) == 2)
        assert "在话题中的用法" in h.slack.messages(DM)[1].text
        assert len(h.slack.calls_to("users.info")) == 1  # the locale is cached
        await bot.dm("config", user="U0ZHREADER", ts="1700000003.000100")  # config works in a DM
        await h.slack.wait_for(lambda: len(h.slack.messages(DM)) == 3)
        assert "此频道的设置" in str(h.slack.messages(DM)[2].blocks)


async def test_without_a_locale_private_answers_follow_the_channel(world: World) -> None:
    async with live(world, [sim_job(JOB_A, parsing(5))]) as bot:
        h = bot.h
        h.slack.scopes.remove("users:read")  # an install from before `users:read`
        await bot.slash("config lang zh-cn")
        answer = await bot.slash("help")
        assert "用法" in answer
        assert [c.ok for c in h.slack.calls_to("users.info")] == [False]
