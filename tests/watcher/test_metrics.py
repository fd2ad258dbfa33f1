"""GET /metrics over real HTTP: each metric moves with what it counts; it can be turned off."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from bot.errors import SlackError
from bot.render.message import Message
from bot.runtime import Runtime
from bot.sandbox.harness import Harness, serving
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import build_web
from bot.slack.app import build_app
from bot.store.models import PolledJob
from bot.watcher.sweep import Sweeper

from .conftest import JOB_A, JOB_B, World, add_watch, sim_job, succeeded

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(url: str) -> Samples:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@asynccontextmanager
async def metrics_url(h: Harness) -> AsyncIterator[str]:
    assert h.runtime is not None
    async with serving(build_web(h.runtime, build_app(h.runtime), watcher=None)) as url:
        yield url


class Gate:
    """Holds every call of a stand-in method until released."""

    def __init__(self, slack: SlackStandIn, method: str) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        inner = slack.handler(method)

        async def held(params: dict[str, Any]) -> dict[str, Any]:
            self.entered.set()
            await self.release.wait()
            return await inner(params)

        slack.add_method(method, held)


async def abandon_lease(rt: Runtime, *, late: float) -> None:
    """The job fell due `late` seconds ago, leased by a replica that died."""
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        await session.execute(
            update(PolledJob).values(
                lease_owner="dead-replica",
                lease_expires_at=now - timedelta(seconds=1),
                next_poll_at=now - timedelta(seconds=late),
            )
        )


async def test_sweep_moves_drs_lag_takeover_delivery_sweep_and_watch_metrics(
    world: World,
) -> None:
    async with world([sim_job(JOB_A, succeeded(9))]) as h, metrics_url(h) as url:
        rt = h.runtime
        assert rt is not None
        await add_watch(h, JOB_A)
        before = await scrape(url)
        assert value(before, "drs_bot_watches", state="active") == 1
        assert value(before, "drs_bot_active_watches", state="polling") == 1
        assert value(before, "drs_bot_slack_calls_total", method="chat.postMessage", outcome="ok")
        await abandon_lease(rt, late=7)
        gate = Gate(h.slack, "chat.update")

        sweep = asyncio.create_task(Sweeper(rt).poll_once())
        await gate.entered.wait()
        during = await scrape(url)
        gate.release.set()
        stats = await sweep
        after = await scrape(url)

    assert stats.polled == 1 and stats.ended == 1
    assert value(during, "drs_bot_deliveries_waiting") == 1
    assert value(after, "drs_bot_deliveries_waiting") == 0
    assert value(after, "drs_bot_drs_requests_total", outcome="ok", code="") == 1
    assert value(after, "drs_bot_drs_request_seconds_count") == 1
    assert value(after, "drs_bot_poll_lag_seconds_count") == 1
    assert value(after, "drs_bot_poll_lag_seconds_sum") >= 7
    assert value(before, "drs_bot_lease_takeovers_total") == 0
    assert value(after, "drs_bot_lease_takeovers_total") == 1
    assert value(after, "drs_bot_sweep_seconds_count") >= 1
    assert value(after, "drs_bot_slack_calls_total", method="chat.update", outcome="ok") == 1
    assert value(after, "drs_bot_watches", state="active") == 0
    assert value(after, "drs_bot_watches", state="succeeded") == 1
    assert value(after, "drs_bot_active_watches", state="polling") == 0


async def test_drs_errors_are_counted_by_outcome_and_code(world: World) -> None:
    async with world([]) as h, metrics_url(h) as url:
        rt = h.runtime
        assert rt is not None
        await add_watch(h, JOB_B)  # the simulator knows no such job
        await Sweeper(rt).poll_once()
        samples = await scrape(url)
    assert (
        value(samples, "drs_bot_drs_requests_total", outcome="job_not_found", code="DRS.10000010")
        == 1
    )
    assert value(samples, "drs_bot_drs_requests_total", outcome="ok", code="") == 0


async def test_slack_errors_and_429s_are_counted_by_method(world: World) -> None:
    async with world([]) as h, metrics_url(h) as url:
        rt = h.runtime
        assert rt is not None
        h.slack.rate_limit_next("reactions.add", 1, retry_after=1)
        await rt.slack.react("C0ALPHA", "1.000001", "white_check_mark")
        h.slack.error_next("chat.postEphemeral", "user_not_in_channel")
        with pytest.raises(SlackError):
            await rt.slack.ephemeral("C0ALPHA", "U0ASKER", Message("hi"))
        samples = await scrape(url)
    assert value(samples, "drs_bot_slack_rate_limited_total", method="reactions.add") == 1
    assert value(samples, "drs_bot_slack_calls_total", method="reactions.add", outcome="ok") == 1
    assert (
        value(
            samples,
            "drs_bot_slack_calls_total",
            method="chat.postEphemeral",
            outcome="user_not_in_channel",
        )
        == 1
    )


async def test_metrics_can_be_turned_off(world: World) -> None:
    async with (
        world([], METRICS_ENABLED="0") as h,
        metrics_url(h) as url,
        httpx.AsyncClient() as client,
    ):
        metrics = await client.get(f"{url}/metrics")
        health = await client.get(f"{url}/healthz")
    assert metrics.status_code == 404
    assert health.status_code == 200
