"""`drs-bot serve` as a real process: settings errors, schema checks, and a watch end to end."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest

from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET, harness, harness_env, stand_ins
from bot.sandbox.slack_payloads import SlackSender, slash_command_body
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import learn_bot_user
from bot.slack.socket_mode import Backoff
from tests.forward_proxy import ForwardProxy

DRS_BOT = str(Path(sys.executable).with_name("drs-bot"))
JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The test's environment without the bot's settings, proxies included."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("SLACK_", "DRS_", "IAM_"))
        and k.upper() not in ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY")
    }
    keep.pop("DATABASE_URL", None)
    keep.update(extra)
    return keep


async def run(*args: str, env: dict[str, str], cwd: Path, limit: float = 60) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT,
        *args,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), limit)
    return int(proc.returncode or 0), out.decode()


async def test_serve_without_settings_lists_every_problem(tmp_path: Path) -> None:
    code, out = await run("serve", env=clean_env(), cwd=tmp_path)
    assert code == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DRS_PROJECT_ID", "DRS_REGION"):
        assert name in out
    assert "Traceback" not in out


async def test_serve_refuses_an_unmigrated_postgres(
    tmp_path: Path, empty_pg_url: Callable[..., str]
) -> None:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DRS_ENDPOINT="http://127.0.0.1:9",
        DRS_PROJECT_ID="p" * 32,
        DRS_AUTH_TOKEN="token-value",
        DATABASE_URL=empty_pg_url(scheme="postgres"),
    )
    code, out = await run("serve", env=env, cwd=tmp_path)
    assert code != 0
    assert "drs-bot db upgrade" in out
    assert "Traceback" not in out
    assert "token-value" not in out and "xoxb-test" not in out


def open_log(cwd: Path) -> BinaryIO:
    return (cwd / "serve.log").open("ab")  # closed by serve_process, after the process


@asynccontextmanager
async def serve_process(
    env: dict[str, str], cwd: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    log = open_log(cwd)
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT, "serve", "--host", "127.0.0.1", env=env, cwd=cwd, stdout=log, stderr=log
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()


async def wait_healthy(url: str, proc: asyncio.subprocess.Process, cwd: Path) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if proc.returncode is not None:
                raise AssertionError((cwd / "serve.log").read_text())
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("serve did not become healthy: " + (cwd / "serve.log").read_text())


def cards(slack: SlackStandIn) -> list:
    return [m for m in slack.messages("C0SANDBOX") if not m.is_reply]


async def test_serve_watches_a_job_to_the_end_and_survives_kill_9(tmp_path: Path) -> None:
    job = SimJob(
        JOB,
        [
            {"send_success": False},
            {"send_success": True, "parsed_success_number": "120"},
            {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
        ],
        step_seconds=0,  # one step per answered query
    )
    async with stand_ins([job]) as (simulator, slack):
        port = free_port()
        env = clean_env(
            **harness_env(simulator, slack, f"sqlite:///{tmp_path / 'bot.sqlite3'}"),
            PORT=str(port),
            POLL_INTERVAL_SECONDS="1",
        )
        url = f"http://127.0.0.1:{port}"
        async with serve_process(env, tmp_path) as first:
            await wait_healthy(url, first, tmp_path)
            async with SlackSender(SIGNING_SECRET) as sender:
                body = slash_command_body(text=JOB, response_url=slack.new_response_url())
                assert (await sender.send(f"{url}/slack/events", body)).status_code == 200
            await slack.wait_for(lambda: len(cards(slack)) == 1, timeout=15)
            card = cards(slack)[0]
            # the first poll after the card moves the job to parsing: a threaded reply
            await slack.wait_for(lambda: len(slack.thread("C0SANDBOX", card.ts)) >= 1, timeout=15)
            first.kill()  # kill -9: no shutdown, leases left behind
            await first.wait()
        async with serve_process(env, tmp_path) as second:
            await wait_healthy(url, second, tmp_path)
            await slack.wait_for(
                lambda: len(slack.reactions("C0SANDBOX", card.ts)) == 1, timeout=90
            )
        assert len(cards(slack)) == 1, "a restart must continue on the same card"
        replies = slack.thread("C0SANDBOX", card.ts)
        finals = [m for m in replies if "500" in m.text]
        assert len(finals) == 1
        assert "<@U0USER>" in finals[0].text
        assert card.edited_at is not None
        log = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in log
        for secret in ("xoxb-sandbox-bot-token", "sandbox-signing-secret", "sandbox-iam-token"):
            assert secret not in log


async def test_two_serve_replicas_on_postgres_share_the_polling(
    tmp_path: Path, empty_pg_url: Callable[..., str]
) -> None:
    """Each job polled about once per interval between them, one final reply per watch."""
    database = empty_pg_url(scheme="postgres")
    job = SimJob(
        JOB,
        [
            {"send_success": True, "parsed_success_number": "10"},
            {"send_success": True, "parsed_success_number": "20"},
            {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
        ],
        step_seconds=4,
    )
    async with stand_ins([job]) as (simulator, slack):
        base = clean_env(**harness_env(simulator, slack, database), POLL_INTERVAL_SECONDS="1")
        code, out = await run("db", "upgrade", env=base, cwd=tmp_path)
        assert code == 0, out
        ports = [free_port(), free_port()]
        dirs = [tmp_path / "a", tmp_path / "b"]
        for folder in dirs:
            folder.mkdir()
        async with (
            serve_process({**base, "PORT": str(ports[0])}, dirs[0]) as first,
            serve_process({**base, "PORT": str(ports[1])}, dirs[1]) as second,
        ):
            await wait_healthy(f"http://127.0.0.1:{ports[0]}", first, dirs[0])
            await wait_healthy(f"http://127.0.0.1:{ports[1]}", second, dirs[1])
            started = asyncio.get_running_loop().time()
            async with SlackSender(SIGNING_SECRET) as sender:
                body = slash_command_body(text=JOB, response_url=slack.new_response_url())
                url = f"http://127.0.0.1:{ports[0]}/slack/events"
                assert (await sender.send(url, body)).status_code == 200
            await slack.wait_for(lambda: len(cards(slack)) == 1, timeout=15)
            card = cards(slack)[0]
            await slack.wait_for(lambda: slack.reactions("C0SANDBOX", card.ts) != [], timeout=60)
            elapsed = asyncio.get_running_loop().time() - started
            await asyncio.sleep(2.5)  # anything a second replica might still send
        finals = [m for m in slack.thread("C0SANDBOX", card.ts) if "500" in m.text]
        assert len(finals) == 1
        assert slack.reactions("C0SANDBOX", card.ts) == ["white_check_mark"]
        # one check by the command, then one poll a second between both replicas (two
        # replicas polling on their own would make about twice as many)
        assert simulator.calls[JOB] <= elapsed + 3, (simulator.calls[JOB], elapsed)
        for folder in dirs:
            assert "Traceback" not in (folder / "serve.log").read_text()


async def test_serve_start_up_log_names_the_network_not_the_token(tmp_path: Path) -> None:
    """Slack behind a proxy that cannot reach it (502): the log points at the URL and proxy."""
    async with stand_ins([]) as (simulator, slack), ForwardProxy() as proxy:
        port = free_port()
        env = clean_env(
            **harness_env(
                simulator,
                slack,
                f"sqlite:///{tmp_path / 'bot.sqlite3'}",
                SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",  # the proxy finds nothing
                HTTP_PROXY=proxy.url,
                NO_PROXY=simulator.url.removeprefix("http://"),  # DRS direct: host:port form
            ),
            PORT=str(port),
        )
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            for _ in range(600):
                if "Slack auth.test" in (tmp_path / "serve.log").read_text():
                    break
                await asyncio.sleep(0.1)
    assert any("auth.test" in target for target in proxy.targets())
    assert not any(simulator.url in target for target in proxy.targets())
    log = (tmp_path / "serve.log").read_text()
    line = next(line for line in log.splitlines() if "Slack auth.test" in line)
    assert "HTTP 502" in line and "check SLACK_API_URL" in line
    assert "SLACK_BOT_TOKEN" not in log
    assert "will be ignored" not in log and "will be unused" not in log  # Bolt's token warnings
    assert "apscheduler" not in log  # job added, scheduler started: not at INFO
    assert "watcher started" in log


async def test_serve_keeps_asking_who_the_bot_is_until_slack_answers(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.server")
    async with harness([], database_url=sqlite_url) as h:
        assert h.runtime is not None
        h.runtime.bot_user_id = None
        h.slack.error_next("auth.test", "internal_error", n=3)
        await learn_bot_user(h.runtime, backoff=Backoff(first=0.01))
        assert h.runtime.bot_user_id == BOT_USER_ID
        assert len(h.slack.calls_to("auth.test")) == 4
    told = [r for r in caplog.records if "auth.test" in r.getMessage()]
    assert [r.levelname for r in told] == ["WARNING", "INFO"], "one warning, then the answer"
    assert "SLACK_BOT_TOKEN" not in caplog.text
