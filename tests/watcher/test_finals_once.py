"""Exactly one final reply per watch when its sender dies between Slack accepting the final and
recording it: the replica that takes over reads the thread back (message metadata) first."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.render.message import Message
from bot.runtime import Chat
from bot.sandbox.harness import Harness
from bot.store import leases
from bot.watcher import finals
from bot.watcher.sweep import Sweeper

from .conftest import INTERVAL, JOB_A, World, add_watch, load_job, load_watch, parsing, sim_job
from .conftest import succeeded as done
from .test_sweep_replicas import another_process


class DiesAfterFinal:
    """The Slack seam of a replica that is killed (-9) right after Slack accepted its final."""

    def __init__(self, inner: Chat) -> None:
        self.inner = inner
        self.accepted = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def post(self, channel: str, message: Message, **kwargs: Any) -> str:
        ts = await self.inner.post(channel, message, **kwargs)
        if kwargs.get("metadata"):
            self.accepted.set()
            await asyncio.Event().wait()  # never returns: nothing after this runs
        return ts


async def kill_after_final(h: Harness) -> Sweeper:
    """Replica one polls until its final is accepted by Slack, then dies leaving its lease."""
    rt = h.runtime
    assert rt is not None and isinstance(rt.clock, FakeClock)
    chat = DiesAfterFinal(rt.slack)
    rt.slack = chat
    one = Sweeper(rt)
    await one.poll_once()  # parsing: the card's thread opens
    rt.clock.advance(INTERVAL)
    sweep = asyncio.create_task(one.poll_once())
    await chat.accepted.wait()
    await one.drain(timeout=0)  # cancelled mid-delivery; cancelling gave the lease back, but
    sweep.cancel()
    await asyncio.gather(sweep, return_exceptions=True)
    job = await load_job(h, JOB_A)
    async with rt.sessions.begin() as session:  # kill -9 leaves it held: take it again
        assert await leases.take_lease(
            session,
            polled_job_id=job.id,
            owner=rt.owner,
            now=rt.clock.now(),
            lease_seconds=one.lease_seconds,
        )
    return one


def finals_in(h: Harness) -> list[Any]:
    card = h.slack.messages("C0ALPHA")[0]
    return [m for m in h.slack.thread("C0ALPHA", card.ts) if "parsed: 9 rows" in m.text]


async def test_the_replica_taking_over_finds_the_final_and_does_not_send_it_again(
    world: World,
) -> None:
    async with world([sim_job(JOB_A, parsing(5), done(9))]) as h:
        watch_id = await add_watch(h, JOB_A)
        one = await kill_after_final(h)
        assert len(finals_in(h)) == 1
        assert (await load_watch(h, watch_id)).final_intent_at is not None
        async with another_process(h) as runtime:
            two = Sweeper(runtime)
            assert (await two.poll_once()).claimed == 0, "the dead replica's lease holds"
            assert isinstance(runtime.clock, FakeClock)
            runtime.clock.advance(max(one.lease_seconds, INTERVAL) + 1)  # lease out, poll due
            assert (await two.poll_once()).claimed == 1
        [final] = finals_in(h)
        assert final.metadata == finals.final_metadata(watch_id)
        assert len(h.slack.calls_to("conversations.replies")) == 1
        watch = await load_watch(h, watch_id)
        assert watch.state == "succeeded"
        card = h.slack.messages("C0ALPHA")[0]
        assert h.slack.reactions("C0ALPHA", card.ts) == ["white_check_mark"]


async def test_without_the_history_scope_the_final_repeats_at_most_once_and_says_why(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    finals._warned.clear()
    async with world([sim_job(JOB_A, parsing(5), done(9))]) as h:
        h.slack.scopes = [s for s in h.slack.scopes if s != "channels:history"]
        watch_id = await add_watch(h, JOB_A)
        one = await kill_after_final(h)
        caplog.set_level(logging.WARNING, logger="bot.watcher.finals")
        async with another_process(h) as runtime:
            assert isinstance(runtime.clock, FakeClock)
            runtime.clock.advance(max(one.lease_seconds, INTERVAL) + 1)  # lease out, poll due
            await Sweeper(runtime).poll_once()
        assert len(finals_in(h)) == 2  # today's fallback: one repeat, never a lost final
        assert (await load_watch(h, watch_id)).state == "succeeded"
        warnings = [r.getMessage() for r in caplog.records if r.name == "bot.watcher.finals"]
        assert len(warnings) == 1 and "channels:history" in warnings[0]
