"""Acknowledgement latency of `help` and `JOB_ID` (DRS taking 2 s) against a bare Bolt app.

Both apps are served the same way (uvicorn + AsyncSlackRequestHandler + Starlette on loopback)
and receive the same signed slash commands, interleaved, one at a time. The floor is a bare
AsyncApp whose listener only acks. Goals: median within 1.3x of the floor, p99 under 100 ms.

    python bench/ack_bench.py [--requests 200] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time

import httpx
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.domain.commands import DEFAULT_COMMAND
from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET, harness, serving
from bot.sandbox.slack_payloads import SlackSender, slash_command_body
from bot.server import build_web
from bot.slack.app import build_app
from bot.store.db import make_engine
from bot.store.migrate import upgrade

DRS_LATENCY = 2.0
GOAL_RATIO = 1.3
GOAL_P99_MS = 100.0


def job_id(n: int) -> str:
    return f"be{n:06d}-0000-4a5d-8dd6-cc44f78jb20r"


def bare_web(api_url: str) -> Starlette:
    """The floor: Bolt with the same client settings, a listener that only acks."""
    app = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=SIGNING_SECRET,
        process_before_response=False,
        logger=logging.getLogger("bench.bare"),
    )

    @app.command(DEFAULT_COMMAND)
    async def _ack(ack: AsyncAck) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    return Starlette(routes=[Route("/slack/events", events, methods=["POST"])])


def summary(name: str, samples: list[float], floor: list[float] | None) -> str:
    ms = sorted(s * 1000 for s in samples)
    median = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * len(ms)) - 1)]
    line = f"{name:<28} median {median:7.2f} ms   p99 {p99:7.2f} ms"
    if floor is not None:
        base = statistics.median(floor) * 1000
        ratio = median / base
        ok = ratio <= GOAL_RATIO and p99 < GOAL_P99_MS
        line += f"   median/floor {ratio:4.2f}x   {'meets' if ok else 'MISSES'} goal"
    return line


async def run(requests: int, warmup: int) -> int:
    total = requests + warmup
    jobs = [
        SimJob(job_id(n), [{"send_success": True, "parsed_success_number": "1"}])
        for n in range(total)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        async with harness(jobs, database_url=url) as h:
            assert h.runtime is not None
            h.simulator.faults.latency = DRS_LATENCY
            ours = build_web(h.runtime, build_app(h.runtime), watcher=None)
            client = httpx.AsyncClient(timeout=30)
            async with (
                serving(ours) as ours_url,
                serving(bare_web(h.slack.api_url)) as bare_url,
                SlackSender(SIGNING_SECRET, client=client) as sender,
            ):
                samples: dict[str, list[float]] = {"floor": [], "help": [], "job": []}

                async def timed(base: str, text: str) -> float:
                    body = slash_command_body(text=text, response_url=h.slack.new_response_url())
                    started = time.perf_counter()
                    response = await sender.send(f"{base}/slack/events", body)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{text!r}: HTTP {response.status_code}")
                    return elapsed

                for n in range(total):
                    floor = await timed(bare_url, "help")
                    help_ = await timed(ours_url, "help")
                    job = await timed(ours_url, job_id(n))
                    if n >= warmup:
                        samples["floor"].append(floor)
                        samples["help"].append(help_)
                        samples["job"].append(job)
                # let the cards follow before shutting down (DRS answers after 2 s)
                await h.slack.wait_for(
                    lambda: len(h.slack.calls_to("chat.postMessage")) >= total, timeout=60
                )
                await client.aclose()
    print(
        f"acknowledgement latency, {requests} sequential requests each after {warmup} warm-up; "
        f"DRS latency {DRS_LATENCY:g} s"
    )
    print(summary("floor (bare Bolt, ack only)", samples["floor"], None))
    print(summary("help", samples["help"], samples["floor"]))
    print(summary("JOB_ID (DRS takes 2 s)", samples["job"], samples["floor"]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(run(args.requests, args.warmup))


if __name__ == "__main__":
    sys.exit(main())
