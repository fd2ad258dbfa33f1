"""LOG_FORMAT: JSON lines carry the context where it is known; tracebacks are masked too."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.config import load_settings
from bot.logs import configure_logging, log_context

TOKEN = "xoxb-SECRET-in-a-traceback"


@contextmanager
def logs(log_format: str) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging(
        load_settings({"LOG_FORMAT": log_format, "SLACK_BOT_TOKEN": TOKEN}), stream=stream
    )
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_json_lines_carry_the_context_of_their_task_and_extra_fields() -> None:
    log = logging.getLogger("bot.test")

    async def job(job_id: str) -> None:
        with log_context(job_id=job_id):
            await asyncio.sleep(0)
            with log_context(watch_id=7, team="T1", channel=None):
                log.info("delivering", extra={"request_id": "req-1"})
            log.info("polled")

    with logs("json") as stream:
        await asyncio.gather(job("job-a"), job("job-b"))
        log.warning("outside")
    got = lines(stream)
    polled = [g for g in got if g["message"] == "polled"]
    assert sorted(g["job_id"] for g in polled) == ["job-a", "job-b"]
    assert all(g["level"] == "INFO" and g["logger"] == "bot.test" for g in polled)
    assert all("watch_id" not in g for g in polled)
    delivering = [g for g in got if g["message"] == "delivering"]
    assert sorted(g["job_id"] for g in delivering) == ["job-a", "job-b"]
    assert all(g["watch_id"] == 7 and g["team"] == "T1" for g in delivering)
    assert all(g["request_id"] == "req-1" and "channel" not in g for g in delivering)
    assert got[-1]["message"] == "outside" and "job_id" not in got[-1]
    assert got[-1]["level"] == "WARNING"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_secret_inside_a_traceback_is_masked(log_format: str) -> None:
    with logs(log_format) as stream:
        try:
            raise RuntimeError(f"Slack refused {TOKEN}")
        except RuntimeError:
            logging.getLogger("bot.test").exception("failed")
    written = stream.getvalue()
    assert "RuntimeError: Slack refused [redacted]" in written
    assert TOKEN not in written
    if log_format == "json":
        (line,) = lines(stream)
        assert line["message"] == "failed" and "Traceback" in str(line["exception"])
