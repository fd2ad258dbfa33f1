"""The bot wired to its local stand-ins (DRS simulator, Slack stand-in): sandbox, tests, benches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from bot.clock import Clock, SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import Settings, load_settings
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.runtime import Runtime
from bot.sandbox.slack_standin import SlackStandIn

PROJECT_ID = "0123456789abcdef0123456789abcdef"
DRS_TOKEN = "sandbox-iam-token"
BOT_TOKEN = "xoxb-sandbox-bot-token"
SIGNING_SECRET = "sandbox-signing-secret"
TEAM_ID = "T0SANDBOX"
BOT_USER_ID = "U0DRSBOT"


@dataclass
class Harness:
    simulator: DrsSimulator
    slack: SlackStandIn
    settings: Settings
    env: dict[str, str]
    runtime: Runtime | None = None


def harness_env(
    simulator: DrsSimulator, slack: SlackStandIn, database_url: str, **extra: str
) -> dict[str, str]:
    """The environment a real `drs-bot serve` needs to talk to these stand-ins."""
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DRS_ENDPOINT": simulator.url,
        "DRS_PROJECT_ID": PROJECT_ID,
        "DRS_AUTH_TOKEN": DRS_TOKEN,
        "DATABASE_URL": database_url,
        # The stand-in does not limit unless told to (limit_channels): pacing is opt-in here.
        "SLACK_CHANNEL_PACE_SECONDS": "0",
    }
    env.update(extra)
    return env


@asynccontextmanager
async def stand_ins(
    jobs: list[SimJob], *, clock: Clock | None = None
) -> AsyncIterator[tuple[DrsSimulator, SlackStandIn]]:
    """The DRS simulator and the Slack stand-in, started on ephemeral loopback ports."""
    clock = clock or SystemClock()
    simulator = DrsSimulator(jobs, project_id=PROJECT_ID, token=DRS_TOKEN, clock=clock)
    slack = SlackStandIn(bot_token=BOT_TOKEN, team_id=TEAM_ID, bot_user_id=BOT_USER_ID, clock=clock)
    await simulator.start()
    try:
        await slack.start()
        try:
            yield simulator, slack
        finally:
            await slack.close()
    finally:
        await simulator.stop()


@asynccontextmanager
async def harness(
    jobs: list[SimJob],
    *,
    database_url: str,
    clock: Clock | None = None,
    drs_retry: RetryPolicy | None = None,
    settings_env: Mapping[str, str] | None = None,
) -> AsyncIterator[Harness]:
    """Stand-ins plus a built Runtime (the same composition `serve` uses)."""
    clock = clock or SystemClock()
    async with stand_ins(jobs, clock=clock) as (simulator, slack):
        env = harness_env(simulator, slack, database_url, **dict(settings_env or {}))
        settings = load_settings(env)
        runtime = await build_runtime(settings, clock=clock, drs_retry=drs_retry)
        runtime.bot_user_id = BOT_USER_ID
        try:
            yield Harness(simulator, slack, settings, env, runtime)
        finally:
            await close_runtime(runtime)


@asynccontextmanager
async def serving(asgi: Any, *, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on an ephemeral loopback port; yield its base URL."""
    config = uvicorn.Config(asgi, host=host, port=0, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises what stopped it
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
