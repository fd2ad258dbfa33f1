"""`drs-bot serve` in Socket Mode (SLACK_APP_TOKEN set): envelopes over a websocket, acks back."""

from __future__ import annotations

import asyncio
import signal
from asyncio.subprocess import Process
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.proxy import Proxies
from bot.sandbox.harness import harness, harness_env, stand_ins
from bot.sandbox.slack_standin import SlackStandIn
from bot.sandbox.socket_standin import SocketModeStandIn
from bot.slack.app import build_app
from bot.slack.socket_mode import Backoff, SocketLink
from tests.test_serve import JOB, cards, clean_env, free_port, serve_process, wait_healthy


def slash(slack: SlackStandIn, text: str) -> dict[str, Any]:
    return {
        "command": "/drs-progress",
        "text": text,
        "team_id": "T0SANDBOX",
        "channel_id": "C0SANDBOX",
        "user_id": "U0USER",
        "response_url": slack.new_response_url(),
        "trigger_id": "1.2.sandbox",
    }


async def test_serve_in_socket_mode_answers_commands_and_posts_cards(tmp_path: Path) -> None:
    job = SimJob(JOB, [{"send_success": True, "parsed_success_number": "1234"}], step_seconds=60)
    async with stand_ins([job]) as (simulator, slack), SocketModeStandIn(slack) as socket:
        port = free_port()
        env = clean_env(
            **harness_env(simulator, slack, f"sqlite:///{tmp_path / 'bot.sqlite3'}"),
            SLACK_APP_TOKEN=socket.app_token,
            PORT=str(port),
        )
        env.pop("SLACK_SIGNING_SECRET")  # Socket Mode needs none
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            await socket.wait_connected()
            usage = await socket.send("slash_commands", slash(slack, "help"))
            assert "/drs-progress status" in str(usage.get("blocks"))
            checking = await socket.send("slash_commands", slash(slack, JOB))
            assert "Checking" in str(checking.get("text"))
            await slack.wait_for(lambda: len(cards(slack)) == 1, timeout=15)
        assert socket.opened >= 1
        assert cards(slack)[0].text == "DRS c7debc9c…jb20r: parsing, 1,234 rows"
        log = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in log and socket.app_token not in log


async def healthz(port: int) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def wait_for_log(cwd: Path, proc: Process, seen: Callable[[str], bool]) -> str:
    for _ in range(600):
        text = (cwd / "serve.log").read_text()
        if seen(text):
            return text
        if proc.returncode is not None:
            break
        await asyncio.sleep(0.1)
    raise AssertionError("not in the log: " + (cwd / "serve.log").read_text())


async def interrupt(proc: Process) -> int:
    """Ctrl-C: SIGINT, then the exit code."""
    proc.send_signal(signal.SIGINT)
    return await asyncio.wait_for(proc.wait(), 30)


def socket_env(tmp_path: Path, simulator: DrsSimulator, slack: SlackStandIn, **extra: str) -> dict:
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    env = clean_env(**{**harness_env(simulator, slack, database), **extra})
    env["SLACK_APP_TOKEN"] = "xapp-1-sandbox"
    env.pop("SLACK_SIGNING_SECRET")
    return env


async def test_socket_mode_serves_healthz_and_watches_while_slack_is_unreachable(
    tmp_path: Path,
) -> None:
    async with stand_ins([]) as (simulator, slack):
        port = free_port()
        nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
        env = socket_env(tmp_path, simulator, slack, PORT=str(port), SLACK_API_URL=nowhere)
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            body = await healthz(port)
            assert (body["slack"], body["watcher"]) == ("connecting", "on")
            failed = "Socket Mode: cannot reach 127.0.0.1"
            await wait_for_log(tmp_path, bot, lambda text: text.count(failed) >= 2)
            assert "watcher started" in (tmp_path / "serve.log").read_text()
            assert await interrupt(bot) == 130
    log = (tmp_path / "serve.log").read_text()
    failures = [line for line in log.splitlines() if failed in line]
    assert all("check SLACK_API_URL" in line and "retrying in" in line for line in failures)
    assert "Socket Mode connected" not in log
    assert "SLACK_BOT_TOKEN" not in log, "a network failure is not a token problem"
    assert "Traceback" not in log and "Unclosed" not in log


async def test_socket_mode_retries_a_refused_websocket_with_backoff_then_answers(
    tmp_path: Path,
) -> None:
    async with (
        stand_ins([]) as (simulator, slack),
        SocketModeStandIn(slack, refuse=2) as socket,
    ):
        port = free_port()
        env = socket_env(tmp_path, simulator, slack, PORT=str(port))
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            await socket.wait_connected(timeout=60)
            await wait_for_log(tmp_path, bot, lambda text: "Socket Mode connected" in text)
            assert (await healthz(port))["slack"] == "connected"
            usage = await socket.send("slash_commands", slash(slack, "help"))
            assert "/drs-progress status" in str(usage.get("blocks"))
            assert await interrupt(bot) == 130
    assert (socket.refused, socket.opened) == (2, 3)
    log = (tmp_path / "serve.log").read_text()
    refused = [line for line in log.splitlines() if "Socket Mode: Slack refused" in line]
    assert len(refused) == 2, "one line per failure"
    assert "retrying in 1s" in refused[0] and "retrying in 2s" in refused[1]
    assert "Traceback" not in log and "Unclosed" not in log


async def test_socket_mode_reconnects_when_slack_drops_the_websocket(tmp_path: Path) -> None:
    async with stand_ins([]) as (simulator, slack), SocketModeStandIn(slack) as socket:
        port = free_port()
        env = socket_env(tmp_path, simulator, slack, PORT=str(port))
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            await socket.wait_connected()
            await socket.drop()
            await wait_for_log(tmp_path, bot, lambda text: text.count("Socket Mode connected") == 2)
            usage = await socket.send("slash_commands", slash(slack, "help"))
            assert "/drs-progress status" in str(usage.get("blocks"))
            assert (await healthz(port))["slack"] == "connected"
            assert await interrupt(bot) == 130
    assert socket.opened == 2
    log = (tmp_path / "serve.log").read_text()
    assert "connection lost; reconnecting" in log
    assert "Traceback" not in log and "ERROR" not in log and "Unclosed" not in log


async def test_a_refused_app_token_is_named_and_retried_with_backoff(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with harness([], database_url=sqlite_url) as h, SocketModeStandIn(h.slack) as socket:
        assert h.runtime is not None
        h.slack.error_next("apps.connections.open", "invalid_auth", n=2)
        link = SocketLink(
            build_app(h.runtime),
            socket.app_token,
            proxies=Proxies(),
            api_url=h.slack.api_url,
            backoff=Backoff(first=0.01),
        )
        link.start()
        try:
            assert link.state == "connecting"
            await socket.wait_connected()
            for _ in range(100):
                if link.state == "connected":
                    break
                await asyncio.sleep(0.05)
            assert link.state == "connected"
        finally:
            await link.close()
        assert link.state == "connecting" and link.failures == 2
    refused = [r.getMessage() for r in caplog.records if "SLACK_APP_TOKEN" in r.getMessage()]
    assert refused == [
        "Socket Mode: Slack refused SLACK_APP_TOKEN (invalid_auth): check SLACK_APP_TOKEN; "
        f"retrying in {delay}s"
        for delay in ("0.01", "0.02")
    ]
    assert "Unclosed" not in caplog.text
