"""Slack's Socket Mode side for tests: `apps.connections.open`, a websocket, envelopes and acks.

Attached to a `SlackStandIn`, it answers `apps.connections.open` (with the app-level token)
with the URL of its own websocket server on loopback; `send` pushes an envelope to the
connected bot as Slack would and returns the payload of the bot's acknowledgement.
`refuse` makes that many websocket handshakes fail with a 503 first, as a Slack in trouble would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from types import TracebackType
from typing import Any

from aiohttp import WSMsgType, web

from bot.sandbox.http_plumbing import serve_on_loopback
from bot.sandbox.slack_standin import SlackStandIn

log = logging.getLogger(__name__)


class SocketModeStandIn:
    """A Socket Mode endpoint on 127.0.0.1 (port 0); an async context manager."""

    def __init__(
        self, slack: SlackStandIn, *, app_token: str = "xapp-1-sandbox", refuse: int = 0
    ) -> None:
        self.slack = slack
        self.app_token = app_token
        self.url = ""
        self.opened = 0  # apps.connections.open calls answered
        self.refused = 0  # websocket handshakes refused
        self._refuse = refuse
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def __aenter__(self) -> SocketModeStandIn:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._socket)
        self._runner, address = await serve_on_loopback(app)
        self.url = f"ws://{address}/link"
        self.slack.add_method("apps.connections.open", self._open, token=self.app_token)

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def drop(self) -> None:
        """Close the bot's websockets as Slack does now and then; the bot should come back."""
        for ws in list(self._sockets):
            await ws.close()

    async def wait_connected(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            await self._connected.wait()

    async def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Deliver one envelope (slash_commands, events_api, interactive); the ack's payload."""
        await self.wait_connected(timeout)
        envelope_id = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        async with asyncio.timeout(timeout):
            return await future

    async def _open(self, _params: dict[str, Any]) -> dict[str, Any]:
        self.opened += 1
        return {"ok": True, "url": self.url}

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if self.refused < self._refuse:
            self.refused += 1
            return web.Response(status=503, text="try again later")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": len(self._sockets)}))
        self._connected.set()
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    ack = json.loads(message.data)
                except ValueError:
                    log.warning("Socket Mode stand-in: a message that is not JSON")
                    continue
                future = self._acks.pop(str(ack.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(dict(ack.get("payload") or {}))
        finally:
            self._sockets.remove(ws)
            if not self._sockets:
                self._connected.clear()
        return ws
