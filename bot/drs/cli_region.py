"""`--region REGION` for the one-shot commands (check, template, upload, result)."""

from __future__ import annotations

import argparse

from bot.clock import Clock
from bot.config import Settings
from bot.drs.client import DrsClient
from bot.drs.region_factory import build_regions, default_client
from bot.drs.retry import RetryPolicy
from bot.errors import UnknownRegion


def region_of(args: argparse.Namespace) -> str | None:
    """The `--region` given, lower-cased (None: not given)."""
    region = getattr(args, "region", None)
    return str(region).strip().lower() or None if region is not None else None


async def region_client(
    settings: Settings,
    region: str | None,
    *,
    clock: Clock | None = None,
    retry: RetryPolicy | None = None,
) -> DrsClient:
    """The client of `region` (its endpoint, its project: given or discovered through IAM);
    the default region's when None. `UnknownRegion` names the served ones. Close it when done."""
    if region is None:
        return await default_client(settings, clock=clock, retry=retry)
    regions = build_regions(settings, clock=clock, retry=retry)
    if not regions.known(region):
        raise UnknownRegion(region, regions.names, form="--region {}")
    return await regions.client(region)
