"""50 watches in one channel end at once: two replicas sharing PostgreSQL deliver every final,
card first then reply, with no 429 from a stand-in that limits the channel."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.clock import SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.runtime import Runtime
from bot.sandbox.harness import Harness
from bot.slack.pacing import PacedGateway
from bot.watcher.sweep import Sweeper

from .conftest import World, add_watch, sim_job, succeeded

CHANNEL = "C0BUSY"
PACE = 0.1  # seconds between two messages to one channel (1.0 in production)
WATCHES = 50


@asynccontextmanager
async def paced_replica(h: Harness) -> AsyncIterator[Runtime]:
    """Another process on the same database and stand-ins, pacing at PACE."""
    settings = load_settings({**h.env, "SLACK_CHANNEL_PACE_SECONDS": str(PACE)})
    runtime = await build_runtime(settings, clock=SystemClock())
    runtime.owner = f"replica-{uuid.uuid4().hex[:6]}"
    assert isinstance(runtime.slack, PacedGateway)
    try:
        yield runtime
    finally:
        await close_runtime(runtime)


async def test_fifty_finals_in_one_channel_arrive_in_order_without_a_429(
    pg_world: World,
) -> None:
    jobs = [
        sim_job(f"{i:08x}-0000-4000-8000-00000000jb{i:02d}", succeeded(i)) for i in range(WATCHES)
    ]
    # The world's own runtime (unpaced) only posts the cards, as the listeners did earlier.
    async with pg_world(jobs, clock=SystemClock()) as h, AsyncExitStack() as stack:
        for job in jobs:
            await add_watch(h, job.job_id, channel=CHANNEL)
        # Slack's limit, with a short burst: a send late by up to two paces is still fine.
        h.slack.limit_channels(interval=PACE, burst=3)
        replicas = [await stack.enter_async_context(paced_replica(h)) for _ in range(2)]
        sweeps = await asyncio.gather(
            *(Sweeper(rt, batch=WATCHES // 2).poll_once() for rt in replicas)
        )

        assert sum(s.ended for s in sweeps) == WATCHES
        assert all(s.claimed for s in sweeps), "both replicas delivered finals"
        assert [c for c in h.slack.calls if c.status == 429] == []
        methods = [(c.method, c.params) for c in h.slack.calls]
        cards = [m for m in h.slack.messages(CHANNEL) if not m.is_reply]
        assert len(cards) == WATCHES
        for card in cards:
            finals = [m for m in h.slack.thread(CHANNEL, card.ts) if "parsed:" in m.text]
            assert len(finals) == 1, card.text
            edit = next(
                i for i, (m, p) in enumerate(methods) if m == "chat.update" and p["ts"] == card.ts
            )
            reply = next(
                i
                for i, (m, p) in enumerate(methods)
                if m == "chat.postMessage" and p.get("thread_ts") == card.ts
            )
            assert edit < reply, "a watch's card edit goes before its final reply"
