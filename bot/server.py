"""`drs-bot serve`: the Bolt app over HTTP (or Socket Mode), /healthz, and the watcher."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import __version__
from bot.compose import build_runtime, close_runtime
from bot.config import Settings, load_settings
from bot.errors import SlackError
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.slack.replay import plausible_timestamp
from bot.store.db import ping

log = logging.getLogger(__name__)


class WatcherLike(Protocol):
    def start(self) -> None: ...
    async def shutdown(self) -> None: ...


def build_web(rt: Runtime, app: AsyncApp, *, watcher: WatcherLike | None) -> Starlette:
    """The ASGI app: Slack's one Request URL, a health check, and the watcher's lifespan."""
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
            "version": __version__,
        }
        return JSONResponse(body, status_code=200 if database else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # APScheduler must start on the loop that serves: here, not at import or build time.
        if watcher is not None:
            watcher.start()
        try:
            yield
        finally:
            if watcher is not None:
                await watcher.shutdown()

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


async def learn_bot_user(rt: Runtime) -> None:
    """Ask Slack who we are (for `/invite @bot` hints); a failure is logged, not fatal."""
    try:
        rt.bot_user_id = await rt.slack.bot_user_id()
    except SlackError as exc:  # Slack refused (token) or was not reached (URL): keep serving
        log.warning("%s; check %s", exc, "SLACK_BOT_TOKEN" if exc.error else "SLACK_API_URL")
    except Exception as exc:  # anything else from the client: keep serving, say so once
        log.warning("Slack auth.test failed (%s); check SLACK_API_URL", type(exc).__name__)


def make_watcher(rt: Runtime) -> WatcherLike:
    from bot.watcher.scheduler import Watcher

    watcher: WatcherLike = Watcher(rt)
    return watcher


async def serve(
    settings: Settings, *, watcher: bool = True, host: str = "0.0.0.0", port: int | None = None
) -> None:
    """Run until SIGINT/SIGTERM: HTTP mode, or Socket Mode when SLACK_APP_TOKEN is set."""
    rt = await build_runtime(settings)
    try:
        await learn_bot_user(rt)
        app = build_app(rt)
        web = build_web(rt, app, watcher=make_watcher(rt) if watcher else None)
        config = uvicorn.Config(
            web,
            host=host,
            port=settings.port if port is None else port,
            log_level=logging.getLevelName(max(logging.WARNING, logging.getLogger().level)).lower(),
            lifespan="on",
            access_log=False,
        )
        server = uvicorn.Server(config)
        socket_mode = None
        if settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket_mode = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
            await socket_mode.connect_async()  # type: ignore[no-untyped-call]  # untyped in bolt
            log.info("Socket Mode connected; /healthz on port %s", config.port)
        else:
            log.info("HTTP mode: POST /slack/events and GET /healthz on port %s", config.port)
        try:
            await server.serve()
        finally:
            if socket_mode is not None:
                await socket_mode.close_async()  # type: ignore[no-untyped-call]  # untyped in bolt
    finally:
        await close_runtime(rt)


def run_serve(args: argparse.Namespace) -> int:
    settings = load_settings(drs=True, slack=True)
    configure_logging(settings)
    log.info("drs-bot %s starting (watcher %s)", __version__, "off" if args.no_watcher else "on")
    # uvicorn installs its own SIGINT/SIGTERM handlers and shuts down gracefully on them.
    asyncio.run(serve(settings, watcher=not args.no_watcher, host=args.host))
    return 0
