"""Every configured secret (bot token, signing secret, DRS token, SK, IAM password and the token
IAM issued) is absent from the logs captured at DEBUG and from everything the Slack stand-in
recorded, through normal use and under DRS and Slack errors, for each credential kind."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict

import pytest

from bot.compose import build_runtime, close_runtime
from bot.config import Settings, load_settings
from bot.drs.retry import NO_RETRY
from bot.logs import configure_logging
from bot.sandbox.harness import (
    BOT_TOKEN,
    BOT_USER_ID,
    DRS_TOKEN,
    SIGNING_SECRET,
    harness_env,
    serving,
    stand_ins,
)
from bot.sandbox.slack_payloads import SlackSender, app_mention_body
from bot.server import build_web
from bot.slack.app import build_app
from bot.watcher.sweep import Sweeper
from tests.slack.live import DONE, FAILED, RUNNING, LiveBot, sim_jobs

from .helpers import UNKNOWN, answered, slash

AK = "AKSANDBOXACCESSKEY01"
SK = "sk-SECRET-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"
IAM_USER = "drs-operator"
IAM_PASSWORD = "pw-SECRET-Tr0ub4dor&3"
# What configure_logging keeps at WARNING (it does not export the list).
NOISY = ("httpx", "httpcore", "apscheduler", "slack_sdk")
CREDENTIALS = {
    "token": {},
    "aksk": {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK},
    "iam": {
        "DRS_AUTH_TOKEN": "",
        "IAM_USERNAME": IAM_USER,
        "IAM_PASSWORD": IAM_PASSWORD,
        "IAM_DOMAIN": "sandbox-domain",
    },
}


@asynccontextmanager
async def bot_with(kind: str, database_url: str, **extra: str) -> AsyncIterator[LiveBot]:
    """The live bot (as tests/slack/live.py builds it) with one `kind` of DRS credential."""
    async with stand_ins(sim_jobs()) as (simulator, slack):
        simulator.ak, simulator.sk = AK, SK
        simulator.iam_users = {IAM_USER: IAM_PASSWORD}
        env = harness_env(
            simulator,
            slack,
            database_url,
            IAM_ENDPOINT=simulator.url,
            POLL_INTERVAL_SECONDS="1",
            **CREDENTIALS[kind],
            **extra,
        )
        rt = await build_runtime(load_settings(env), drs_retry=NO_RETRY)
        rt.bot_user_id = BOT_USER_ID
        try:
            web = build_web(rt, build_app(rt), watcher=None)
            async with serving(web) as url, SlackSender(SIGNING_SECRET) as sender:
                yield LiveBot(url, sender, simulator, slack, rt)
        finally:
            await close_runtime(rt)


def everything_recorded(bot: LiveBot, caplog: pytest.LogCaptureFixture) -> str:
    """Logs (messages, arguments, tracebacks) and every Slack call, post and response."""
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(repr(record.args))
        parts.append(repr(record.__dict__))
    parts += [json.dumps(c.params, default=str) for c in bot.slack.calls]
    parts += [repr(asdict(m)) for m in bot.slack.message_list]
    parts += [repr(asdict(e)) for e in bot.slack.ephemeral_list]
    parts += [repr(asdict(r)) for r in bot.slack.responses]
    return "\n".join(parts)


async def ask(bot: LiveBot, text: str) -> None:
    """A slash command, waited for: an answer to its asker or a new post in the channel."""
    posted = len(bot.slack.message_list)
    response, key = await slash(bot, text)
    await bot.slack.wait_for(
        lambda: answered(bot, response, key) or len(bot.slack.message_list) > posted, timeout=15
    )


async def use_and_abuse(bot: LiveBot) -> None:
    """Normal use, bad input, forged requests, then DRS and Slack errors."""
    for text in (RUNNING, f"status {DONE}", f"status {UNKNOWN}", "list", "frobnicate", ""):
        await ask(bot, text)
    mention = app_mention_body(text=f"<@{BOT_USER_ID}> status {FAILED}", ts="1700000000.000009")
    await bot.sender.send(bot.events_url, mention, secret="forged")
    await bot.sender.send(bot.events_url, mention)
    await bot.slack.wait_for(lambda: bool(bot.slack.ephemerals()))
    bot.simulator.faults.unauthorized_next = 2
    await ask(bot, f"status {FAILED}")
    bot.simulator.faults.fail_next = 1
    await ask(bot, f"status {DONE}")
    bot.simulator.faults.garbage_next = 1
    await ask(bot, f"status {DONE}")
    bot.slack.fail_next("chat.postMessage", 3, status=500)
    await ask(bot, DONE)
    bot.slack.error_next("chat.postMessage", "invalid_auth", 1)
    await ask(bot, DONE)
    await asyncio.sleep(1.1)  # the watch of RUNNING falls due (POLL_INTERVAL_SECONDS=1)
    bot.simulator.faults.fail_next = 1
    bot.slack.fail_next("chat.update", 1, status=503)
    await Sweeper(bot.runtime).poll_once()


@contextmanager
def serve_logging(bot: LiveBot, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Logging exactly as `drs-bot serve` sets it up at LOG_LEVEL=DEBUG, captured by caplog."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    noisy = {n: logging.getLogger(n).level for n in NOISY}
    configure_logging(bot.runtime.settings)
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name, level in noisy.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("kind", CREDENTIALS)
async def test_no_secret_in_logs_or_slack_messages(
    sqlite_url: str, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """Even with every library at DEBUG, no configured secret is logged or sent to Slack."""
    caplog.set_level(logging.DEBUG)
    async with bot_with(kind, sqlite_url) as bot:
        await use_and_abuse(bot)
        recorded = everything_recorded(bot, caplog)
        if kind == "iam":
            assert bot.simulator.issued_tokens, "the bot logged in to IAM"
    assert "status" in recorded and len(caplog.records) > 20  # we did capture the traffic
    secrets = [BOT_TOKEN, SIGNING_SECRET, DRS_TOKEN, SK, IAM_PASSWORD]
    assert [s for s in secrets if s in recorded] == []


async def test_serve_logging_at_debug_hides_the_iam_issued_token_too(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """httpcore's DEBUG trace prints response headers (X-Subject-Token); serve's logging setup
    keeps such libraries at WARNING, so not even the token IAM issued is logged."""
    async with bot_with("iam", sqlite_url, LOG_LEVEL="DEBUG") as bot:
        with serve_logging(bot, caplog):
            await use_and_abuse(bot)
        issued = sorted(bot.simulator.issued_tokens)
        recorded = everything_recorded(bot, caplog)
    assert issued and any(r.levelno == logging.DEBUG for r in caplog.records)
    secrets = [BOT_TOKEN, SIGNING_SECRET, IAM_PASSWORD, *issued]
    assert [s for s in secrets if s in recorded] == []


@contextmanager
def logging_to(stream: io.StringIO, settings: Settings) -> Iterator[None]:
    """Logging exactly as `drs-bot serve` sets it up, written to `stream`."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    noisy = {n: logging.getLogger(n).level for n in NOISY}
    configure_logging(settings, stream=stream)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name, level in noisy.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("log_format", ["text", "json"])
@pytest.mark.parametrize("kind", CREDENTIALS)
async def test_no_secret_in_either_log_format(sqlite_url: str, kind: str, log_format: str) -> None:
    """What serve's handler writes at DEBUG, in each format and for each credential kind, holds
    no secret; in JSON every line is one object with level, logger and message."""
    stream = io.StringIO()
    async with bot_with(kind, sqlite_url, LOG_LEVEL="DEBUG", LOG_FORMAT=log_format) as bot:
        with logging_to(stream, bot.runtime.settings):
            await use_and_abuse(bot)
        issued = sorted(bot.simulator.issued_tokens)
    written = stream.getvalue()
    assert written.count("\n") > 20
    secrets = [BOT_TOKEN, SIGNING_SECRET, DRS_TOKEN, SK, IAM_PASSWORD, *issued]
    assert [s for s in secrets if s in written] == []
    if log_format == "json":
        lines = [json.loads(line) for line in written.splitlines()]
        assert all({"level", "logger", "message"} <= line.keys() for line in lines)
        assert any("request_id" in line and "job_id" in line for line in lines)
        assert any("trigger_id" in line and "team" in line for line in lines)
        assert any("event_id" in line and "channel" in line for line in lines)
