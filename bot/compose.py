"""Builds the running bot from settings: engine, sessions, DRS client, Slack gateway, clock."""

from __future__ import annotations

import logging

import httpx
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.access.load import load_access
from bot.clock import Clock, SystemClock
from bot.config import Settings, require
from bot.drs.region_factory import build_regions, default_region_client
from bot.drs.retry import RetryPolicy
from bot.metering import build_metering
from bot.metrics import Metrics
from bot.proxy import Proxies
from bot.runtime import Chat, Directory, Runtime
from bot.slack.gateway import SlackGateway, build_web_client
from bot.slack.pacing import ChannelPacer, PacedGateway
from bot.slack.usergroups import usergroup_members
from bot.store.db import make_engine, make_sessionmaker, safe_url
from bot.store.migrate import ensure_schema

log = logging.getLogger(__name__)


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    drs_transport: httpx.AsyncBaseTransport | None = None,
    drs_retry: RetryPolicy | None = None,
) -> Runtime:
    """Check every setting `serve` needs (one error for all), then build and wire the parts."""
    require(settings, drs=True, slack=True)
    clock = clock or SystemClock()
    access = load_access(settings, clock=clock)  # a broken policy file stops the start here
    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine, auto_upgrade=settings.db_auto_upgrade)
    except BaseException:
        await engine.dispose()
        raise
    log.info("database ready: %s", safe_url(settings.database_url))
    metrics = Metrics()
    sessions = make_sessionmaker(engine)
    metering = await build_metering(settings, sessions, clock=clock)
    regions = build_regions(
        settings,
        clock=clock,
        transport=drs_transport,
        retry=drs_retry,
        observe=metrics.drs_request,
        budget=metering.budget,
        guard=metering.guard,
    )
    try:
        drs = await default_region_client(regions)
    except BaseException:
        await engine.dispose()
        raise
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    proxy = Proxies.from_settings(settings).for_url(settings.slack_api_url)
    client = build_web_client(token, settings.slack_api_url, proxy=proxy, on_429=metrics.slack_429)
    access.members = usergroup_members(client, observe=metrics.slack_call)
    pacer = ChannelPacer(sessions, clock, pace=settings.slack_channel_pace_seconds)
    slack = paced_gateway(client, pacer, metrics)
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        drs=drs,
        slack=slack,
        clock=clock,
        project_id=drs.project_id,
        regions=regions,
        metrics=metrics,
        access=access,
        workspaces=workspace_directory(settings, engine, metrics, proxy, pacer),
        budget=metering.budget,
    )


def paced_gateway(client: AsyncWebClient, pacer: ChannelPacer, metrics: Metrics) -> Chat:
    """The Slack gateway, paced per channel across replicas unless SLACK_CHANNEL_PACE_SECONDS=0."""
    if pacer.pace > 0:
        return PacedGateway(client, pacer=pacer, observe=metrics.slack_call)
    return SlackGateway(client, observe=metrics.slack_call)


def workspace_directory(
    settings: Settings,
    engine: AsyncEngine,
    metrics: Metrics,
    proxy: str | None,
    pacer: ChannelPacer,
) -> Directory | None:
    """OAuth mode: each workspace's Chat on its installation's token (None: one token)."""
    if not settings.oauth_enabled:
        return None
    from bot.slack.oauth import build_directory

    def make_chat(token: str) -> Chat:
        client = build_web_client(
            token, settings.slack_api_url, proxy=proxy, on_429=metrics.slack_429
        )
        return paced_gateway(client, pacer, metrics)  # one pace per channel, every workspace

    return build_directory(settings, engine, make_chat)


async def close_runtime(runtime: Runtime) -> None:
    """Release connections; safe to call once at shutdown."""
    await runtime.regions.aclose()  # every region's client, the default's (runtime.drs) too
    await runtime.slack.aclose()
    await runtime.engine.dispose()
