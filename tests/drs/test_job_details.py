"""The job details API over real HTTP: our client and the official SDK against the simulator."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdrs.v5 import DrsClient as SdkDrsClient
from huaweicloudsdkdrs.v5 import ShowJobDetailRequest, ShowJobDetailResponse
from pydantic import SecretStr

from bot.domain.details import JobDetails
from bot.drs.client import DrsClient
from bot.drs.credentials import AkSkAuth
from bot.drs.retry import NO_RETRY
from bot.drs.sim_jobs import UNKNOWN_JOB_ID, demo_jobs, parse_jobs
from bot.drs.simulator import DrsSimulator
from bot.drs.transport import AiohttpTransport
from bot.errors import CredentialsRefused, DrsUnavailable, JobNotFound

PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "DETAILSAK00000000000", "details-secret-key"
JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
JOBS = {
    "jobs": [
        {
            "job_id": JOB,
            "steps": [{"send_success": False}],
            "name": "orders-to-kafka",
            "engine_type": "mysql-to-kafka",
            "job_direction": "up",
            "status": "INCRE_TRANSFER_STARTED",
        }
    ]
}


def signed(sim: DrsSimulator, sk: str = SK) -> DrsClient:
    auth = AkSkAuth(SecretStr(AK), SecretStr(sk), project_id=PROJECT)
    http = httpx.AsyncClient(base_url=sim.url, auth=auth, transport=AiohttpTransport())
    return DrsClient(http, project_id=PROJECT, retry=NO_RETRY)


def simulator() -> DrsSimulator:
    return DrsSimulator(parse_jobs(JOBS), project_id=PROJECT, ak=AK, sk=SK)


async def test_client_reads_the_name_engines_direction_and_status_from_the_jobs_file() -> None:
    async with simulator() as sim, signed(sim) as drs:
        details = await drs.job_details(JOB)
    assert details == JobDetails(
        job_id=JOB,
        name="orders-to-kafka",
        engine_type="mysql-to-kafka",
        job_direction="up",
        status="INCRE_TRANSFER_STARTED",
    )
    asked = [r for r in sim.requests if r.path == f"/v5/{PROJECT}/jobs/{JOB}"]
    assert len(asked) == 1 and asked[0].query == {"type": "detail"}


async def test_details_errors_are_mapped_like_the_progress_query() -> None:
    async with simulator() as sim, signed(sim) as drs:
        with pytest.raises(JobNotFound):
            await drs.job_details(UNKNOWN_JOB_ID)
        sim.faults.details_down = True
        with pytest.raises(DrsUnavailable):
            await drs.job_details(JOB)
        sim.faults.details_down = False
        assert (await drs.job_details(JOB)).name == "orders-to-kafka"
    async with simulator() as sim, signed(sim, sk="wrong-secret") as drs:
        with pytest.raises(CredentialsRefused):
            await drs.job_details(JOB)


def test_details_tolerate_missing_and_odd_fields() -> None:
    assert JobDetails.from_body(JOB, {}) == JobDetails(JOB)
    odd = {"job": {"status": 3, "base_info": {"name": "  ", "engine_type": ["x"]}}}
    assert JobDetails.from_body(JOB, odd) == JobDetails(JOB, status="3")
    assert JobDetails.from_body(JOB, {"job": {"base_info": {"name": "n" * 500}}}).name == "n" * 128


def test_the_demo_jobs_have_names() -> None:
    names = [job.details.get("name") for job in demo_jobs()]
    assert names[0] == "orders-to-kafka" and all(names)


def sdk_details(url: str, job_id: str) -> ShowJobDetailResponse:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = (
        SdkDrsClient.new_builder()
        .with_credentials(BasicCredentials(AK, SK, PROJECT))
        .with_endpoints([url])
        .with_http_config(config)
        .build()
    )
    request = ShowJobDetailRequest(job_id=job_id, x_language="en-us", type="detail")
    response: ShowJobDetailResponse = client.show_job_detail(request)
    return response


async def test_official_sdk_show_job_detail_reads_the_simulator() -> None:
    async with simulator() as sim:
        response = await asyncio.to_thread(sdk_details, sim.url, JOB)
    job = response.job
    assert job.id == JOB and job.status == "INCRE_TRANSFER_STARTED"
    base = job.base_info
    assert (base.name, base.engine_type, base.job_direction) == (
        "orders-to-kafka",
        "mysql-to-kafka",
        "up",
    )
