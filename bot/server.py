"""`drs-bot serve`: the Bolt app over HTTP (or Socket Mode), /healthz, and the watcher."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.config import LOGGING_CONFIG

from bot import __version__
from bot.access.reload import PolicyReloader
from bot.compose import build_runtime, close_runtime
from bot.config import Settings, load_settings
from bot.errors import SlackError
from bot.logs import configure_logging
from bot.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.proxy import Proxies, keep_proxies_to_ourselves
from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.slack.reach import TOKEN_ERRORS, describe_slack_failure
from bot.slack.replay import plausible_timestamp
from bot.slack.socket_mode import Backoff, SocketLink
from bot.store.db import ping

log = logging.getLogger(__name__)
OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")


class WatcherLike(Protocol):
    def start(self) -> None: ...
    async def shutdown(self) -> None: ...


class LinkLike(Protocol):
    """The Socket Mode connection, as far as serving needs it."""

    @property
    def state(self) -> str: ...
    def start(self) -> None: ...
    async def close(self) -> None: ...


def build_web(
    rt: Runtime,
    app: AsyncApp,
    *,
    watcher: WatcherLike | None,
    link: LinkLike | None = None,
    on_shutdown: Callable[[], Awaitable[None]] | None = None,
) -> Starlette:
    """The ASGI app: Slack's one Request URL, a health check, and the lifespan of the rest.

    The lifespan starts the watcher, the Socket Mode connection and learning the bot's user ID
    without waiting on Slack, and stops them (then `on_shutdown`) before uvicorn returns.
    """
    handler = AsyncSlackRequestHandler(app)

    async def slack_events(request: Request) -> Response:
        if not plausible_timestamp(request.headers.get("x-slack-request-timestamp")):
            return Response(status_code=401)  # unsigned: refused before Bolt reads it
        return await handler.handle(request)

    async def healthz(_request: Request) -> Response:
        database = await ping(rt.engine, within=3.0)
        body: dict[str, Any] = {
            "status": "ok" if database else "unavailable",
            "database": "ok" if database else "unreachable",
            "watcher": "on" if watcher is not None else "off",
            "slack": link.state if link is not None else "http",
            "version": __version__,
        }
        return JSONResponse(body, status_code=200 if database else 503)

    routes = [
        Route("/slack/events", slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    if rt.settings.oauth_enabled:  # Bolt's install page and OAuth redirect (bot.slack.oauth)
        routes += [Route(p, handler.handle, methods=["GET"]) for p in OAUTH_PATHS]
    if rt.settings.metrics_enabled:
        routes.append(Route("/metrics", metrics_endpoint(rt), methods=["GET"]))
    return Starlette(
        routes=routes,
        lifespan=background(rt, watcher=watcher, link=link, on_shutdown=on_shutdown),
    )


def metrics_endpoint(rt: Runtime) -> Callable[[Request], Awaitable[Response]]:
    """GET /metrics: the watch counts read now (bounded wait), then every metric as text."""

    async def metrics(_request: Request) -> Response:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3.0):
                await rt.metrics.refresh_watches(rt.sessions)
        return Response(rt.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    return metrics


def background(
    rt: Runtime,
    *,
    watcher: WatcherLike | None,
    link: LinkLike | None,
    on_shutdown: Callable[[], Awaitable[None]] | None,
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    """The lifespan: what runs beside the web app, started on the loop that serves it."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if watcher is not None:
            watcher.start()
        if link is not None:
            link.start()
        learning = None
        # known already when whoever built the runtime set it; OAuth mode: per workspace
        if rt.bot_user_id is None and rt.workspaces is None:
            learning = asyncio.get_running_loop().create_task(learn_bot_user(rt))
        try:
            yield
        finally:
            if learning is not None:
                learning.cancel()
                await asyncio.gather(learning, return_exceptions=True)
            if link is not None:
                await link.close()
            if watcher is not None:
                await watcher.shutdown()
            if on_shutdown is not None:
                await on_shutdown()

    return lifespan


async def learn_bot_user(rt: Runtime, *, backoff: Backoff | None = None) -> None:
    """Ask Slack who we are (for `/invite @bot` hints); retried while Slack is out of reach.

    A refused token is logged once and not retried; a network failure is logged once, then
    retried quietly with backoff until Slack answers.
    """
    backoff = backoff or Backoff(cap=300.0)
    delay, told = backoff.first, False
    while True:
        try:
            rt.bot_user_id = await rt.slack.bot_user_id()
        except SlackError as exc:
            if exc.error in TOKEN_ERRORS:
                log.warning("%s; check SLACK_BOT_TOKEN", exc)
                return
            if not told:
                reason = describe_slack_failure(
                    exc.__cause__ or exc, token="SLACK_BOT_TOKEN", api_url=rt.settings.slack_api_url
                )
                log.warning("Slack auth.test: %s; retrying in the background", reason)
                told = True
        except Exception as exc:  # anything else from the client: keep serving, say so once
            log.warning(
                "Slack auth.test failed (%s); serving without the bot's ID", type(exc).__name__
            )
            return
        else:
            if told:
                log.info("Slack answered auth.test: the bot is %s", rt.bot_user_id)
            return
        await asyncio.sleep(delay)
        delay = backoff.after(delay)


def make_watcher(rt: Runtime) -> WatcherLike:
    from bot.watcher.scheduler import Watcher

    watcher: WatcherLike = Watcher(rt)
    return watcher


def make_link(rt: Runtime, app: AsyncApp) -> SocketLink | None:
    """The Socket Mode connection when SLACK_APP_TOKEN is set (HTTP mode otherwise)."""
    token = rt.settings.slack_app_token
    if token is None:
        return None
    return SocketLink(
        app,
        token.get_secret_value(),
        proxies=Proxies.from_settings(rt.settings),
        api_url=rt.settings.slack_api_url,
    )


async def serve(
    settings: Settings, *, watcher: bool = True, host: str = "0.0.0.0", port: int | None = None
) -> None:
    """Run until SIGINT/SIGTERM: HTTP mode, or Socket Mode when SLACK_APP_TOKEN is set.

    Everything is released in the lifespan's shutdown: uvicorn re-raises the signal that stopped
    it once it returns, and nothing after that point would get to run.
    """
    rt = await build_runtime(settings)
    closed = False
    reloader = PolicyReloader(rt.access, every=settings.access_policy_reload_seconds)
    reloader.start()  # SIGHUP and the interval read ACCESS_POLICY again (when it is set)

    async def close() -> None:
        nonlocal closed
        if not closed:
            closed = True
            await reloader.stop()
            await close_runtime(rt)

    try:
        app = build_app(rt)
        link = make_link(rt, app)
        web = build_web(
            rt, app, watcher=make_watcher(rt) if watcher else None, link=link, on_shutdown=close
        )
        config = uvicorn.Config(
            web,
            host=host,
            port=settings.port if port is None else port,
            log_level=logging.getLevelName(max(logging.WARNING, logging.getLogger().level)).lower(),
            lifespan="on",
            access_log=False,
            # JSON lines: uvicorn's own loggers reach the root (JSON) handler, not its text one.
            log_config=None if settings.log_format == "json" else LOGGING_CONFIG,
        )
        if link is not None:
            log.info("Socket Mode: connecting to Slack; /healthz on port %s", config.port)
        else:
            log.info(
                "HTTP mode: POST /slack/events, GET /healthz%s on port %s",
                " and /metrics" if settings.metrics_enabled else "",
                config.port,
            )
        if settings.oauth_enabled:
            log.info("OAuth installs: GET /slack/install (many workspaces, tokens in the database)")
        await uvicorn.Server(config).serve()
    finally:
        await close()


def run_serve(args: argparse.Namespace) -> int:
    settings = load_settings(drs=True, slack=True)
    keep_proxies_to_ourselves(os.environ)
    configure_logging(settings)
    log.info("drs-bot %s starting (watcher %s)", __version__, "off" if args.no_watcher else "on")
    # uvicorn installs its own SIGINT/SIGTERM handlers, shuts down gracefully on them, then
    # raises the signal again: SIGINT arrives here as KeyboardInterrupt, after the shutdown.
    try:
        asyncio.run(serve(settings, watcher=not args.no_watcher, host=args.host))
    except KeyboardInterrupt:
        log.info("drs-bot stopped")
        return 130
    return 0
