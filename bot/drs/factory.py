"""Builds the one DrsClient a process uses, from Settings: endpoint, credential, timeouts."""

from __future__ import annotations

import httpx

from bot import __version__
from bot.clock import Clock, SystemClock
from bot.config import CredentialKind, Settings, require
from bot.drs.budget import Budget
from bot.drs.client import DrsClient, RequestObserver
from bot.drs.credentials import AkSkAuth, IamPasswordAuth, TokenAuth
from bot.drs.endpoints import drs_endpoint, iam_endpoint
from bot.drs.keyguard import KeyGuard
from bot.drs.metered import MeteredTransport
from bot.drs.retry import DEFAULT, RetryPolicy
from bot.drs.templates import TemplateClient
from bot.drs.transport import AiohttpTransport, NoCookies
from bot.errors import ConfigError, Endpoint
from bot.proxy import Proxies

# A slow DRS (seconds per answer) must still be heard; the retry deadline bounds the total.
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
USER_AGENT = f"drs-bot/{__version__}"


def _endpoints(settings: Settings) -> tuple[str, str | None]:
    try:
        drs = settings.drs_endpoint or drs_endpoint(settings.drs_region or "")
        iam = settings.iam_endpoint or (
            iam_endpoint(settings.drs_region) if settings.drs_region else None
        )
    except ValueError as exc:
        raise ConfigError([f"DRS_REGION: {exc}; or set DRS_ENDPOINT to the full URL."]) from None
    return drs.rstrip("/"), iam.rstrip("/") if iam else None


def _endpoint(url: str, setting: str, settings: Settings, *, service: str = "DRS") -> Endpoint:
    """What errors name: the host tried, the setting that chose it, the credential in use."""
    kinds = settings.credential_kinds()
    return Endpoint(
        host=httpx.URL(url).netloc.decode("ascii"),
        setting=setting,
        service=service,
        region=settings.drs_region,
        credential=kinds[0].value if kinds else None,
    )


def build_auth(
    settings: Settings,
    *,
    clock: Clock,
    iam_url: str | None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.Auth:
    """The httpx.Auth for the one credential kind that `settings` names (already validated)."""
    kind = settings.credential_kinds()[0]
    project_id = settings.drs_project_id or ""
    if kind is CredentialKind.TOKEN:
        assert settings.drs_auth_token is not None
        return TokenAuth(settings.drs_auth_token)
    if kind is CredentialKind.AKSK:
        assert settings.huaweicloud_sdk_ak is not None and settings.huaweicloud_sdk_sk is not None
        return AkSkAuth(
            settings.huaweicloud_sdk_ak,
            settings.huaweicloud_sdk_sk,
            project_id=project_id,
            security_token=settings.huaweicloud_sdk_security_token,
            clock=clock,
        )
    assert settings.iam_password is not None and iam_url is not None
    iam_http = httpx.AsyncClient(
        timeout=TIMEOUT,
        cookies=NoCookies(),  # nothing kept between requests
        verify=True,
        transport=transport
        or AiohttpTransport(max_connections=4, proxies=Proxies.from_settings(settings)),
        headers={"User-Agent": USER_AGENT},
    )
    return IamPasswordAuth(
        iam_url=iam_url,
        username=settings.iam_username or "",
        password=settings.iam_password,
        domain=settings.iam_domain or "",
        project_id=project_id,
        http=iam_http,
        clock=clock,
        endpoint=_endpoint(
            iam_url,
            "IAM_ENDPOINT" if settings.iam_endpoint else "DRS_REGION",
            settings,
            service="IAM",
        ),
    )


def _metered(
    transport: httpx.AsyncBaseTransport, budget: Budget | None, guard: KeyGuard | None
) -> httpx.AsyncBaseTransport:
    if budget is None and guard is None:
        return transport
    return MeteredTransport(transport, budget=budget, guard=guard)


def build_drs_client(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    observe: RequestObserver | None = None,
    budget: Budget | None = None,
    guard: KeyGuard | None = None,
) -> DrsClient:
    """Validate the DRS settings (ConfigError lists every problem) and build the client; with a
    budget or key guard, every request through it waits for its slot and passes the guard."""
    require(settings, drs=True)
    clock = clock or SystemClock()
    drs_url, iam_url = _endpoints(settings)
    auth = build_auth(settings, clock=clock, iam_url=iam_url, transport=transport)
    http = httpx.AsyncClient(
        base_url=drs_url,
        auth=auth,
        timeout=TIMEOUT,
        cookies=NoCookies(),  # nothing kept between requests
        verify=True,  # never turned off: credentials travel in these requests
        transport=_metered(
            transport
            or AiohttpTransport(
                max_connections=settings.poll_concurrency + 8,
                proxies=Proxies.from_settings(settings),
            ),
            budget,
            guard,
        ),
        headers={"User-Agent": USER_AGENT},
    )
    return DrsClient(
        http,
        project_id=settings.drs_project_id or "",
        language=settings.drs_language,
        retry=retry or DEFAULT,
        clock=clock,
        observe=observe,
        endpoint=_endpoint(
            drs_url, "DRS_ENDPOINT" if settings.drs_endpoint else "DRS_REGION", settings
        ),
    )


def build_template_client(drs: DrsClient) -> TemplateClient:
    """The template APIs over `drs`'s own httpx client: same endpoint, credential and pool."""
    return TemplateClient(
        drs.http,
        project_id=drs.project_id,
        language=drs.language,
        retry=drs.retry,
        clock=drs.clock,
    )
