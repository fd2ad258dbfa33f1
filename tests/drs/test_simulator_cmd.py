"""`drs-bot simulator` as a real process (URL, jobs, env credentials, faults); strict jobs files."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from bot.drs.sim_jobs import demo_jobs, parse_jobs_spec
from bot.errors import UsageError

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
OTHER = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
_OURS = ("DRS_", "IAM_", "HUAWEICLOUD_", "SLACK_")


def command(*argv: str) -> list[str]:
    script = Path(sys.executable).with_name("drs-bot")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    return [*base, *argv]


def clean_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(_OURS)}, **extra}


async def start(*argv: str, env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        *command("simulator", "--port", "0", *argv),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), timeout=30)).decode()
    assert "listening on http://127.0.0.1:" in line, line
    return proc, line.rsplit(" ", 1)[1].strip()


async def stop(proc: asyncio.subprocess.Process) -> int:
    proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), timeout=30)


async def test_serves_demo_jobs_and_checks_the_token() -> None:
    proc, url = await start(env=clean_env(DRS_AUTH_TOKEN="sim-tok", DRS_PROJECT_ID=PROJECT))
    try:
        path = f"/v5/{PROJECT}/jobs/{demo_jobs()[0].job_id}/db-object/template/progress"
        async with httpx.AsyncClient(base_url=url) as http:
            ok = await http.get(path, headers={"X-Auth-Token": "sim-tok"})
            refused = await http.get(path, headers={"X-Auth-Token": "nope"})
            other = await http.get(
                path.replace(PROJECT, "0" * 32), headers={"X-Auth-Token": "sim-tok"}
            )
        assert ok.status_code == 200 and ok.json() == {"send_success": False}
        assert refused.status_code == 401 and refused.json()["error_code"] == "APIGW.0301"
        assert other.status_code == 403 and other.json()["error_code"] == "DRS.M00261"
    finally:
        assert await stop(proc) == 0


async def test_jobs_file_replaces_demo_jobs(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps({"jobs": [{"job_id": JOB, "steps": [{"process_status": "x"}]}]}))
    proc, url = await start("--jobs", str(jobs), env=clean_env())
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            mine = await http.get(f"/v5/{PROJECT}/jobs/{JOB}/db-object/template/progress")
            demo = await http.get(
                f"/v5/{PROJECT}/jobs/{demo_jobs()[1].job_id}/db-object/template/progress"
            )
        assert mine.json() == {"process_status": "x"}
        assert demo.status_code == 400
        assert demo.json() == {
            "error_code": "DRS.10000010",
            "error_msg": "Job does not exist, please check job ID.",
        }
    finally:
        await stop(proc)


async def test_bad_jobs_file_exits_2_with_the_format(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    jobs.write_text("{nope")
    proc = await asyncio.create_subprocess_exec(
        *command("simulator", "--port", "0", "--jobs", str(jobs)),
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    assert b"is not JSON" in err and b"Expected JSON like" in err
    assert b"Traceback" not in err


async def test_logs_each_request_at_debug_and_answers_a_bad_token_with_a_token_error() -> None:
    env = clean_env(DRS_AUTH_TOKEN="sim-tok", DRS_PROJECT_ID=PROJECT, LOG_LEVEL="DEBUG")
    proc, url = await start(env=env)
    path = f"/v5/{PROJECT}/jobs/{demo_jobs()[0].job_id}/db-object/template/progress"
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            refused = await http.get(path, params={"limit": "5"}, headers={"X-Auth-Token": "x"})
        assert refused.status_code == 401
        assert "token" in refused.json()["error_msg"]
    finally:
        assert await stop(proc) == 0
    assert proc.stderr is not None
    logged = (await proc.stderr.read()).decode()
    assert f"DEBUG bot.drs.simulator: GET {path}?limit=5" in logged
    assert "sim-tok" not in logged


def job(**extra: object) -> dict[str, object]:
    return {"job_id": JOB, "steps": [{"send_success": False}], **extra}


@pytest.mark.parametrize(
    ("document", "names"),
    [
        ({"jobs": [job(), job(job_id=OTHER, stepseconds=5)]}, "jobs[1].stepseconds is not a known"),
        ({"jobs": [job(step_seconds="5")]}, 'jobs[0].step_seconds must be a number >= 0, not "5"'),
        ({"jobs": [job(step_seconds=True)]}, "jobs[0].step_seconds must be a number >= 0"),
        ({"jobs": [job(name=7)]}, "jobs[0].name must be a string, not 7"),
        ({"jobs": [job(steps={"send_success": True})]}, "jobs[0].steps must be a non-empty list"),
        ({"jobs": [job()], "fault": {}}, "fault is not a known key (known at the top level: jobs"),
        ({"jobs": [job()], "faults": {"down": "yes"}}, "faults.down must be true or false"),
        ({"jobs": [job()], "faults": {"fail_next": 1.5}}, "faults.fail_next must be a whole"),
        ({"jobs": [job()], "faults": {"offline": True}}, "faults.offline is not a known key"),
        ({"jobs": ["x"]}, "jobs[0] must be a JSON object"),
    ],
)
def test_jobs_file_refuses_unknown_keys_and_wrong_types(
    document: dict[str, object], names: str
) -> None:
    with pytest.raises(UsageError) as info:
        parse_jobs_spec(document, "jobs.json")
    assert names in str(info.value)


def test_jobs_file_keeps_the_contract_keys_and_reads_faults() -> None:
    details = {"name": "orders", "engine_type": "mysql", "job_direction": "up", "status": "x"}
    spec = parse_jobs_spec(
        {"jobs": [job(step_seconds=0, project_id=PROJECT, **details)], "faults": {"fail_next": 2}}
    )
    assert spec.jobs[0].details == {**details, "project_id": PROJECT}
    assert spec.jobs[0].step_seconds == 0.0
    assert (spec.faults.fail_next, spec.faults.down) == (2, False)
    assert parse_jobs_spec([job()]).jobs[0].job_id == JOB  # a bare list is still a jobs file


async def test_unknown_key_in_jobs_file_exits_2_naming_it(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps({"jobs": [job(step_second=1)]}))
    proc = await asyncio.create_subprocess_exec(
        *command("simulator", "--port", "0", "--jobs", str(jobs)),
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    assert b"jobs[0].step_second is not a known key" in err and b"step_seconds" in err
    assert b"Traceback" not in err


async def test_jobs_file_faults_make_the_simulator_fail(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps({"jobs": [job()], "faults": {"fail_next": 1, "down": False}}))
    proc, url = await start("--jobs", str(jobs), env=clean_env())
    path = f"/v5/{PROJECT}/jobs/{JOB}/db-object/template/progress"
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            first, second = await http.get(path), await http.get(path)
        assert first.status_code == 500 and first.json()["error_code"] == "DRS.10000001"
        assert second.status_code == 200
    finally:
        await stop(proc)

    jobs.write_text(json.dumps({"jobs": [job()], "faults": {"refuse_credentials": True}}))
    proc, url = await start("--jobs", str(jobs), env=clean_env())
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            refused = await http.get(path)
        assert refused.status_code == 401 and refused.json()["error_code"] == "APIGW.0301"
    finally:
        await stop(proc)
