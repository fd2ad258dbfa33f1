"""Watcher test helpers: a harness on a FakeClock, watches with real cards, simulator jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import Clock, FakeClock
from bot.domain.watching import initial_told
from bot.drs.sim_jobs import SimJob
from bot.render.cards import watch_card
from bot.render.views import card_view
from bot.sandbox.harness import TEAM_ID, Harness, harness
from bot.store import repo
from bot.store.models import PolledJob, Watch

JOB_A = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
JOB_B = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
INTERVAL = 10  # POLL_INTERVAL_SECONDS in these tests

UPLOADING = {"send_success": False}


def parsing(rows: int) -> dict[str, Any]:
    return {"send_success": True, "parsed_success_number": str(rows)}


def succeeded(rows: int) -> dict[str, Any]:
    return {"send_success": True, "process_status": "success", "parsed_success_number": str(rows)}


def failed(rows: int) -> dict[str, Any]:
    return {"send_success": True, "process_status": "failed", "parsed_success_number": str(rows)}


def sim_job(job_id: str, *steps: dict[str, Any]) -> SimJob:
    """A job that moves one step per answered query (step_seconds 0)."""
    return SimJob(job_id, list(steps), step_seconds=0)


def still_clock() -> FakeClock:
    """The tests' clock: retry waits are recorded, not slept, and only the test moves time."""
    return FakeClock(sleep_moves=False)


World = Callable[..., AbstractAsyncContextManager[Harness]]


def _world(default_url: str) -> World:
    @asynccontextmanager
    async def _make(
        jobs: list[SimJob], *, url: str | None = None, clock: Clock | None = None, **env: str
    ) -> AsyncIterator[Harness]:
        # The DRS budget is tested on its own (test_budget.py); here a still clock would hold
        # a sweep to one horizon's worth of slots.
        settings_env = {"POLL_INTERVAL_SECONDS": str(INTERVAL), "DRS_MAX_RPS": "1000", **env}
        async with harness(
            jobs,
            database_url=url or default_url,
            clock=clock or still_clock(),
            settings_env=settings_env,
        ) as h:
            yield h

    return _make


@pytest.fixture
def world(db_url: str) -> World:
    """`async with world(jobs, **env) as h`: stand-ins + runtime on a FakeClock and `db_url`."""
    return _world(db_url)


@pytest.fixture
def pg_world(pg_url: str) -> World:
    """`world` on PostgreSQL only (replicas need row locks that SQLite does not have)."""
    return _world(pg_url)


async def add_watch(
    h: Harness,
    job_id: str,
    *,
    channel: str = "C0ALPHA",
    user: str = "U0ASKER",
    thread_ts: str | None = None,
) -> int:
    """What the listener does: create the watch, post its card, remember the card."""
    rt = h.runtime
    assert rt is not None
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        watch, _ = await repo.get_or_create_watch(
            session,
            team_id=TEAM_ID,
            channel_id=channel,
            thread_ts=thread_ts,
            project_id=rt.project_id,
            job_id=job_id,
            job_type=None,
            language="en-us",
            requested_by=user,
            now=now,
            expires_at=now + rt.watch_lifetime,
        )
        card = watch_card(card_view(watch, watch.polled_job))
    ts = await rt.slack.post(channel, card, thread_ts=thread_ts)
    async with rt.sessions.begin() as session:
        await repo.set_card(session, watch_id=watch.id, card_channel=channel, card_ts=ts, now=now)
        await repo.record_delivery(
            session, watch_id=watch.id, told=initial_told(None).to_dict(), now=now
        )
    return watch.id


async def load_watch(h: Harness, watch_id: int) -> Watch:
    assert h.runtime is not None
    async with h.runtime.sessions() as session:
        watch = await repo.get_watch(session, watch_id=watch_id)
    assert watch is not None
    return watch


async def load_job(h: Harness, job_id: str) -> PolledJob:
    assert h.runtime is not None
    async with h.runtime.sessions() as session:
        stmt = select(PolledJob).where(PolledJob.job_id == job_id)
        return (await session.scalars(stmt)).one()
