"""Builds the `Regions` of a process from Settings: one client per region, IAM discovery."""

from __future__ import annotations

import dataclasses

import httpx

from bot.clock import Clock, SystemClock
from bot.config import Settings, require
from bot.drs.budget import Budget
from bot.drs.client import DrsClient, RequestObserver
from bot.drs.discovery import discover_project
from bot.drs.endpoints import drs_endpoint, iam_endpoint
from bot.drs.factory import TIMEOUT, USER_AGENT, build_auth, build_drs_client
from bot.drs.keyguard import KeyGuard
from bot.drs.regions import Regions
from bot.drs.retry import RetryPolicy
from bot.drs.transport import AiohttpTransport, NoCookies
from bot.errors import BotError, ConfigError, Endpoint
from bot.proxy import Proxies

# The names given to the one-region form when DRS_REGION is unset (DRS_ENDPOINT alone).
UNNAMED_REGION = "default"


def region_settings(settings: Settings, region: str, project_id: str) -> Settings:
    """`settings` as the one-region form for `region` (what `build_drs_client` reads)."""
    plan = settings.region_plan()
    endpoint = plan.endpoints.get(region) if plan is not None else settings.drs_endpoint
    return settings.model_copy(
        update={
            "drs_region": region,
            "drs_project_id": project_id,
            "drs_endpoint": endpoint,
            "drs_regions": None,
            "drs_projects": None,
            "drs_endpoints": None,
        }
    )


def build_regions(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    observe: RequestObserver | None = None,
    budget: Budget | None = None,
    guard: KeyGuard | None = None,
) -> Regions:
    """Validate the DRS settings (ConfigError lists every problem) and plan the regions.

    Clients are built on first use: a region whose project is not given is asked of IAM then.
    One DRS budget and one key guard serve every region: the key and its limits are the same.
    """
    require(settings, drs=True)
    clock = clock or SystemClock()
    plan = settings.region_plan()

    def make(region: str, project_id: str) -> DrsClient:
        one = settings if plan is None else region_settings(settings, region, project_id)
        client = build_drs_client(
            one,
            clock=clock,
            transport=transport,
            retry=retry,
            observe=observe,
            budget=budget,
            guard=guard,
        )
        if plan is not None and region in plan.endpoints and client.endpoint is not None:
            client.endpoint = dataclasses.replace(client.endpoint, setting="DRS_ENDPOINTS")
        return client

    if plan is None:  # the one-region form: exactly as before DRS_REGIONS existed
        name = (settings.drs_region or UNNAMED_REGION).strip().lower()
        return Regions([name], make=make, projects={name: settings.drs_project_id or ""})

    async def discover(region: str) -> str:
        return await _discover(settings, region, clock=clock, transport=transport)

    return Regions(plan.names, make=make, projects=plan.projects, discover=discover, clock=clock)


async def _discover(
    settings: Settings,
    region: str,
    *,
    clock: Clock,
    transport: httpx.AsyncBaseTransport | None,
) -> str:
    """Ask IAM for the region's project, with the configured credential (unscoped)."""
    try:
        iam_url = (settings.iam_endpoint or iam_endpoint(region)).rstrip("/")
    except ValueError as exc:
        raise ConfigError([f"DRS_REGIONS: {exc}."]) from None
    one = region_settings(settings, region, "")
    auth = build_auth(one, clock=clock, iam_url=iam_url, transport=transport)
    kinds = settings.credential_kinds()
    endpoint = Endpoint(
        host=httpx.URL(iam_url).netloc.decode("ascii"),
        setting="IAM_ENDPOINT" if settings.iam_endpoint else "DRS_REGIONS",
        service="IAM",
        region=region,
        credential=kinds[0].value if kinds else None,
    )
    http = httpx.AsyncClient(
        auth=auth,
        timeout=TIMEOUT,
        cookies=NoCookies(),  # nothing kept between requests
        verify=True,
        transport=transport
        or AiohttpTransport(max_connections=2, proxies=Proxies.from_settings(settings)),
        headers={"User-Agent": USER_AGENT},
    )
    try:
        return await discover_project(http, iam_url=iam_url, region=region, endpoint=endpoint)
    finally:
        closer = getattr(auth, "aclose", None)
        if closer is not None:
            await closer()
        if transport is None:
            await http.aclose()


async def default_region_client(regions: Regions) -> DrsClient:
    """Every region's project found now (a failure is logged and tried again on use); the
    default region's client. A default region whose project cannot be found stops the start."""
    failed = await regions.warm_up()
    default = regions.default_region
    problem = failed.get(default)
    if problem is None:
        return await regions.client(default)
    await regions.aclose()
    said = problem.user_message() if isinstance(problem, BotError) else str(problem)
    raise ConfigError(
        [
            f"DRS_REGIONS: the project of the default region {default} could not be found "
            f"through IAM ({said}). Fix the credential or IAM_ENDPOINT, or give the project as "
            f"DRS_PROJECTS={default}:PROJECT_ID."
        ]
    )


def region_urls(settings: Settings) -> dict[str, str]:
    """Each served region's DRS URL, by the setting that chose it (empty: one-region form)."""
    plan = settings.region_plan()
    if plan is None:
        return {}
    urls: dict[str, str] = {}
    for region in plan.names:
        if region in plan.endpoints:
            urls[f"DRS_ENDPOINTS {region}"] = plan.endpoints[region]
        else:
            urls[f"DRS_REGIONS {region}"] = drs_endpoint(region)
    return urls


async def default_client(
    settings: Settings, *, clock: Clock | None = None, retry: RetryPolicy | None = None
) -> DrsClient:
    """The default region's client for one-shot commands (check, template, doctor...): with
    DRS_REGIONS its project is discovered first (its DrsError raised). Close it when done."""
    regions = build_regions(settings, clock=clock, retry=retry)
    return await regions.client(regions.default_region)
