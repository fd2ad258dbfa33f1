"""`drs-bot check` run for real as a subprocess against a simulator on loopback."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain.progress import Progress
from bot.drs.checkcmd import describe, run_check
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "CHECKAK00000000000000", "check-secret-key"
STEPS = [
    {"send_success": False},
    {"send_success": True, "parsed_success_number": "1234"},
    {"send_success": True, "process_status": "success", "parsed_success_number": "1234567"},
]
_OURS = ("DRS_", "IAM_", "HUAWEICLOUD_", "SLACK_", "POLL_", "DATABASE_URL", "LOG_LEVEL")


@dataclass
class Result:
    code: int
    out: str
    err: str


def drs_bot() -> list[str]:
    script = Path(sys.executable).with_name("drs-bot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


async def run_cli(*argv: str, env: dict[str, str]) -> Result:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    proc = await asyncio.create_subprocess_exec(
        *drs_bot(),
        *argv,
        env={**base, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


def sim(**kwargs: object) -> DrsSimulator:
    return DrsSimulator(
        [SimJob(JOB, STEPS, step_seconds=0)],
        project_id=PROJECT,
        token="tok-secret",
        ak=AK,
        sk=SK,
        iam_users={"acme/ops": "iam-pw"},
        **kwargs,  # type: ignore[arg-type]
    )


def env_for(s: DrsSimulator, **extra: str) -> dict[str, str]:
    return {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT, **extra}


async def test_token_json_output() -> None:
    async with sim() as s:
        r = await run_cli("check", JOB, "--json", env=env_for(s, DRS_AUTH_TOKEN="tok-secret"))
    assert r.code == 0, r.err
    body = json.loads(r.out)
    assert body["job_id"] == JOB
    assert body["send_success"] is False
    assert body["process_status"] is None
    assert body["parsed_success_number"] is None
    assert body["phase"] == "uploading"
    assert s.requests[0].headers["X-Auth-Token"] == "tok-secret"


async def test_iam_login_scoped_to_project() -> None:
    async with sim() as s:
        env = env_for(
            s, IAM_USERNAME="ops", IAM_PASSWORD="iam-pw", IAM_DOMAIN="acme", IAM_ENDPOINT=s.url
        )
        r = await run_cli("check", JOB, env=env)
    assert r.code == 0, r.err
    assert r.out.startswith(f"{JOB}: uploading")
    [login] = s.iam_logins
    assert login["auth"]["scope"] == {"project": {"id": PROJECT}}
    assert login["auth"]["identity"]["password"]["user"] == {
        "name": "ops",
        "password": "iam-pw",
        "domain": {"name": "acme"},
    }
    assert s.requests[0].path == "/v3/auth/tokens"
    assert s.requests[1].headers["X-Auth-Token"] in s.issued_tokens


async def test_aksk_signed_with_query_string() -> None:
    async with sim() as s:
        env = env_for(s, HUAWEICLOUD_SDK_AK=AK, HUAWEICLOUD_SDK_SK=SK)
        first = await run_cli("check", JOB, "--type", "column", "--lang", "zh-cn", env=env)
        second = await run_cli("check", JOB, env=env)
    assert first.code == 0, first.err
    assert second.code == 0, second.err
    assert s.requests[0].query == {"type": "column"}
    assert s.requests[0].headers["X-Language"] == "zh-cn"
    assert s.requests[0].headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK},")
    assert "1,234 rows parsed" in second.out
    assert "upload complete" in second.out


@pytest.mark.parametrize(
    "bad",
    [
        "../" + JOB[3:],
        "%2e%2e" + JOB[6:],
        JOB + "?x=1",
        JOB[:18] + " " + JOB[19:],
        JOB[:-1],
        JOB + "0",
    ],
)
async def test_guard_refuses_before_any_request(bad: str) -> None:
    async with sim() as s:
        r = await run_cli("check", bad, env=env_for(s, DRS_AUTH_TOKEN="tok-secret"))
    assert r.code == 2
    assert "8-4-4-4-12" in r.err
    assert "Traceback" not in r.err
    assert s.requests == []


@pytest.mark.parametrize("given", [JOB.upper(), f"`{JOB}`", f"“{JOB.upper()}”"])
async def test_upper_case_and_wrapped_ids_work(given: str) -> None:
    async with sim() as s:
        r = await run_cli("check", given, "--json", env=env_for(s, DRS_AUTH_TOKEN="tok-secret"))
    assert r.code == 0, r.err
    assert json.loads(r.out)["job_id"] == JOB
    assert s.requests[0].path == f"/v5/{PROJECT}/jobs/{JOB}/db-object/template/progress"


async def test_retries_ride_out_a_500_and_a_429() -> None:
    async with sim() as s:
        s.faults.fail_next = 1
        s.faults.throttle_next = 1
        s.faults.retry_after = 1
        r = await run_cli("check", JOB, "--json", env=env_for(s, DRS_AUTH_TOKEN="tok-secret"))
    assert r.code == 0, r.err
    assert s.calls[JOB] == 3
    assert json.loads(r.out)["phase"] == "uploading"


async def test_api_errors_exit_1_without_echoing_secrets() -> None:
    async with sim() as s:
        missing = await run_cli(
            "check",
            "ffffffff-ffff-ffff-ffff-ffffffffjb99",
            env=env_for(s, DRS_AUTH_TOKEN="tok-secret"),
        )
        refused = await run_cli("check", JOB, env=env_for(s, DRS_AUTH_TOKEN="wrong-token-value"))
    assert missing.code == 1
    assert "DRS.10000010" in missing.err and "Traceback" not in missing.err
    assert refused.code == 1
    assert "APIGW.0301" in refused.err
    assert "wrong-token-value" not in refused.err + refused.out


async def test_missing_settings_exit_2_listing_every_problem() -> None:
    r = await run_cli("check", JOB, env={})
    assert r.code == 2
    assert "DRS_PROJECT_ID" in r.err and "DRS_REGION" in r.err and "no DRS credentials" in r.err
    assert "Traceback" not in r.err


async def test_watch_polls_until_finished_with_plain_lines() -> None:
    async with sim() as s:
        env = env_for(s, DRS_AUTH_TOKEN="tok-secret", POLL_INTERVAL_SECONDS="1")
        r = await run_cli("check", JOB, "--watch", env=env)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert [line.split(":")[1].split()[0] for line in lines] == [
        "uploading",
        "parsing",
        "succeeded",
    ]
    assert "1,234,567 rows parsed" in lines[-1]
    assert s.calls[JOB] == 3


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_watch_rewrites_one_live_line_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    async with sim(clock=clock) as s:
        for key in [k for k in os.environ if k.startswith(_OURS)]:
            monkeypatch.delenv(key)
        for key, value in env_for(s, DRS_AUTH_TOKEN="tok-secret").items():
            monkeypatch.setenv(key, value)
        out = Tty()
        args = argparse.Namespace(job_id=JOB, job_type=None, lang=None, json=False, watch=True)
        assert await run_check(args, clock=clock, out=out) == 0
    text = out.getvalue()
    assert text.count("\r") == 3
    assert text.endswith("\n") and text.count("\n") == 1
    assert clock.slept == [30.0, 30.0]


def test_describe_shows_unknown_status_verbatim() -> None:
    progress = Progress.from_body(
        JOB, {"send_success": True, "process_status": "pending"}, FakeClock().now()
    )
    assert describe(progress) == f"{JOB}: parsing (status pending) · upload complete"


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith(_OURS)]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


async def test_watch_keeps_going_through_an_outage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    async with sim(clock=clock) as s:
        set_env(monkeypatch, env_for(s, DRS_AUTH_TOKEN="tok-secret"))
        s.faults.fail_next = 4  # the first poll's every try fails
        out = io.StringIO()
        args = argparse.Namespace(job_id=JOB, job_type=None, lang=None, json=True, watch=True)
        assert await run_check(args, clock=clock, out=out) == 0
    assert "no answer this time" in capsys.readouterr().err
    assert [json.loads(line)["phase"] for line in out.getvalue().splitlines()] == [
        "uploading",
        "parsing",
        "succeeded",
    ]


async def test_watch_stops_with_1_when_the_job_is_deleted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    async with sim(clock=clock) as s:
        set_env(monkeypatch, env_for(s, DRS_AUTH_TOKEN="tok-secret"))
        s.remove_job(JOB)
        args = argparse.Namespace(job_id=JOB, job_type=None, lang=None, json=False, watch=True)
        assert await run_check(args, clock=clock, out=io.StringIO()) == 1
    assert "DRS.10000010" in capsys.readouterr().err
    assert s.calls[JOB] == 1


async def test_watch_exits_3_when_the_parse_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    failing = [
        {"send_success": True, "parsed_success_number": "10"},
        {"send_success": True, "process_status": "failed", "parsed_success_number": "10"},
    ]
    async with DrsSimulator([SimJob(JOB, failing, step_seconds=0)], clock=clock) as s:
        set_env(
            monkeypatch, {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT, "DRS_AUTH_TOKEN": "t"}
        )
        args = argparse.Namespace(job_id=JOB, job_type=None, lang=None, json=False, watch=True)
        out = io.StringIO()
        assert await run_check(args, clock=clock, out=out) == 3
    assert out.getvalue().splitlines()[-1].split(": ")[1].startswith("failed")


async def test_check_help_documents_the_exit_codes() -> None:
    r = await run_cli("check", "--help", env={})
    assert r.code == 0
    assert "3 with --watch: the parse failed" in " ".join(r.out.split())
