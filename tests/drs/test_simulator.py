"""The simulator over real loopback HTTP: our client, every credential, faults, the official SDK."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdrs.v5 import DrsClient as SdkDrsClient
from huaweicloudsdkdrs.v5 import ShowDbObjectTemplateProgressRequest

from bot.clock import FakeClock
from bot.config import load_settings
from bot.domain.progress import Phase
from bot.drs.client import DrsClient
from bot.drs.factory import build_drs_client
from bot.drs.sim_jobs import SimJob, demo_jobs, load_jobs_file
from bot.drs.simulator import DrsSimulator
from bot.errors import CredentialsRefused, DrsUnavailable, JobNotFound, Throttled, UsageError

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
OTHER = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "SIMAK0000000000000000", "simsecret-key-value"
STEPS = [
    {"send_success": False},
    {"send_success": True, "parsed_success_number": "120"},
    {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
]


def client_for(sim: DrsSimulator, clock: FakeClock | None = None, **env: str) -> DrsClient:
    base = {"DRS_ENDPOINT": sim.url, "DRS_PROJECT_ID": PROJECT}
    return build_drs_client(load_settings({**base, **env}), clock=clock)


async def test_steps_follow_the_injected_clock() -> None:
    clock = FakeClock()
    async with (
        DrsSimulator(
            [SimJob(JOB, STEPS, step_seconds=5)], project_id=PROJECT, token="t", clock=clock
        ) as sim,
        client_for(sim, DRS_AUTH_TOKEN="t") as client,
    ):
        assert (await client.query(JOB)).phase is Phase.UPLOADING
        clock.advance(4.9)
        assert (await client.query(JOB)).phase is Phase.UPLOADING
        clock.advance(0.2)
        progress = await client.query(JOB)
        assert (progress.phase, progress.parsed_success_number) == (Phase.PARSING, 120)
        clock.advance(500)
        assert (await client.query(JOB)).phase is Phase.SUCCEEDED
        assert (await client.query(JOB)).parsed_success_number == 500  # holds the last
    assert sim.calls[JOB] == 5
    assert sim.requests[0].headers["X-Auth-Token"] == "t"


async def test_accepts_token_signature_and_iam_login_at_once() -> None:
    async with DrsSimulator(
        [SimJob(JOB, STEPS)],
        project_id=PROJECT,
        token="tok",
        ak=AK,
        sk=SK,
        iam_users={"acme/ops": "pw"},
    ) as sim:
        for env in (
            {"DRS_AUTH_TOKEN": "tok"},
            {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK},
            {
                "IAM_USERNAME": "ops",
                "IAM_PASSWORD": "pw",
                "IAM_DOMAIN": "acme",
                "IAM_ENDPOINT": sim.url,
            },
        ):
            async with client_for(sim, **env) as client:
                assert (await client.query(JOB, job_type="column", offset=0, limit=5)).job_id == JOB
        assert sim.iam_logins[0]["auth"]["scope"] == {"project": {"id": PROJECT}}
        for env in (
            {"DRS_AUTH_TOKEN": "wrong"},
            {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "wrong-secret"},
            {"HUAWEICLOUD_SDK_AK": "OTHERAK", "HUAWEICLOUD_SDK_SK": SK},
        ):
            async with client_for(sim, **env) as client:
                with pytest.raises(CredentialsRefused) as info:
                    await client.query(JOB)
                assert (info.value.status, info.value.code) == (401, "APIGW.0301")
        async with client_for(
            sim, IAM_USERNAME="ops", IAM_PASSWORD="bad", IAM_DOMAIN="acme", IAM_ENDPOINT=sim.url
        ) as client:
            with pytest.raises(CredentialsRefused, match=r"IAM (said|refused)"):
                await client.query(JOB)


async def test_no_credentials_configured_accepts_anything() -> None:
    async with (
        DrsSimulator([SimJob(JOB, STEPS)]) as sim,
        client_for(sim, DRS_AUTH_TOKEN="anything") as client,
    ):
        assert (await client.query(JOB)).phase is Phase.UPLOADING


async def test_wrong_project_unknown_and_removed_jobs() -> None:
    async with DrsSimulator([SimJob(JOB, STEPS), SimJob(OTHER, STEPS)], project_id=PROJECT) as sim:
        http = httpx.AsyncClient(base_url=sim.url)
        async with DrsClient(http, project_id="f" * 32) as wrong:
            with pytest.raises(CredentialsRefused) as refused:
                await wrong.query(JOB)
        assert (refused.value.status, refused.value.code) == (403, "DRS.M00261")
        async with client_for(sim, DRS_AUTH_TOKEN="x") as client:
            with pytest.raises(JobNotFound) as missing:
                await client.query("ffffffff-ffff-ffff-ffff-ffffffffjb99")
            assert missing.value.status == 400
            assert missing.value.code == "DRS.10000010"
            assert missing.value.request_id
            await client.query(OTHER)
            sim.remove_job(OTHER)
            with pytest.raises(JobNotFound):
                await client.query(OTHER)


async def test_faults_are_ridden_out_by_retries() -> None:
    clock = FakeClock()  # the retries' waits are recorded, not slept
    async with (
        DrsSimulator([SimJob(JOB, STEPS)]) as sim,
        client_for(sim, clock, DRS_AUTH_TOKEN="x") as client,
    ):
        sim.faults.fail_next = 1
        sim.faults.throttle_next = 1
        sim.faults.garbage_next = 1
        sim.faults.retry_after = 0.01
        assert (await client.query(JOB)).job_id == JOB
        assert sim.calls[JOB] == 4
        assert sim.faults.fired == {"throttle_next": 1, "fail_next": 1, "garbage_next": 1}
        assert 0.01 in clock.slept
        sim.faults.unauthorized_next = 1
        with pytest.raises(CredentialsRefused):
            await client.query(JOB)
        sim.faults.fail_next = 10
        with pytest.raises(DrsUnavailable):
            await client.query(JOB)
        sim.faults.fail_next = 0
        sim.faults.throttle_next = 10
        with pytest.raises(Throttled):
            await client.query(JOB)


async def test_latency_fault_delays_answers() -> None:
    async with DrsSimulator([SimJob(JOB, STEPS)]) as sim:
        sim.faults.latency = 0.2
        async with client_for(sim, DRS_AUTH_TOKEN="x") as client:
            loop = asyncio.get_running_loop()
            started = loop.time()
            await client.query(JOB)
            assert loop.time() - started >= 0.2


def sdk_query(url: str, ak: str, sk: str, job_id: str) -> object:
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = False
    config.retry_times = 0
    client = (
        SdkDrsClient.new_builder()
        .with_credentials(BasicCredentials(ak, sk, PROJECT))
        .with_endpoints([url])
        .with_http_config(config)
        .build()
    )
    request = ShowDbObjectTemplateProgressRequest(
        job_id=job_id, x_language="en-us", offset=0, limit=10, type="column"
    )
    return client.show_db_object_template_progress(request)


async def test_official_sdk_reads_the_simulator() -> None:
    clock = FakeClock()
    async with DrsSimulator(
        [SimJob(JOB, STEPS, step_seconds=0)], project_id=PROJECT, ak=AK, sk=SK, clock=clock
    ) as sim:
        first = await asyncio.to_thread(sdk_query, sim.url, AK, SK, JOB)
        second = await asyncio.to_thread(sdk_query, sim.url, AK, SK, JOB)
        assert first.send_success is False  # type: ignore[attr-defined]
        assert second.send_success is True  # type: ignore[attr-defined]
        assert second.parsed_success_number == "120"  # type: ignore[attr-defined]
        signed = sim.requests[0]
        assert signed.query == {"offset": "0", "limit": "10", "type": "column"}
        assert signed.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK},")

        with pytest.raises(ClientRequestException) as missing:
            await asyncio.to_thread(sdk_query, sim.url, AK, SK, OTHER)
        assert missing.value.status_code == 400
        assert missing.value.error_code == "DRS.10000010"

        with pytest.raises(ClientRequestException) as refused:
            await asyncio.to_thread(sdk_query, sim.url, AK, "not-the-secret", JOB)
        assert refused.value.status_code == 401
        assert refused.value.error_code == "APIGW.0301"


def test_demo_jobs_are_valid_and_varied() -> None:
    jobs = demo_jobs()
    finals = {j.steps[-1].get("process_status") for j in jobs}
    assert finals == {"success", "failed"}
    assert len({j.job_id for j in jobs}) == 3


def test_jobs_file_loads_contract_format(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(
        json.dumps({"jobs": [{"job_id": JOB.upper(), "step_seconds": 2, "steps": STEPS}]})
    )
    [job] = load_jobs_file(path)
    assert (job.job_id, job.step_seconds, job.steps) == (JOB, 2.0, STEPS)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not json", "is not JSON"),
        ('{"jobs": {}}', '"jobs" list'),
        ('{"jobs": [{"job_id": "../x", "steps": [{}]}]}', "jobs[0].job_id"),
        (json.dumps({"jobs": [{"job_id": JOB, "steps": []}]}), "non-empty"),
        (json.dumps({"jobs": [{"job_id": JOB, "steps": [{}], "step_seconds": -1}]}), ">= 0"),
        (json.dumps({"jobs": [{"job_id": JOB, "steps": [{}]}] * 2}), "twice"),
    ],
)
def test_bad_jobs_files_say_what_is_wrong(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(content)
    with pytest.raises(UsageError) as info:
        load_jobs_file(path)
    assert fragment in str(info.value)
    assert "Expected JSON like" in str(info.value)
    with pytest.raises(UsageError, match="cannot be read"):
        load_jobs_file(tmp_path / "missing.json")
