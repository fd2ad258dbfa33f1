"""The card never waits long for a job's name: a late answer is dropped, a quick one kept."""

from __future__ import annotations

import asyncio

from bot.domain.details import JobDetails
from bot.slack.naming import details_in_time

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


async def test_a_details_answer_that_never_comes_is_dropped() -> None:
    never = asyncio.Event()

    async def hangs() -> JobDetails | None:
        await never.wait()
        return JobDetails(JOB, name="late")

    task = asyncio.create_task(hangs())
    assert await details_in_time(task, wait=0.01) is None
    assert task.cancelled()


async def test_a_quick_details_answer_is_kept() -> None:
    async def quick() -> JobDetails | None:
        return JobDetails(JOB, name="orders-to-kafka")

    task = asyncio.create_task(quick())
    assert await details_in_time(task) == JobDetails(JOB, name="orders-to-kafka")
