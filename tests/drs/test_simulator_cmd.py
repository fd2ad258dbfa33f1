"""`drs-bot simulator` as a real process: prints its URL, serves jobs, takes env credentials."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import httpx

from bot.drs.sim_jobs import demo_jobs

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
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
