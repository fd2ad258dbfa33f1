"""Builds the running bot from settings: engine, sessions, DRS client, Slack gateway, clock."""

from __future__ import annotations

import logging

import httpx

from bot.clock import Clock, SystemClock
from bot.config import Settings, require
from bot.drs.factory import build_drs_client
from bot.drs.retry import RetryPolicy
from bot.metrics import Metrics
from bot.proxy import Proxies
from bot.runtime import Runtime
from bot.slack.gateway import SlackGateway, build_web_client
from bot.slack.pacing import ChannelPacer, PacedGateway
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
    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine, auto_upgrade=settings.db_auto_upgrade)
    except BaseException:
        await engine.dispose()
        raise
    log.info("database ready: %s", safe_url(settings.database_url))
    metrics = Metrics()
    drs = build_drs_client(
        settings,
        clock=clock,
        transport=drs_transport,
        retry=drs_retry,
        observe=metrics.drs_request,
    )
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    proxy = Proxies.from_settings(settings).for_url(settings.slack_api_url)
    client = build_web_client(token, settings.slack_api_url, proxy=proxy, on_429=metrics.slack_429)
    sessions = make_sessionmaker(engine)
    pace = settings.slack_channel_pace_seconds
    slack = (
        PacedGateway(
            client, pacer=ChannelPacer(sessions, clock, pace=pace), observe=metrics.slack_call
        )
        if pace > 0
        else SlackGateway(client, observe=metrics.slack_call)
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        drs=drs,
        slack=slack,
        clock=clock,
        project_id=settings.drs_project_id or "",
        metrics=metrics,
    )


async def close_runtime(runtime: Runtime) -> None:
    """Release connections; safe to call once at shutdown."""
    await runtime.drs.aclose()
    await runtime.slack.aclose()
    await runtime.engine.dispose()
