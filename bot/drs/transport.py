"""An httpx transport over aiohttp: the only place the DRS client touches the network.

httpcore's connection pool scans every connection on every request; with the dozens of
connections a sweep keeps open (100 ms DRS latency, 32+ polls in flight) that cost ~13 ms of
CPU per request here, against ~0.7 ms through aiohttp's pool. httpx stays the client API
(auth flows, timeouts, MockTransport in tests); aiohttp only moves the bytes.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator
from http.cookiejar import CookieJar
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.errors import (
    DrsConnectionRefused,
    DrsError,
    DrsTimeout,
    DrsUnavailable,
    Endpoint,
    HostNotFound,
)
from bot.proxy import Proxies

# getaddrinfo's "this name does not exist" (as opposed to EAI_AGAIN, "try again later").
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}

# Headers that describe aiohttp's own framing and decoding of the body, not the body we hand on.
_HOP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
# Request extension: read at most this many bytes (+1, so the caller sees it was exceeded).
BODY_CAP = "drs_body_cap"


async def _chunks(request: httpx.Request) -> AsyncIterator[bytes]:
    assert isinstance(request.stream, httpx.AsyncByteStream)
    async for chunk in request.stream:
        yield chunk


async def _read_capped(response: aiohttp.ClientResponse, cap: int | None) -> bytes:
    if cap is None:
        return await response.read()
    parts, total = [], 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        parts.append(chunk)
        total += len(chunk)
        if total > cap:
            break  # the connection is dropped, not drained
    return b"".join(parts)


def is_invalid_name(host: str) -> bool:
    """True for `invalid` and names under it, which RFC 6761 (6.4) reserves as never existing."""
    name = host.rstrip(".").lower()
    return name == "invalid" or name.endswith(".invalid")


class InvalidNamesResolver(AbstractResolver):
    """Says "no such host" at once for `.invalid` names (RFC 6761: resolver libraries SHOULD),
    as the same gaierror a real NXDOMAIN raises; every other name goes to `names`.

    Without this, a machine with no DNS server answers such a name "try again later"
    (EAI_AGAIN), and a typo in DRS_ENDPOINT would look like a passing outage.
    """

    def __init__(self, names: AbstractResolver) -> None:
        self._names = names

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if is_invalid_name(host):
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: no such name (RFC 6761)")
        return await self._names.resolve(host, port, family)

    async def close(self) -> None:
        pass  # `names` belongs to whoever made it


class NoCookies(CookieJar):
    """A cookie jar that keeps nothing, for the DRS and IAM clients (`httpx.AsyncClient(cookies=)`).

    The APIs set no cookie the bot needs, and one kept from a response would be sent with every
    later request of that client. httpx hands every response to its jar; a jar that looks at
    none also saves the header parsing that costs (most requests are the sweep's polls).
    """

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through one aiohttp session; responses are read whole (small JSON)."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        keepalive_seconds: float = 30.0,
        proxies: Proxies | None = None,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """`resolver` answers names outside `.invalid` (getaddrinfo in a thread when None);
        the caller closes it."""
        self._max_connections = max_connections
        self._resolver = resolver
        self._own_resolver: AbstractResolver | None = None
        # Explicit rather than aiohttp's trust_env, which would also read ~/.netrc.
        self._proxies = proxies or Proxies()
        self._keepalive = keepalive_seconds
        self._ssl: ssl.SSLContext = httpx.create_ssl_context()  # verification always on
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        names = self._resolver
        if names is None:
            # aiohttp's default unless aiodns is installed, whose errors drop getaddrinfo's
            # errno: error_from_transport needs it to tell "no such host" from "try later".
            names = self._own_resolver = ThreadedResolver()
        connector = aiohttp.TCPConnector(
            limit=self._max_connections,
            keepalive_timeout=self._keepalive,
            ssl=self._ssl,
            resolver=InvalidNamesResolver(names),
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
        try:
            body: bytes | AsyncIterator[bytes] | None = request.content or None
        except httpx.RequestNotRead:
            body = _chunks(request)  # an upload: streamed, never joined into one copy
        try:
            async with session.request(
                request.method,
                str(request.url),
                headers=[
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
                ],
                data=body,
                allow_redirects=False,
                timeout=timeout,
                proxy=self._proxies.for_url(str(request.url)),
            ) as response:
                content = await _read_capped(response, request.extensions.get(BODY_CAP))
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
        if self._own_resolver is not None:
            await self._own_resolver.close()
            self._own_resolver = None


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from, innermost last (bounded: chains can loop)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def error_from_transport(
    exc: httpx.TransportError, *, endpoint: Endpoint | None, job_id: str | None = None
) -> DrsError:
    """A network failure as the error that names it: no such host, refused, timeout, other."""
    host = endpoint.host if endpoint else "the server"
    kind = type(exc).__name__
    error: type[DrsError] = DrsUnavailable
    message = f"Could not reach {host} ({kind})."
    if isinstance(exc, httpx.TimeoutException):
        error, message = DrsTimeout, f"{host} did not answer in time ({kind})."
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            if cause.errno in _NO_SUCH_NAME:
                error, message = HostNotFound, f"No such host {host} ({kind})."
            else:
                message = f"Could not look up {host} for now ({kind})."
            break
        if isinstance(cause, ConnectionRefusedError):
            error, message = DrsConnectionRefused, f"{host} refused the connection ({kind})."
            break
    return error(message, endpoint=endpoint, job_id=job_id)
