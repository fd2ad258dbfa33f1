"""Every region the bot serves: a DRS and a template client each, project IDs found once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.clock import Clock, SystemClock
from bot.drs.client import DrsClient
from bot.drs.factory import build_template_client
from bot.drs.templates import TemplateClient
from bot.errors import DrsError

log = logging.getLogger(__name__)

# A region whose project IAM could not give is not asked again sooner than this (seconds):
# every poll of its jobs would otherwise ask IAM once more.
RETRY_DISCOVERY_AFTER = 30.0

# (region, project ID) -> the region's client; region -> its project ID, asked of IAM.
MakeClient = Callable[[str, str], DrsClient]
Discover = Callable[[str], Awaitable[str]]


class Regions:
    """The regions of one process. The first name is the default region.

    A region's project ID is given (DRS_PROJECTS, DRS_PROJECT_ID) or discovered through IAM on
    first use and cached; a failed discovery raises its DrsError for that region only and is
    tried again on a use RETRY_DISCOVERY_AFTER seconds later, so one region's trouble never
    stops the others.
    """

    def __init__(
        self,
        names: Sequence[str],
        *,
        make: MakeClient,
        projects: Mapping[str, str] | None = None,
        discover: Discover | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not names:
            raise ValueError("at least one region")
        self.names: tuple[str, ...] = tuple(names)
        self._make = make
        self._discover = discover
        self._projects: dict[str, str] = dict(projects or {})
        self._clients: dict[str, DrsClient] = {}
        self._templates: dict[str, TemplateClient] = {}
        self._locks = {name: asyncio.Lock() for name in self.names}
        self._clock: Clock = clock or SystemClock()
        self._failed: dict[str, tuple[float, DrsError]] = {}  # region -> (when, why)
        # Several regions configured: jobs are looked up across them and cards name theirs.
        self.several = len(self.names) > 1

    @property
    def default_region(self) -> str:
        return self.names[0]

    def known(self, region: str) -> bool:
        return region in self._locks

    def others(self, region: str) -> list[str]:
        return [name for name in self.names if name != region]

    def region_of(self, project_id: str) -> str | None:
        """The region whose (known) project this is."""
        for name, project in self._projects.items():
            if project == project_id:
                return name
        return None

    def job_region(self, region: str | None, project_id: str) -> str:
        """A stored job's region: its own if served, else its project's, else the default."""
        if region and region in self._locks:
            return region
        return self.region_of(project_id) or self.default_region

    async def client_for_job(self, region: str | None, project_id: str) -> DrsClient:
        """The client of a stored job's region (see `job_region`)."""
        return await self.client(self.job_region(region, project_id))

    def ready(self, region: str) -> DrsClient | None:
        """The region's client if it is built already (never asks IAM)."""
        return self._clients.get(region)

    async def project_id(self, region: str) -> str:
        """The region's project ID: given, or discovered through IAM once (DrsError if not)."""
        self._check(region)
        found = self._projects.get(region)
        if found is not None:
            return found
        async with self._locks[region]:
            found = self._projects.get(region)
            if found is None:
                found = self._projects[region] = await self._discovered(region)
        return found

    async def _discovered(self, region: str) -> str:
        if self._discover is None:
            raise ValueError(f"no project ID for region {region} and no discovery")
        failed = self._failed.get(region)
        if failed is not None and self._clock.monotonic() - failed[0] < RETRY_DISCOVERY_AFTER:
            raise failed[1]
        try:
            return await self._discover(region)
        except DrsError as exc:
            self._failed[region] = (self._clock.monotonic(), exc)
            raise

    async def client(self, region: str) -> DrsClient:
        """The region's DRS client (built on first use, after its project ID is known)."""
        made = self._clients.get(region)
        if made is None:
            project = await self.project_id(region)
            made = self._clients.get(region)
            if made is None:
                made = self._clients[region] = self._make(region, project)
        return made

    async def templates(self, region: str) -> TemplateClient:
        """The region's template client, over the same httpx client as its DRS client."""
        made = self._templates.get(region)
        if made is None:
            drs = await self.client(region)
            made = self._templates[region] = build_template_client(drs)
        return made

    async def warm_up(self) -> dict[str, Exception]:
        """Find every region's project now, concurrently; what failed, by region (logged)."""
        results = await asyncio.gather(
            *(self.client(name) for name in self.names), return_exceptions=True
        )
        failed: dict[str, Exception] = {}
        for name, result in zip(self.names, results, strict=True):
            if isinstance(result, Exception):
                failed[name] = result
                log.warning("region %s is not ready yet: %s", name, result)
            elif isinstance(result, BaseException):
                raise result
        return failed

    def _check(self, region: str) -> None:
        if region not in self._locks:
            raise KeyError(f"region {region!r} is not served (served: {', '.join(self.names)})")

    async def aclose(self) -> None:
        for made in self._clients.values():
            await made.aclose()
        self._clients.clear()
        self._templates.clear()
