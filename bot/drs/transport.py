"""An httpx transport over aiohttp: the only place the DRS client touches the network.

httpcore's connection pool scans every connection on every request; with the dozens of
connections a sweep keeps open (100 ms DRS latency, 32+ polls in flight) that cost ~13 ms of
CPU per request here, against ~0.7 ms through aiohttp's pool. httpx stays the client API
(auth flows, timeouts, MockTransport in tests); aiohttp only moves the bytes.
"""

from __future__ import annotations

import ssl

import aiohttp
import httpx

from bot.proxy import Proxies

# Headers that describe aiohttp's own framing and decoding of the body, not the body we hand on.
_HOP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through one aiohttp session; responses are read whole (small JSON)."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        keepalive_seconds: float = 30.0,
        proxies: Proxies | None = None,
    ) -> None:
        self._max_connections = max_connections
        # Explicit rather than aiohttp's trust_env, which would also read ~/.netrc.
        self._proxies = proxies or Proxies()
        self._keepalive = keepalive_seconds
        self._ssl: ssl.SSLContext = httpx.create_ssl_context()  # verification always on
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._max_connections, keepalive_timeout=self._keepalive, ssl=self._ssl
        )
        # cookies would leak between callers; the DRS API sets none that matter
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=True
        )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=timeouts.get("pool"),
            sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        body = await request.aread()
        try:
            async with session.request(
                request.method,
                str(request.url),
                headers=[
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
                ],
                data=body or None,
                allow_redirects=False,
                timeout=timeout,
                proxy=self._proxies.for_url(str(request.url)),
            ) as response:
                content = await response.read()
                status = response.status
                headers = [
                    (k, v) for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS
                ]
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise httpx.ReadTimeout(f"DRS did not answer in time: {exc}", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(f"cannot connect: {exc}", request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=request) from exc
        return httpx.Response(
            status,
            headers=headers,
            content=content,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
