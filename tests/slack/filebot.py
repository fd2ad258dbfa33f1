"""A live bot for the template round trip: real app over signed HTTP, a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot.clock import FakeClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.runtime import Runtime
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET, harness, serving
from bot.sandbox.slack_payloads import SlackSender, app_mention_body
from bot.sandbox.slack_standin import SlackStandIn, StoredFile
from bot.server import build_web
from bot.slack.app import build_app
from bot.watcher.sweep import Sweeper
from tests.templates.helpers import xlsx

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
CHANNEL = "C0SANDBOX"
INTERVAL = 10
HEADER = ["Source Database", "Source Table", "Target Database", "Target Table"]
GOOD = xlsx([HEADER, ["db", "orders", "db", "orders"], ["db", "items", "db", "items"]])
BAD = xlsx([HEADER, ["db", "", "db", "x"], ["db", "my table", "db", "y"], ["db", "ok", "db", "ok"]])


def jobs() -> list[SimJob]:
    # step_seconds 0: one step per query, so each sweep moves the parse on.
    return [SimJob(JOB, [{"send_success": True, "parsed_success_number": "0"}], step_seconds=0)]


@dataclass
class FileBot:
    url: str
    sender: SlackSender
    simulator: DrsSimulator
    slack: SlackStandIn
    runtime: Runtime
    clock: FakeClock
    env: dict[str, str]

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    async def mention(
        self,
        text: str,
        *,
        files: list[StoredFile] = (),  # type: ignore[assignment]
        event_id: str | None = None,
        retry_num: int | None = None,
        url: str | None = None,
    ) -> str:
        """Post the person's message and send its app_mention; the message's ts."""
        msg = self.slack.add_user_message(CHANNEL, f"<@{BOT_USER_ID}> {text}")
        await self.send_mention(msg.ts, text, files, event_id, retry_num, url)
        return msg.ts

    async def send_mention(
        self,
        ts: str,
        text: str,
        files: list[StoredFile],
        event_id: str | None = None,
        retry_num: int | None = None,
        url: str | None = None,
    ) -> None:
        items: list[dict[str, Any]] = [self.slack.file_item(f) for f in files]
        body = app_mention_body(
            text=f"<@{BOT_USER_ID}> {text}", ts=ts, event_id=event_id, files=items or None
        )
        response = await self.sender.send(url or self.events_url, body, retry_num=retry_num)
        assert response.status_code == 200, (response.status_code, response.text)

    @asynccontextmanager
    async def replica(self) -> AsyncIterator[str]:
        """A second app process on the same database and stand-ins; its events URL."""
        retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
        other = await build_runtime(load_settings(self.env), clock=self.clock, drs_retry=retry)
        other.bot_user_id = BOT_USER_ID
        try:
            async with serving(build_web(other, build_app(other), watcher=None)) as url:
                yield f"{url}/slack/events"
        finally:
            await close_runtime(other)

    async def sweep(self, times: int = 1) -> None:
        for _ in range(times):
            self.clock.advance(INTERVAL + 1)
            await Sweeper(self.runtime).poll_once()


@asynccontextmanager
async def file_bot(database_url: str) -> AsyncIterator[FileBot]:
    clock = FakeClock(sleep_moves=False)
    retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
    env = {"POLL_INTERVAL_SECONDS": str(INTERVAL)}
    async with harness(
        jobs(), database_url=database_url, clock=clock, drs_retry=retry, settings_env=env
    ) as h:
        assert h.runtime is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with serving(web) as url, SlackSender(SIGNING_SECRET) as sender:
            yield FileBot(url, sender, h.simulator, h.slack, h.runtime, clock, h.env)
