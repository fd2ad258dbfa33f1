"""The policy's life in a process: broken at start, reloaded on SIGHUP and at an interval, groups.

A broken file at start stops `drs-bot serve` (a real subprocess) naming the file and line; a
broken reload keeps the last good policy and logs why; user groups come from Slack's
`usergroups.users.list` (the stand-in, through slack_sdk), and a group Slack will not tell
never turns a deny into an allow.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.access.gate import AccessGate
from bot.access.reload import PolicyReloader
from bot.access.rules import AccessRequest, Action
from bot.clock import FakeClock
from bot.config import load_settings
from bot.doctor import policy_check
from bot.sandbox.harness import SIGNING_SECRET, harness_env, stand_ins
from bot.sandbox.slack_payloads import SlackSender, slash_command_body
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.usergroups import usergroup_members
from tests.test_serve import clean_env, free_port, serve_process, wait_healthy

DRS_BOT = str(Path(sys.executable).with_name("drs-bot"))
GOOD = '[[rules]]\nname = "allow-all"\neffect = "allow"\n'
OTHER = '[[rules]]\nname = "deny-all"\neffect = "deny"\n'
BROKEN = '[[rules]]\nname = "half"\neffect = "allow"\nactions = ["watch", "stop-all"]\n'
STOP_ALL = AccessRequest(team="T0SANDBOX", channel="C1", user="U0OPS", action=Action.STOP_ALL)


async def test_serve_with_a_broken_policy_stops_naming_the_file_and_line(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(GOOD + '\n[[rules]]\nname = "x"\neffect = "allow"\nchanels = ["C1"]\n')
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-not-used",
        SLACK_SIGNING_SECRET="not-used",
        DRS_ENDPOINT="http://127.0.0.1:9",
        DRS_PROJECT_ID="0123456789abcdef0123456789abcdef",
        DRS_AUTH_TOKEN="not-used",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        ACCESS_POLICY=str(policy),
    )
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT,
        "serve",
        env=env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode != 0
    assert f"ACCESS_POLICY: {policy}, line 8: unknown key 'chanels'" in out.decode()
    assert not (tmp_path / "bot.sqlite3").exists()  # stopped before touching anything


@pytest.fixture
def sighup_guard() -> Iterator[None]:
    """Should the handler not be installed, a stray SIGHUP must not end the test run."""
    previous = signal.signal(signal.SIGHUP, lambda *_: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


async def sighup(reloader: PolicyReloader) -> None:
    reloader.reloaded.clear()
    os.kill(os.getpid(), signal.SIGHUP)
    await asyncio.wait_for(reloader.reloaded.wait(), 10)


async def test_sighup_reloads_and_a_broken_file_keeps_the_last_good_policy(
    tmp_path: Path, sighup_guard: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(GOOD)
    gate = AccessGate.from_file(path)
    reloader = PolicyReloader(gate, every=0)  # SIGHUP only
    reloader.start()
    try:
        path.write_text(BROKEN)
        with caplog.at_level(logging.ERROR, logger="bot.access"):
            await sighup(reloader)
        assert (await gate.check(STOP_ALL)).rule == "allow-all"
        assert f"{path}, line 4: unknown action 'stop-all'" in caplog.text
        assert "keeping the last good one" in caplog.text
        path.write_text(OTHER)
        await sighup(reloader)
        decision = await gate.check(STOP_ALL)
        assert (decision.allowed, decision.rule) == (False, "deny-all")
    finally:
        await reloader.stop()


async def test_the_interval_reloads_only_a_changed_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(GOOD)
    gate = AccessGate.from_file(path)
    reloader = PolicyReloader(gate, every=0.01)
    with caplog.at_level(logging.INFO, logger="bot.access"):
        reloader.start()
        try:
            for _ in range(3):  # unchanged: read, not reloaded
                reloader.reloaded.clear()
                await asyncio.wait_for(reloader.reloaded.wait(), 10)
            assert "reloaded" not in caplog.text
            path.write_text(OTHER)
            while (await gate.check(STOP_ALL)).rule != "deny-all":
                reloader.reloaded.clear()
                await asyncio.wait_for(reloader.reloaded.wait(), 10)
            path.unlink()  # a file gone keeps the policy too
            reloader.reloaded.clear()
            await asyncio.wait_for(reloader.reloaded.wait(), 10)
        finally:
            await reloader.stop()
    assert caplog.text.count("access policy reloaded") == 1
    assert "cannot read it" in caplog.text
    assert (await gate.check(STOP_ALL)).rule == "deny-all"


GROUPS = """\
[[rules]]
name = "ops-may-stop-all"
effect = "allow"
usergroups = ["S0OPS"]
actions = ["stop_all"]

[[rules]]
name = "blocked"
effect = "deny"
usergroups = ["S0BLOCKED"]

[[rules]]
name = "rest"
effect = "allow"
"""


async def test_user_groups_come_from_slack_and_an_unknown_group_never_allows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(GROUPS)
    clock = FakeClock()
    async with SlackStandIn(bot_token="xoxb-t", clock=clock) as slack:
        slack.usergroups["S0OPS"] = ["U0OPS"]
        slack.usergroups["S0BLOCKED"] = ["U0BAD"]
        gate = AccessGate.from_file(path, clock=clock)
        gate.members = usergroup_members(AsyncWebClient(token="xoxb-t", base_url=slack.api_url))
        assert (await gate.check(STOP_ALL)).rule == "ops-may-stop-all"
        bad = AccessRequest(team="T0SANDBOX", channel="C1", user="U0BAD", action=Action.STATUS)
        assert (await gate.check(bad)).rule == "blocked"
        slack.scopes.remove("usergroups:read")  # Slack now refuses: missing_scope
        slack.usergroups["S0OPS"] = []
        assert (await gate.check(STOP_ALL)).rule == "ops-may-stop-all"  # cached for 5 minutes
        clock.advance(360)
        for user, rule in (("U0OPS", "blocked"), ("U0BAD", "blocked")):
            who = AccessRequest(team="T0SANDBOX", channel="C1", user=user, action=Action.STATUS)
            decision = await gate.check(who)  # S0BLOCKED unknown: its deny rule applies
            assert (decision.allowed, decision.rule) == (False, rule)
        # stop_all: the allow rule cannot be confirmed and is skipped; "blocked" denies
        assert (await gate.check(STOP_ALL)).allowed is False
        assert [c.ok for c in slack.calls_to("usergroups.users.list")][-1] is False


async def test_doctor_names_the_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(BROKEN)
    check = await policy_check(load_settings({"ACCESS_POLICY": str(path)}))
    assert not check.ok and f"{path}, line 4" in check.detail
    path.write_text(GOOD)
    check = await policy_check(load_settings({"ACCESS_POLICY": str(path)}))
    assert check.ok and "1 rules" in check.detail


DENY_LIST = '[[rules]]\nname = "no-listing"\neffect = "deny"\nactions = ["list"]\n' + GOOD


async def test_serve_reloads_on_sighup_and_keeps_the_last_good_policy(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(GOOD)
    async with stand_ins([]) as (simulator, slack):
        port = free_port()
        database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        env = clean_env(
            **harness_env(simulator, slack, database),
            PORT=str(port),
            ACCESS_POLICY=str(policy),
            ACCESS_POLICY_RELOAD_SECONDS="0",  # SIGHUP only: nothing else reloads it
        )
        url = f"http://127.0.0.1:{port}"
        async with serve_process(env, tmp_path) as proc, SlackSender(SIGNING_SECRET) as sender:
            await wait_healthy(url, proc, tmp_path)

            async def listed() -> str:
                before = len(slack.ephemerals())
                body = slash_command_body(text="list", response_url=slack.new_response_url())
                assert (await sender.send(f"{url}/slack/events", body)).status_code == 200
                await slack.wait_for(lambda: len(slack.ephemerals()) > before)
                return slack.ephemerals()[-1].text

            assert "You may not" not in await listed()
            policy.write_text(DENY_LIST)
            proc.send_signal(signal.SIGHUP)
            await logged(tmp_path, "access policy reloaded")
            assert "no-listing" in await listed()
            policy.write_text(BROKEN)
            proc.send_signal(signal.SIGHUP)
            await logged(tmp_path, f"{policy}, line 4: unknown action 'stop-all'")
            assert "no-listing" in await listed()  # the last good policy still holds
            assert proc.returncode is None


async def logged(cwd: Path, text: str) -> None:
    """Wait until serve's log holds `text` (it writes the log as it goes)."""
    for _ in range(400):
        if text in (cwd / "serve.log").read_text():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"not logged: {text}\n" + (cwd / "serve.log").read_text())
