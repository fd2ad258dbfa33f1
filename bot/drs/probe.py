"""What `drs-bot doctor` asks of DRS: an endpoint's name, TLS and port; credentials; clock."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx

from bot.clock import Clock
from bot.config import Settings
from bot.drs.client import progress_path
from bot.drs.region_factory import default_client
from bot.drs.responses import error_from_response
from bot.drs.retry import NO_RETRY
from bot.drs.transport import error_from_transport
from bot.errors import CredentialsRefused, DrsError, JobNotFound

# A job ID of the right shape that no project holds: DRS answers "no such job" once it has
# accepted the credentials, and nothing of the project is read.
PROBE_JOB = "00000000-0000-0000-0000-0000doctjb00"
CONNECT_SECONDS = 5.0


@dataclass(frozen=True)
class Reach:
    """Whether a URL's host resolves, accepts a connection and (https) completes TLS."""

    ok: bool
    detail: str


async def reach(url: str, *, within: float = CONNECT_SECONDS) -> Reach:
    """Resolve, connect and (for https) shake hands with the host of `url`; never raises."""
    parts = httpx.URL(url)
    host, secure = parts.host, parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(within):
            await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError) as exc:
        return Reach(False, f"{host} does not resolve ({type(exc).__name__})")
    context = ssl.create_default_context() if secure else None
    try:
        async with asyncio.timeout(within):
            _, writer = await asyncio.open_connection(
                host, port, ssl=context, server_hostname=host if secure else None
            )
    except ssl.SSLError as exc:
        return Reach(False, f"TLS with {host}:{port} failed ({exc.reason or type(exc).__name__})")
    except (OSError, TimeoutError) as exc:
        return Reach(False, f"{host}:{port} does not accept connections ({type(exc).__name__})")
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError):  # checked already; a rough close is fine
        await writer.wait_closed()
    return Reach(True, f"{host}:{port} resolves and answers" + (" over TLS" if secure else ""))


@dataclass(frozen=True)
class Answer:
    """How DRS took a signed request: accepted (None) or the error; its Date header."""

    error: DrsError | None
    date: datetime | None


async def ask_drs(settings: Settings, *, clock: Clock) -> Answer:
    """One progress query for PROBE_JOB with the configured credentials (no retry)."""
    try:  # with DRS_REGIONS: the default region, its project discovered first
        drs = await default_client(settings, clock=clock, retry=NO_RETRY)
    except DrsError as exc:
        return Answer(exc, None)
    try:
        try:
            response = await drs.http.get(
                progress_path(drs.project_id, PROBE_JOB),
                headers={"Content-Type": "application/json", "X-Language": drs.language},
            )
        except httpx.TransportError as exc:
            return Answer(error_from_transport(exc, endpoint=drs.endpoint), None)
        except DrsError as exc:  # from the credential itself (IAM login)
            return Answer(exc, None)
        date = _date(response.headers.get("Date"))
        if response.status_code == 200:
            return Answer(None, date)
        error = error_from_response(response, PROBE_JOB, clock.now(), endpoint=drs.endpoint)
        return Answer(None if isinstance(error, JobNotFound) else error, date)
    finally:
        await drs.aclose()


def refused(answer: Answer) -> bool:
    return isinstance(answer.error, CredentialsRefused)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else None
