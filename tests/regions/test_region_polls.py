"""The sweep polls each job through its own region; a region not ready fails its polls only."""

from __future__ import annotations

import httpx
import pytest

from bot.clock import FakeClock
from bot.domain.watching import Outcome
from bot.drs.client import DrsClient
from bot.drs.regions import RETRY_DISCOVERY_AFTER, Regions
from bot.drs.retry import NO_RETRY
from bot.errors import DrsUnavailable
from bot.store.rows import Claim
from bot.watcher.query import query_in_region
from tests.regions.bot import JOBS, PROJECTS, simulator

FIRST, SECOND = "ap-southeast-1", "ap-southeast-2"


async def test_each_job_is_polled_in_its_region_and_a_region_not_ready_fails_alone() -> None:
    asked: list[str] = []

    async def discover(region: str) -> str:
        asked.append(region)
        raise DrsUnavailable("IAM could not be reached.")

    async with simulator(FIRST) as first:
        first.token = first.ak = first.sk = None  # open: this test is about routing
        first.iam_users = {}

        def make(region: str, project_id: str) -> DrsClient:
            return DrsClient(httpx.AsyncClient(base_url=first.url), project_id=project_id)

        regions = Regions(
            [FIRST, SECOND], make=make, projects={FIRST: PROJECTS[FIRST]}, discover=discover
        )
        try:
            # Stored before regions were named: its project says where it belongs.
            old = Claim(1, JOBS[FIRST], "", "en-us", None, 0, PROJECTS[FIRST], None)
            in_second = Claim(2, JOBS[SECOND], "", "en-us", None, 0, "", SECOND)
            ok = await query_in_region(regions, old, NO_RETRY)
            failed = await query_in_region(regions, in_second, NO_RETRY)
        finally:
            await regions.aclose()
    assert ok.outcome is Outcome.OK and ok.progress is not None
    assert first.calls == {JOBS[FIRST]: 1}
    assert failed.outcome is Outcome.UNAVAILABLE and failed.error is not None
    assert failed.error.message == "IAM could not be reached."
    assert asked == [SECOND]


async def test_a_failed_discovery_is_asked_again_only_after_a_while() -> None:
    clock = FakeClock()
    answers: list[str | Exception] = [DrsUnavailable("IAM could not be reached."), "p" * 32]

    async def discover(region: str) -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def make(region: str, project_id: str) -> DrsClient:
        raise AssertionError("no client is built here")

    regions = Regions([FIRST], make=make, discover=discover, clock=clock)
    for _ in range(2):  # the second use within the pause gets the same error, IAM not asked
        with pytest.raises(DrsUnavailable):
            await regions.project_id(FIRST)
    assert len(answers) == 1
    clock.advance(RETRY_DISCOVERY_AFTER)
    assert await regions.project_id(FIRST) == "p" * 32
