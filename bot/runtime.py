"""The running bot's parts, built once by the composition root and handed to whoever needs them."""

from __future__ import annotations

import dataclasses
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.access.gate import AccessGate
from bot.clock import Clock
from bot.config import Settings
from bot.domain.files import SharedFile
from bot.drs.budget import Budget
from bot.drs.client import DrsClient
from bot.drs.regions import Regions
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
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Post a message (in a thread when `thread_ts`, tagged with Slack message `metadata`);
        return its ts."""

    async def thread_metadata(
        self, channel: str, thread_ts: str, *, event_type: str, oldest: str | None = None
    ) -> list[dict[str, Any]]:
        """The payloads of the thread's messages tagged `event_type` (`conversations.replies`)."""

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

    async def user_locale(self, user: str) -> str | None:
        """The user's Slack locale (`zh-CN`) from `users.info`; None when Slack gives none."""

    async def unfurl(self, channel: str, ts: str, unfurls: dict[str, Message]) -> None:
        """Show a preview (a message's blocks) under each link, by URL, of a posted message."""

    async def aclose(self) -> None:
        """Release connections."""


@dataclass(frozen=True)
class Workspace:
    """One installed workspace as the bot reaches it: its Chat (its token) and its bot user."""

    chat: Chat
    bot_user_id: str | None = None


class Directory(Protocol):
    """Each workspace's Chat, bound to its installation's bot token (OAuth mode)."""

    async def find(self, team_id: str, enterprise_id: str | None) -> Workspace:
        """The workspace's Chat; a `SlackError` (`not_installed`) when it has no installation."""

    def with_token(self, token: str, bot_user_id: str | None) -> Workspace:
        """A Chat on a token Bolt already authorized for this request."""

    async def forget(self, *, team_id: str | None, enterprise_id: str | None) -> None:
        """Drop the workspace's installation and tokens (uninstalled or revoked)."""


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
    project_id: str  # of `drs`: the default region's, or the job's in `in_region`'s copy
    regions: Regions
    owner: str = field(default_factory=replica_name)
    bot_user_id: str | None = None
    # When this process last published each (team, user)'s Home: the once-a-minute limit.
    home_published: dict[tuple[str, str], datetime] = field(default_factory=dict)
    # Each (team, user)'s Slack locale (None: unknown) and when it was asked (bot.slack.languages).
    locales: dict[tuple[str, str], tuple[str | None, datetime]] = field(default_factory=dict)
    metrics: Metrics = field(default_factory=Metrics)
    access: AccessGate = field(default_factory=AccessGate)  # open unless ACCESS_POLICY is set
    # OAuth mode: every workspace's token (None: one workspace, `slack` is its Chat).
    workspaces: Directory | None = None
    # The Enterprise Grid org of the workspace this (scoped) runtime serves, if any.
    enterprise_id: str | None = None
    budget: Budget | None = None  # the shared DRS request budget (None: unmetered)
    # The job's region in `in_region`'s copy when several are served (stored, shown on cards).
    region: str | None = None

    async def for_workspace(self, team_id: str, enterprise_id: str | None = None) -> Runtime:
        """This runtime speaking as the workspace's installation (itself in one-token mode)."""
        if self.workspaces is None:
            return self
        found = await self.workspaces.find(team_id, enterprise_id)
        return self.scoped(found, enterprise_id)

    def scoped(self, workspace: Workspace, enterprise_id: str | None) -> Runtime:
        """A copy that posts with `workspace`'s Chat; it shares the store, clock and metrics."""
        return dataclasses.replace(
            self,
            slack=workspace.chat,
            bot_user_id=workspace.bot_user_id,
            enterprise_id=enterprise_id,
        )

    async def chat_for(self, team_id: str, enterprise_id: str | None = None) -> Chat:
        """The Chat bound to the workspace's bot token (`slack` in one-token mode)."""
        return (await self.for_workspace(team_id, enterprise_id)).slack

    async def in_region(self, region: str | None) -> Runtime:
        """This runtime speaking to `region` (None: the default): its `drs` and `project_id`.

        Raises the region's DrsError when its project cannot be found through IAM.
        """
        name = region or self.regions.default_region
        drs = await self.regions.client(name)
        shown = name if self.regions.several else None
        return dataclasses.replace(self, drs=drs, project_id=drs.project_id, region=shown)

    @property
    def command(self) -> str:
        return self.settings.slack_command

    @property
    def poll_interval(self) -> timedelta:
        return timedelta(seconds=self.settings.poll_interval_seconds)

    @property
    def watch_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.watch_max_hours)
