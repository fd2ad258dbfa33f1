"""Which region knows a job: the preferred region first, then the others concurrently."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.domain.progress import Progress
from bot.drs.regions import Regions
from bot.drs.retry import RetryPolicy
from bot.errors import DrsError, JobNotFound, JobNotInAnyRegion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """The region that knows the job, and the progress it gave."""

    region: str
    progress: Progress


Answer = tuple[str, Found | DrsError]


async def _ask(
    regions: Regions,
    region: str,
    job_id: str,
    *,
    job_type: str | None,
    language: str | None,
    retry: RetryPolicy | None,
) -> Answer:
    """One region's answer: the job's progress, or the DrsError of that region only."""
    try:
        drs = await regions.client(region)  # may ask IAM for the region's project first
        progress = await drs.query(job_id, job_type=job_type, language=language, retry=retry)
    except DrsError as exc:
        if not isinstance(exc, JobNotFound):
            log.info("region %s could not be asked about %s: %s", region, job_id, exc.describe())
        return region, exc
    return region, Found(region, progress)


async def locate(
    regions: Regions,
    job_id: str,
    *,
    preferred: str | None = None,
    job_type: str | None = None,
    language: str | None = None,
    retry: RetryPolicy | None = None,
) -> Found:
    """Ask `preferred` (else the default region) first, then every other region at once; the
    first that knows the job wins. `JobNotInAnyRegion` names the regions asked and each one's
    failure when none knows it; one region's failure never stops the others from answering."""
    first = preferred if preferred and regions.known(preferred) else regions.default_region

    async def ask(name: str) -> Answer:
        return await _ask(regions, name, job_id, job_type=job_type, language=language, retry=retry)

    failures: dict[str, DrsError] = {}
    region, answer = await ask(first)
    if isinstance(answer, Found):
        return answer
    if not isinstance(answer, JobNotFound):
        failures[region] = answer
    others = regions.others(first)
    tasks = [asyncio.create_task(ask(name)) for name in others]
    try:
        for done in asyncio.as_completed(tasks):
            region, answer = await done
            if isinstance(answer, Found):
                return answer
            if not isinstance(answer, JobNotFound):
                failures[region] = answer
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    raise JobNotInAnyRegion(job_id, asked=[first, *others], failures=failures)
