"""The three Huawei Cloud credential kinds as httpx.Auth: a token, IAM password login, AK/SK."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Generator
from datetime import datetime, timedelta

import httpx
from pydantic import SecretStr

from bot.clock import Clock, SystemClock
from bot.drs import signer
from bot.drs.responses import error_fields
from bot.drs.transport import error_from_transport
from bot.errors import CredentialsRefused, DrsUnavailable, Endpoint, NotDrs

logger = logging.getLogger(__name__)

# Headers we put into the signature; others (User-Agent, Accept...) may be rewritten in transit.
_SIGNED = (
    "content-type",
    "host",
    "x-language",
    "x-project-id",
    "x-sdk-content-sha256",
    "x-sdk-date",
    "x-security-token",
)


class TokenAuth(httpx.Auth):
    """A ready IAM token, sent as X-Auth-Token."""

    def __init__(self, token: SecretStr) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token.get_secret_value()
        yield request


class AkSkAuth(httpx.Auth):
    """SDK-HMAC-SHA256 signing with X-Sdk-Date, Host, X-Project-Id (and X-Security-Token)."""

    # The body hash is part of the signature, except for multipart uploads (UNSIGNED-PAYLOAD),
    # whose bodies are streamed: `sign` reads the body only when it is signed.
    requires_request_body = False

    def __init__(
        self,
        ak: SecretStr,
        sk: SecretStr,
        *,
        project_id: str,
        security_token: SecretStr | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._ak = ak
        self._sk = sk
        self._project_id = project_id
        self._security_token = security_token
        self._clock: Clock = clock or SystemClock()

    def sign(self, request: httpx.Request) -> None:
        """Add the signing headers and Authorization to `request` (in place)."""
        request.headers["X-Sdk-Date"] = signer.sdk_date(self._clock.now())
        if self._project_id:  # IAM's project listing (region discovery) is signed without one
            request.headers["X-Project-Id"] = self._project_id
        if self._security_token is not None:
            request.headers["X-Security-Token"] = self._security_token.get_secret_value()
        if "Host" not in request.headers:
            request.headers["Host"] = request.url.netloc.decode("ascii")
        if signer.unsigned_payload(request.headers.get("Content-Type")):
            request.headers[signer.CONTENT_SHA256] = signer.UNSIGNED_PAYLOAD  # e.g. multipart
            # Only emptiness matters once the payload is unsigned; the stream stays unread.
            length = request.headers.get("Content-Length", "0")
            chunked = "Transfer-Encoding" in request.headers
            body = b"-" if chunked or length != "0" else b""
        else:
            body = request.read()
        names = sorted(n for n in _SIGNED if n in request.headers)
        values = {n: request.headers[n] for n in names}
        pairs = request.url.params.multi_items()
        if pairs:
            # On the wire exactly as signed, like the SDK: a space is %20, never httpx's `+`
            # (a gateway decoding `+` literally would compute another signature).
            query = signer.canonical_query(pairs).encode("ascii")
            request.url = request.url.copy_with(query=query)
        canonical = signer.canonical_request(
            request.method,
            request.url.raw_path.decode("ascii"),
            pairs,
            values,
            names,
            body,
            content_sha256=request.headers.get(signer.CONTENT_SHA256),
        )
        sig = signer.signature(self._sk.get_secret_value(), values["x-sdk-date"], canonical)
        request.headers["Authorization"] = signer.authorization(
            self._ak.get_secret_value(), names, sig
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


class IamPasswordAuth(httpx.Auth):
    """IAM password login scoped to the project; the token is cached, refreshed ahead of expiry,
    fetched once for concurrent callers, and fetched again once if DRS answers 401."""

    # Tokens live 24 h; refresh well before so that a long watch never sends a stale one.
    refresh_ahead = timedelta(hours=1)
    assumed_lifetime = timedelta(hours=23)

    def __init__(
        self,
        *,
        iam_url: str,
        username: str,
        password: SecretStr,
        domain: str,
        project_id: str,
        http: httpx.AsyncClient,
        clock: Clock | None = None,
        endpoint: Endpoint | None = None,
    ) -> None:
        self._endpoint = endpoint  # IAM's host and the setting that chose it, for errors
        # Accept both the bare endpoint and one ending in /v3 (as some consoles show it).
        self._url = iam_url.rstrip("/").removesuffix("/v3") + "/v3/auth/tokens"
        self._username = username
        self._password = password
        self._domain = domain
        self._project_id = project_id
        self._http = http  # our own client for IAM: the DRS client's auth must not apply to it
        self._clock: Clock = clock or SystemClock()
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self.logins = 0  # how many logins were made (tests, logs)

    def login_body(self) -> dict[str, object]:
        user = {
            "name": self._username,
            "password": self._password.get_secret_value(),
            "domain": {"name": self._domain},
        }
        # Without a project (listing a region's projects) the token is scoped to the account.
        scope: dict[str, object] = (
            {"project": {"id": self._project_id}}
            if self._project_id
            else {"domain": {"name": self._domain}}
        )
        return {
            "auth": {
                "identity": {"methods": ["password"], "password": {"user": user}},
                "scope": scope,
            }
        }

    def _fresh(self) -> bool:
        if self._token is None or self._expires_at is None:
            return False
        return self._clock.now() < self._expires_at - self.refresh_ahead

    async def token(self, *, stale: str | None = None) -> str:
        """A valid token; `stale` is one DRS refused, which must not be handed out again."""
        async with self._lock:
            if self._token is not None and self._token != stale and self._fresh():
                return self._token
            self._token = None
            self._token, self._expires_at = await self._login()
            return self._token

    async def _login(self) -> tuple[str, datetime]:
        self.logins += 1
        try:
            response = await self._http.post(
                self._url, params={"nocatalog": "true"}, json=self.login_body()
            )
        except httpx.TransportError as exc:
            raise error_from_transport(exc, endpoint=self._endpoint) from exc
        request_id = response.headers.get("X-Request-Id")
        if response.status_code in (400, 401, 403):
            try:
                said = error_fields(response.json())[1]
            except ValueError:
                said = None
            raise CredentialsRefused(
                f"IAM said: {said}" if said else "IAM refused the login.",
                status=response.status_code,
                request_id=request_id,
                endpoint=self._endpoint,
            )
        if response.status_code == 404:  # not IAM at all: a wrong IAM_ENDPOINT
            raise NotDrs(status=404, request_id=request_id, endpoint=self._endpoint)
        token = response.headers.get("X-Subject-Token")
        if response.status_code not in (200, 201) or not token:
            raise DrsUnavailable(
                "IAM did not issue a token.",
                status=response.status_code,
                request_id=request_id,
                endpoint=self._endpoint,
            )
        now = self._clock.now()
        expires_at = now + self.assumed_lifetime
        try:
            raw = response.json()["token"]["expires_at"]
            expires_at = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except (ValueError, KeyError, TypeError):
            logger.warning("IAM token without a readable expires_at; assuming 23 h")
        logger.info("logged in to IAM as %s; token expires %s", self._username, expires_at)
        return token, expires_at

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("IamPasswordAuth works with httpx.AsyncClient only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.token()
        request.headers["X-Auth-Token"] = token
        response = yield request
        if response.status_code == 401:
            # Voided early (password change, revoked): log in again once and resend.
            await response.aread()
            request.headers["X-Auth-Token"] = await self.token(stale=token)
            yield request

    async def aclose(self) -> None:
        await self._http.aclose()
