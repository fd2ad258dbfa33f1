"""A sandbox session: the real bot served over HTTP, fed lines typed as in a Slack channel."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.states import WatchState
from bot.drs.console import console_link
from bot.drs.simulator import DrsSimulator
from bot.runtime import Runtime
from bot.sandbox import commands
from bot.sandbox.attach import attach, find_file, split_attachment
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET, TEAM_ID, serving
from bot.sandbox.slack_payloads import (
    SlackSender,
    app_home_opened_body,
    app_mention_body,
    direct_message_body,
    link_shared_body,
    slash_command_body,
)
from bot.sandbox.slack_standin import SlackStandIn
from bot.sandbox.terminal import Transcript
from bot.store.models import Watch

CHANNEL = "C0SANDBOX"
DM_CHANNEL = "D0SANDBOX"  # the person's direct messages with the bot
_URL = re.compile(r"https?://[^\s<>|]+")
USER = "U0USER"
QUIET_SECONDS = 0.6  # a line's effects are done once Slack heard nothing for this long
SETTLE_LIMIT = 10.0  # ...or after this long, whatever the bot is still doing
# `^3 words` posts in the thread of message #3; `^ words` in the latest thread.
_THREAD = re.compile(r"^\^(?P<n>\d*)\s*(?P<rest>.*)$")
# `#` after a space starts a comment, except `#N` (a message number, as in `!stop #3`).
_COMMENT = re.compile(r"(?:^|\s)#(?!\d)")


def script_lines(text: str) -> list[str]:
    """The lines of a script, as typed: `#` starts a comment (`#3` does not); no blank lines."""
    lines = []
    for raw in text.splitlines():
        line = _COMMENT.split(raw, maxsplit=1)[0].strip()
        if line:
            lines.append(line)
    return lines


@asynccontextmanager
async def live_bot(settings: Settings) -> AsyncIterator[tuple[Runtime, str]]:
    """What `drs-bot serve` composes in HTTP mode (runtime, app, web, watcher), on a free port."""
    # Imported here: the serving stack is heavy and `drs-bot sandbox --help` need not load it.
    from bot.compose import build_runtime, close_runtime
    from bot.server import build_web, learn_bot_user, make_watcher
    from bot.slack.app import build_app

    rt = await build_runtime(settings)
    try:
        await learn_bot_user(rt)
        web = build_web(rt, build_app(rt), watcher=make_watcher(rt))
        async with serving(web) as url:
            yield rt, url
    finally:
        await close_runtime(rt)


@dataclass
class Session:
    """Turns typed lines into Slack's signed requests and renders what comes back."""

    rt: Runtime
    slack: SlackStandIn
    sender: SlackSender
    transcript: Transcript
    events_url: str
    simulator: DrsSimulator | None = None  # for the `!drs ...` fault switches
    last_thread: str | None = None
    channel: str = CHANNEL
    user: str = USER
    team_id: str = TEAM_ID

    @property
    def command(self) -> str:
        return self.rt.command

    async def type_line(self, line: str) -> None:
        """One line as typed in the channel (or, with `^N`, in a thread); never raises."""
        thread_ts: str | None = None
        match = _THREAD.match(line)
        if match:
            thread_ts = self._thread(match.group("n"))
            if thread_ts is None:
                self.transcript.note(
                    f"no message #{match.group('n') or ''} to reply to: "
                    "write `^N words` with N a message number shown above"
                )
                return
            line = match.group("rest").strip()
            if not line:
                return
        if line.startswith("!") and thread_ts is None:
            await commands.run(self, line)
        elif line.startswith("/"):
            await self._slash(line, thread_ts)
        elif line.startswith("@"):
            await self._mention(line, thread_ts)
        elif thread_ts is None and line.lower().startswith("dm:"):
            await self._direct_message(line)
        elif thread_ts is None and line.strip().lower() == "home":
            self.transcript.typed(line)
            await self.send(app_home_opened_body(user_id=USER, team_id=TEAM_ID))
        else:
            msg = self.slack.add_user_message(CHANNEL, line, user=USER, thread_ts=thread_ts)
            self.transcript.typed(line, ts=msg.ts, thread_ts=thread_ts)
            self.last_thread = thread_ts or self.last_thread
            await self._share_links(line, msg.ts, thread_ts)
        await self.settle()

    def _thread(self, number: str) -> str | None:
        if not number:
            return self.last_thread or self.transcript.ts_of(len(self.transcript.labels))
        ts = self.transcript.ts_of(int(number))
        msg = self.slack.find_message(CHANNEL, ts) if ts else None
        # A reply's thread is its parent's, as in Slack.
        return (msg.thread_ts or msg.ts) if msg is not None else None

    async def _slash(self, line: str, thread_ts: str | None) -> None:
        name, _, text = line.partition(" ")
        self.transcript.typed(line)
        if thread_ts is not None:
            self.transcript.note(
                f"Slack does not run slash commands in threads; mention the bot there: "
                f"`^{self.transcript.label(thread_ts)} @drs-bot {text.strip() or 'help'}`"
            )
            return
        if name != self.command:
            self.transcript.note(f"{name} is not a valid command here; try `{self.command} help`")
            return
        response_url = self.slack.new_response_url(channel_id=CHANNEL, user_id=USER)
        body = slash_command_body(
            text=slack_escape(text), command=name, team_id=TEAM_ID, channel_id=CHANNEL,
            user_id=USER, response_url=response_url,
        )  # fmt: skip
        await self.send(body, response_key=response_url.rsplit("/", 1)[-1])

    async def _mention(self, line: str, thread_ts: str | None) -> None:
        # "@anyname words": Slack delivers the mention as <@BOT_ID>, whatever name was typed.
        _, _, typed = line.partition(" ")
        words, path = split_attachment(typed)
        files: list[dict[str, Any]] = []
        if path is not None:
            found = find_file(path, self.transcript.files_dir)
            if found is None:
                self.transcript.note(f"no file {path!r} to attach (give a path to a local file)")
                return
            files.append(self.slack.file_item(attach(self.slack, found, USER)))
        text = f"<@{BOT_USER_ID}> {slack_escape(words)}".strip()
        msg = self.slack.add_user_message(CHANNEL, text, user=USER, thread_ts=thread_ts)
        msg.files = files
        self.transcript.typed(line, ts=msg.ts, thread_ts=thread_ts)
        self.last_thread = thread_ts or msg.ts
        body = app_mention_body(
            text=text, team_id=TEAM_ID, channel_id=CHANNEL, user_id=USER, ts=msg.ts,
            thread_ts=thread_ts, bot_user_id=BOT_USER_ID, files=files or None,
        )  # fmt: skip
        await self.send(body)

    async def _direct_message(self, line: str) -> None:
        # "dm: words": a message in the bot's DM (Slack sends it as a `message.im` event).
        words = line.split(":", 1)[1].strip()
        msg = self.slack.add_user_message(DM_CHANNEL, words, user=USER)
        self.transcript.typed(line)
        body = direct_message_body(
            text=words, ts=msg.ts, team_id=TEAM_ID, channel_id=DM_CHANNEL, user_id=USER,
            bot_user_id=BOT_USER_ID,
        )  # fmt: skip
        await self.send(body)

    async def _share_links(self, line: str, ts: str, thread_ts: str | None) -> None:
        # Slack sends `link_shared` for links on the app's unfurl domains (the DRS consoles).
        urls = [url for url in _URL.findall(line) if console_link(url) is not None]
        if urls:
            body = link_shared_body(
                urls=urls, message_ts=ts, team_id=TEAM_ID, channel_id=CHANNEL, user_id=USER,
                thread_ts=thread_ts, bot_user_id=BOT_USER_ID,
            )  # fmt: skip
            await self.send(body)

    async def send(self, body: bytes, *, response_key: str | None = None) -> None:
        try:
            response = await self.sender.send(self.events_url, body)
        except Exception as exc:  # the bot is a separate server: say what broke, go on
            self.transcript.problem(f"the bot did not answer ({type(exc).__name__}: {exc})")
            return
        if response.status_code != 200:
            self.transcript.problem(f"the bot answered HTTP {response.status_code}")
            return
        replaced = any(r.key == response_key and r.replace_original for r in self.slack.responses)
        if response_key is not None and response.content and not replaced:
            # The slash command's acknowledgement carries its first private answer, unless
            # the full answer already replaced it (as Slack would show: only the latter).
            try:
                answer = response.json()
            except ValueError:
                return
            if isinstance(answer, dict) and (answer.get("text") or answer.get("blocks")):
                self.transcript.private(str(answer.get("text") or ""), answer.get("blocks") or [])

    async def settle(self) -> None:
        """Let the bot finish reacting to the last line (Slack quiet for QUIET_SECONDS)."""
        started = time.monotonic()
        while time.monotonic() - started < SETTLE_LIMIT:
            await asyncio.sleep(0.05)
            now = time.monotonic()
            if now - started >= QUIET_SECONDS and now - self.transcript.last_activity >= (
                QUIET_SECONDS
            ):
                return

    async def active_watches(self) -> list[str]:
        """Job IDs of the watches still active (in any channel or thread)."""
        async with self.rt.sessions() as db:
            rows = await db.scalars(select(Watch).where(Watch.state == WatchState.ACTIVE.value))
            return [w.polled_job.job_id for w in rows.unique()]

    async def ended_watches(self) -> dict[str, int]:
        """How many watches ended in each state (for the closing summary)."""
        stmt = select(Watch.state, func.count()).group_by(Watch.state)
        async with self.rt.sessions() as db:
            rows = (await db.execute(stmt)).all()
        return {str(state): int(n) for state, n in rows if state != WatchState.ACTIVE.value}

    async def wait_for_watches(self, timeout: float) -> list[str]:  # noqa: ASYNC109
        """Wait until no watch is active; returns the ones still active at `timeout`."""
        deadline = time.monotonic() + timeout
        active = await self.active_watches()
        while active and time.monotonic() < deadline:
            await asyncio.sleep(0.25)
            active = await self.active_watches()
        if not active:
            await self.settle()  # the last replies and reactions follow the state change
        return active


def new_sender() -> SlackSender:
    return SlackSender(SIGNING_SECRET)


def slack_escape(typed: str) -> str:
    """What Slack sends for typed text: `&`, `<` and `>` as entities (its own markup aside)."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
