"""A live bot for Slack tests (fixture `live_bot`): real app, real HTTP, simulator, stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.runtime import Runtime
from bot.sandbox.harness import SIGNING_SECRET, harness, serving
from bot.sandbox.slack_payloads import SlackSender
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import build_web
from bot.slack.app import build_app
from bot.store.models import PolledJob, Watch

RUNNING = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
DONE = "0b5e7a11-1111-4a5d-8dd6-cc44f78jb21a"
FAILED = "0f0f0f0f-2222-4a5d-8dd6-cc44f78jb101"
CHANNEL = "C0SANDBOX"


def sim_jobs() -> list[SimJob]:
    return [
        SimJob(
            RUNNING,
            [{"send_success": True, "parsed_success_number": "12340"}],
            step_seconds=3600,
        ),
        SimJob(
            DONE,
            [{"send_success": True, "process_status": "success", "parsed_success_number": "500"}],
        ),
        SimJob(FAILED, [{"send_success": True, "process_status": "failed"}]),
    ]


@dataclass
class LiveBot:
    url: str
    sender: SlackSender
    simulator: DrsSimulator
    slack: SlackStandIn
    runtime: Runtime

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    async def count(self, model: type[Watch] | type[PolledJob], **where: object) -> int:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        async with self.runtime.sessions() as session:
            return int((await session.execute(stmt)).scalar_one())


@pytest.fixture
async def live_bot(sqlite_url: str) -> AsyncIterator[LiveBot]:
    retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
    async with harness(sim_jobs(), database_url=sqlite_url, drs_retry=retry) as h:
        assert h.runtime is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with serving(web) as url, SlackSender(SIGNING_SECRET) as sender:
            yield LiveBot(url, sender, h.simulator, h.slack, h.runtime)
