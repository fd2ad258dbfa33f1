"""`drs-bot doctor` against the stand-ins: all pass as configured; each check fails on its fault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from bot.config import load_settings
from bot.doctor import Check, report, run_checks
from bot.drs.simulator import DrsSimulator
from bot.sandbox.harness import harness_env, stand_ins
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.scopes import BOT_SCOPES
from bot.store.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
AK, SK = "AKDOCTORACCESSKEY001", "sk-doctor-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"
IAM_USER, IAM_PASSWORD = "drs-operator", "pw-doctor"
CREDENTIALS = {
    "token": {},
    "aksk": {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK},
    "iam": {
        "DRS_AUTH_TOKEN": "",
        "IAM_USERNAME": IAM_USER,
        "IAM_PASSWORD": IAM_PASSWORD,
        "IAM_DOMAIN": "doctor-domain",
    },
}


@dataclass
class Clinic:
    simulator: DrsSimulator
    slack: SlackStandIn
    env: dict[str, str]

    async def checks(self, **env: str) -> dict[str, Check]:
        found = await run_checks(load_settings({**self.env, **env}))
        assert len({c.name for c in found}) == len(found), "one line per check"
        return {c.name: c for c in found}


@pytest.fixture
async def clinic(sqlite_url: str) -> AsyncIterator[Clinic]:
    async with stand_ins([]) as (simulator, slack):
        simulator.ak, simulator.sk = AK, SK
        simulator.iam_users = {IAM_USER: IAM_PASSWORD}
        env = harness_env(simulator, slack, sqlite_url, IAM_ENDPOINT=simulator.url)
        yield Clinic(simulator, slack, env)


def failing(checks: dict[str, Check]) -> list[str]:
    return sorted(name for name, c in checks.items() if not c.ok)


def test_the_scopes_doctor_expects_are_the_manifests() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


@pytest.mark.parametrize("kind", CREDENTIALS)
async def test_doctor_passes_against_the_stand_ins(clinic: Clinic, kind: str) -> None:
    checks = await clinic.checks(**CREDENTIALS[kind])
    assert failing(checks) == []
    assert {
        "slack token",
        "slack scopes",
        "signing secret",
        "socket mode token",
        "endpoint DRS_ENDPOINT",
        "drs credentials",
        "clock",
        "database",
    } <= checks.keys()
    assert clinic.simulator.calls == {} or all(
        job.endswith("jb00") for job in clinic.simulator.calls
    ), "only the probe job was asked for"
    lines = report(list(checks.values()), as_json=False).splitlines()
    assert len(lines) == len(checks) and all(line.startswith("ok ") for line in lines)
    assert json.loads(report(list(checks.values()), as_json=True))["ok"] is True


async def behind(clinic: Clinic) -> None:
    engine = make_engine(clinic.env["DATABASE_URL"])
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    await engine.dispose()


async def skewed(clinic: Clinic) -> None:
    clinic.simulator.date_offset = 16 * 60


async def narrow_scopes(clinic: Clinic) -> None:
    clinic.slack.scopes = ["commands", "app_mentions:read"]


async def nothing(clinic: Clinic) -> None:
    return None


Fault = Callable[[Clinic], Awaitable[None]]
CASES: list[tuple[str, Fault, dict[str, str], list[str]]] = [
    ("bad token", nothing, {"SLACK_BOT_TOKEN": "xoxb-not-the-token"}, ["slack token"]),
    ("missing scope", narrow_scopes, {}, ["slack scopes"]),
    ("no signing secret", nothing, {"SLACK_SIGNING_SECRET": ""}, ["signing secret"]),
    ("socket token shape", nothing, {"SLACK_APP_TOKEN": "xoxb-wrong"}, ["socket mode token"]),
    ("refused credentials", nothing, {"DRS_AUTH_TOKEN": "expired"}, ["drs credentials"]),
    (
        "unreachable endpoint",
        nothing,
        {"DRS_ENDPOINT": "https://drs.doctor.invalid"},
        ["clock", "drs credentials", "endpoint DRS_ENDPOINT"],
    ),
    ("schema behind", behind, {}, ["database"]),
    ("clock skew", skewed, {}, ["clock"]),
]


@pytest.mark.parametrize(
    ("fault", "env", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_doctor_fails_exactly_the_check_at_fault_and_says_how_to_fix_it(
    clinic: Clinic, fault: Fault, env: dict[str, str], expected: list[str]
) -> None:
    await fault(clinic)
    checks = await clinic.checks(**env)
    assert failing(checks) == expected
    assert all(checks[name].fix for name in expected)
    body = json.loads(report(list(checks.values()), as_json=True))
    assert body["ok"] is False
    assert {c["name"] for c in body["checks"] if not c["ok"]} == set(expected)


async def test_a_skew_within_fifteen_minutes_passes(clinic: Clinic) -> None:
    clinic.simulator.date_offset = -14 * 60
    checks = await clinic.checks()
    assert checks["clock"].ok, checks["clock"].detail
    assert 839 <= int(checks["clock"].detail.split()[0]) <= 841


def test_drs_bot_doctor_exits_1_with_json_naming_what_fails(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "DATABASE_URL": f"sqlite:///{tmp_path}/none.db"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "doctor", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    body = json.loads(done.stdout)
    names = {c["name"] for c in body["checks"] if not c["ok"]}
    assert body["ok"] is False
    assert {"slack token", "signing secret", "drs settings", "database"} <= names
