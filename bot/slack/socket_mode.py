"""Socket Mode: the connection to Slack, opened in the background and reopened with backoff.

slack_sdk's client retries a failed connection itself, at a fixed interval, logging a traceback
each time, and returns only once connected, so `serve` would neither answer /healthz nor start
the watcher while Slack is out of reach. Here one attempt is one call and `SocketLink` owns the
retries: backoff, one log line per failure, and a state that /healthz reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

import aiohttp
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.proxy import Proxies
from bot.slack.reach import describe_slack_failure

log = logging.getLogger(__name__)

CONNECTING = "connecting"
CONNECTED = "connected"


@dataclass(frozen=True)
class Backoff:
    """Seconds between attempts: `first`, multiplied by `factor` each failure, at most `cap`."""

    first: float = 1.0
    factor: float = 2.0
    cap: float = 60.0

    def after(self, delay: float) -> float:
        return min(self.cap, delay * self.factor)


class _QuietSdk(logging.Filter):
    """slack_sdk's INFO lines repeat what `SocketLink` logs: shown at LOG_LEVEL=DEBUG only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or logging.getLogger().isEnabledFor(logging.DEBUG)


def _sdk_logger() -> logging.Logger:
    logger = logging.getLogger(f"{__name__}.sdk")
    if not any(isinstance(f, _QuietSdk) for f in logger.filters):
        logger.addFilter(_QuietSdk())
    return logger


class OneShotClient(SocketModeClient):
    """slack_sdk's client with its reconnection handed to `SocketLink`: `open_once` is one try."""

    def __init__(self, *, app_token: str, web_client: AsyncWebClient, proxies: Proxies) -> None:
        super().__init__(
            app_token=app_token,
            web_client=web_client,
            proxy=None,
            logger=_sdk_logger(),
            ping_interval=10.0,
        )
        self.proxies = proxies
        self.lost = asyncio.Event()

    async def connect_to_new_endpoint(self, force: bool = False) -> None:
        # The library calls this when the websocket closes, goes stale, or Slack asks the app to
        # move to a new one: the link reconnects, with its backoff.
        self.lost.set()

    async def connect(self) -> None:
        self.lost.set()

    async def disconnect(self) -> None:
        await self._drop_session()

    async def open_once(self) -> None:
        """Ask Slack for a websocket URL and connect to it; raises whatever failed."""
        await self._drop_session()
        if self.aiohttp_client_session.closed:
            self.aiohttp_client_session = aiohttp.ClientSession()
        answer = await self.web_client.apps_connections_open(app_token=self.app_token)
        self.wss_uri = str(answer["url"])
        self.proxy = self.proxies.for_url(self.wss_uri)
        self.current_session = await self.aiohttp_client_session.ws_connect(
            self.wss_uri,
            autoping=False,
            heartbeat=self.ping_interval,
            proxy=self.proxy,
            ssl=self.web_client.ssl if self.web_client.ssl is not None else True,
        )
        self.stale = False
        self.last_ping_pong_time = None
        self.lost.clear()
        for task in (self.current_session_monitor, self.message_receiver):
            if task is not None:
                task.cancel()
        self.current_session_monitor = asyncio.ensure_future(self.monitor_current_session())
        self.message_receiver = asyncio.ensure_future(self.receive_messages())

    @property
    def connected(self) -> bool:
        session = self.current_session
        return session is not None and not session.closed and not self.lost.is_set()

    async def _drop_session(self) -> None:
        session, self.current_session = self.current_session, None
        if session is not None and not session.closed:
            with contextlib.suppress(Exception):  # a broken socket may fail to close; it is gone
                await session.close()


class SocketLink:
    """Keeps one Socket Mode connection for `app`; start inside the running loop, then close."""

    def __init__(
        self,
        app: AsyncApp,
        app_token: str,
        *,
        proxies: Proxies,
        api_url: str,
        backoff: Backoff | None = None,
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.proxies = proxies
        self.api_url = api_url
        self.backoff = backoff or Backoff()
        self.failures = 0
        self._client: OneShotClient | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def state(self) -> str:
        """`connected` while the websocket is up, `connecting` otherwise."""
        return CONNECTED if self._client is not None and self._client.connected else CONNECTING

    def start(self) -> None:
        client = OneShotClient(
            app_token=self.app_token, web_client=self.app.client, proxies=self.proxies
        )
        client.socket_mode_request_listeners.append(self._handle)
        self._client = client
        self._task = asyncio.get_running_loop().create_task(self._run(client))

    async def close(self) -> None:
        """Stop reconnecting and close the websocket and its HTTP session."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        client, self._client = self._client, None
        if client is not None:
            await client.close()  # type: ignore[no-untyped-call]  # untyped in slack_sdk
            tasks = [client.message_processor, client.current_session_monitor]
            tasks.append(client.message_receiver)
            await asyncio.gather(*(t for t in tasks if t is not None), return_exceptions=True)

    async def _run(self, client: OneShotClient) -> None:
        delay = self.backoff.first
        while True:
            try:
                await client.open_once()
            except Exception as exc:  # every failure is retried; the log line says which
                self.failures += 1
                reason = describe_slack_failure(exc, token="SLACK_APP_TOKEN", api_url=self.api_url)
                log.warning("Socket Mode: %s; retrying in %gs", reason, delay)
                await asyncio.sleep(delay)
                delay = self.backoff.after(delay)
                continue
            delay = self.backoff.first
            log.info("Socket Mode connected")
            await client.lost.wait()
            log.info("Socket Mode connection lost; reconnecting")

    async def _handle(self, client: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        started = time.time()
        response = await run_async_bolt_app(self.app, request)
        await send_async_response(client, request, response, started)
