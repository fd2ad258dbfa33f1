"""The running bot's parts, built once by the composition root and handed to whoever needs them."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.domain.files import SharedFile
from bot.drs.budget import Budget
from bot.drs.client import DrsClient
from bot.metrics import Metrics
from bot.render.message import Message


class Chat(Protocol):
    """What the service and the watcher need from Slack; the Slack gateway is the implementation.

    Every failure is a `SlackError`, `DestinationGone` when the destination is gone for good.
    """

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        broadcast: bool = False,
    ) -> str:
        """Post a message (in a thread when `thread_ts`); return its ts."""

    async def update(self, channel: str, ts: str, message: Message) -> None:
        """Replace a posted message (a card)."""

    async def ephemeral(
        self, channel: str, user: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        """Show a message to one person only."""

    async def react(self, channel: str, ts: str, name: str) -> None:
        """Add a reaction; one already there counts as done."""

    async def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message, or None when there is none to be had (never raises)."""

    async def upload_file(
        self, channel: str, thread_ts: str | None, *, name: str, content: bytes, comment: str
    ) -> str:
        """Share a file (files upload v2) in the channel or thread with a comment; its file ID."""

    async def file_info(self, file_id: str) -> SharedFile:
        """What Slack says about a file (`files.info`); `FileNotVisible` when the bot cannot."""

    async def download_file(self, shared: SharedFile, *, cap: int) -> bytes:
        """The file's bytes, verified; a `SlackFileError` saying what to fix otherwise."""

    async def bot_user_id(self) -> str | None:
        """The bot's own user ID."""

    async def publish_home(self, user: str, blocks: list[dict[str, Any]]) -> None:
        """Show `blocks` as `user`'s App Home."""

    async def unfurl(self, channel: str, ts: str, unfurls: dict[str, Message]) -> None:
        """Show a preview (a message's blocks) under each link, by URL, of a posted message."""

    async def aclose(self) -> None:
        """Release connections."""


def replica_name() -> str:
    """A name for this process that other replicas see on the leases it holds."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Runtime:
    """Everything a listener or a sweep needs; tests build their own with fakes at the edges."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    drs: DrsClient
    slack: Chat
    clock: Clock
    project_id: str
    owner: str = field(default_factory=replica_name)
    bot_user_id: str | None = None
    # When this process last published each (team, user)'s Home: the once-a-minute limit.
    home_published: dict[tuple[str, str], datetime] = field(default_factory=dict)
    metrics: Metrics = field(default_factory=Metrics)
    budget: Budget | None = None  # the shared DRS request budget (None: unmetered)

    @property
    def command(self) -> str:
        return self.settings.slack_command

    @property
    def poll_interval(self) -> timedelta:
        return timedelta(seconds=self.settings.poll_interval_seconds)

    @property
    def watch_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.watch_max_hours)
