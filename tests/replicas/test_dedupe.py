"""Two replicas of the app over real HTTP on one database: Slack's retry of an event and a
replayed signed request are taken once, whichever replica they land on (the retry on SQLite
and PostgreSQL, the replay on PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
from sqlalchemy import func, select

from bot.compose import build_runtime, close_runtime
from bot.sandbox.harness import BOT_USER_ID, SIGNING_SECRET, Harness, harness, serving
from bot.sandbox.slack_payloads import FORM, SlackSender, app_mention_body, sign, slash_command_body
from bot.server import build_web
from bot.slack.app import build_app
from bot.store.models import SeenRequest, Watch
from tests.slack.live import CHANNEL, RUNNING, sim_jobs


@asynccontextmanager
async def two_replicas(url: str) -> AsyncIterator[tuple[Harness, str, str]]:
    """The stand-ins, and two apps (their own runtimes) on `url`; yields their events URLs."""
    async with AsyncExitStack() as stack:
        h = await stack.enter_async_context(harness(sim_jobs(), database_url=url))
        assert h.runtime is not None
        other = await build_runtime(h.settings, clock=h.runtime.clock)
        other.bot_user_id = BOT_USER_ID
        stack.push_async_callback(close_runtime, other)
        urls = []
        for rt in (h.runtime, other):
            web = build_web(rt, build_app(rt), watcher=None)
            urls.append(await stack.enter_async_context(serving(web)) + "/slack/events")
        yield h, urls[0], urls[1]


async def test_a_retried_event_landing_on_another_replica_is_handled_once(db_url: str) -> None:
    async with two_replicas(db_url) as (h, first, second), SlackSender(SIGNING_SECRET) as sender:
        parent = h.slack.add_user_message(CHANNEL, "migration thread")
        body = app_mention_body(
            text=f"<@{BOT_USER_ID}> watch {RUNNING}",
            ts=f"{parent.ts}1",
            thread_ts=parent.ts,
            event_id="EvAcross",
        )
        now = int(time.time())
        assert (await sender.send(first, body, timestamp=now)).status_code == 200
        await h.slack.wait_for(lambda: len(h.slack.thread(CHANNEL, parent.ts)) == 1)
        # Slack's retry, with a fresh signature, reaches the other replica
        retry = await sender.send(second, body, timestamp=now + 1, retry_num=1)
        assert retry.status_code == 200
        # A later, different mention to the same replica: once it is answered, the retry
        # (which came first) has been through the listener middleware too.
        help_body = app_mention_body(
            text=f"<@{BOT_USER_ID}> help", ts=f"{parent.ts}2", thread_ts=parent.ts
        )
        assert (await sender.send(second, help_body)).status_code == 200
        await h.slack.wait_for(lambda: len(h.slack.ephemerals()) >= 1)
        texts = [e.text for e in h.slack.ephemerals()]
        assert not any("already watched" in t for t in texts), texts
        assert len(h.slack.thread(CHANNEL, parent.ts)) == 1
        assert h.runtime is not None
        async with h.runtime.sessions() as session:
            watches = (await session.execute(select(func.count()).select_from(Watch))).scalar()
        assert watches == 1


async def test_a_request_replayed_to_another_replica_is_refused(pg_url: str) -> None:
    """PostgreSQL: replicas share it. SQLite serves one process, whose memory refuses replays
    (tests/abuse/test_signatures.py) without a database write before the acknowledgement."""
    async with two_replicas(pg_url) as (h, first, second), httpx.AsyncClient() as client:
        body = slash_command_body(text="help", response_url=h.slack.new_response_url())
        headers = {"Content-Type": FORM, **sign(body, SIGNING_SECRET, int(time.time()))}
        accepted = await client.post(first, content=body, headers=headers)
        replayed = await client.post(second, content=body, headers=headers)
        assert (accepted.status_code, replayed.status_code) == (200, 401)
        assert h.runtime is not None
        async with h.runtime.sessions() as session:
            keys = (await session.execute(select(func.count()).select_from(SeenRequest))).scalar()
        assert keys == 1


@pytest.mark.parametrize("replica", [0, 1])
async def test_old_keys_are_forgotten_by_housekeeping(db_url: str, replica: int) -> None:
    """Pruning after Slack's 5-minute window: the table does not grow for ever."""
    from datetime import timedelta

    from bot.store import housekeeping, seen

    async with two_replicas(db_url) as (h, _, _):
        rt = h.runtime
        assert rt is not None
        now = rt.clock.now()
        async with rt.sessions.begin() as session:
            assert await seen.claim(session, key="old", now=now - timedelta(minutes=6))
            assert await seen.claim(session, key="new", now=now - timedelta(minutes=replica))
            assert not await seen.claim(session, key="new", now=now)
        async with rt.sessions.begin() as session:
            assert await housekeeping.forget_seen_requests(session, now=now) == 1
        async with rt.sessions.begin() as session:
            assert await seen.claim(session, key="old", now=now)
