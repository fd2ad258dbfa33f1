"""A forward HTTP proxy on loopback for tests: CONNECT tunnels and absolute-URI requests, recorded.

Each client connection carries one request (forwarded with `Connection: close`), or one tunnel
(CONNECT), or one upgraded websocket; bytes are copied both ways until either side closes.
An upstream that cannot be reached gets the client a 502, as a real proxy would answer.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

_HOP_HEADERS = frozenset({"proxy-authorization", "proxy-connection", "connection", "keep-alive"})


@dataclass(frozen=True)
class Passed:
    """One request the proxy was asked to carry."""

    method: str
    target: str  # the absolute URI, or host:port for CONNECT
    proxy_authorization: str | None


class ForwardProxy:
    """An async context manager; `url` (and `url_with_login`) are what HTTP(S)_PROXY take."""

    def __init__(self, *, user: str = "proxy-user", password: str = "proxy-pa55word") -> None:
        self.user = user
        self.password = password
        self.passed: list[Passed] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url_with_login(self) -> str:
        return f"http://{self.user}:{self.password}@127.0.0.1:{self.port}"

    @property
    def basic_login(self) -> str:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return f"Basic {token}"

    def targets(self) -> list[str]:
        return [f"{p.method} {p.target}" for p in self.passed]

    async def __aenter__(self) -> ForwardProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.close()
            for handler in list(self._handlers):
                handler.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = [tuple(line.split(":", 1)) for line in lines[1:] if ":" in line]
            fields = {name.strip().lower(): value.strip() for name, value in headers}
            self.passed.append(Passed(method, target, fields.get("proxy-authorization")))
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                await self._relay(reader, writer, host, int(port), b"")
                return
            parts = urlsplit(target)
            path = parts.path or "/"
            kept = [
                f"{n.strip()}: {v.strip()}"
                for n, v in headers
                if n.strip().lower() not in _HOP_HEADERS
            ]
            upgrade = "upgrade" in fields.get("connection", "").lower()
            kept.append("Connection: Upgrade" if upgrade else "Connection: close")
            request_line = f"{method} {path}{'?' + parts.query if parts.query else ''} {version}"
            forward = "\r\n".join([request_line, *kept, "", ""]).encode("latin-1")
            await self._relay(reader, writer, parts.hostname or "", parts.port or 80, forward)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        except asyncio.CancelledError:
            # the proxy is closing; asyncio's stream callback would log a cancelled handler
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _relay(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        host: str,
        port: int,
        forward: bytes,
    ) -> None:
        """Connect upstream, send `forward` (or confirm a tunnel), then copy both ways."""
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.write(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            await writer.drain()
            return
        if forward:
            up_writer.write(forward)
        else:
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        pumps = [
            asyncio.create_task(_pump(reader, up_writer)),
            asyncio.create_task(_pump(up_reader, writer)),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            up_writer.close()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
