"""The running bot's parts, built once by the composition root and handed to whoever needs them."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.drs.client import DrsClient
from bot.slack.gateway import SlackGateway


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
    slack: SlackGateway
    clock: Clock
    project_id: str
    owner: str = field(default_factory=replica_name)
    bot_user_id: str | None = None

    @property
    def command(self) -> str:
        return self.settings.slack_command

    @property
    def poll_interval(self) -> timedelta:
        return timedelta(seconds=self.settings.poll_interval_seconds)

    @property
    def watch_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.watch_max_hours)
