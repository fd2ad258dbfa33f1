"""DRS budget benchmark: 3 replicas on PostgreSQL, 1,000 watches at 2 s, DRS_MAX_RPS=50.

Run `python bench/budget_bench.py [--seconds 60] [--watches 1000] [--max-rps 50]`.
The DRS simulator and the Slack stand-in run in one child process and every replica in its own
(real `Watcher`s, as `serve` runs them), all on one fresh PostgreSQL database (`BENCH_PG_URL`,
default postgresql://postgres@127.0.0.1:5432/test, where it creates and drops its own). The
simulator notes when each request arrives; from that the bench prints the most DRS requests in
any one-second window (goal <= DRS_MAX_RPS) and the longest gap between two polls of any watch
against 1.2 x watches / DRS_MAX_RPS (the floor: the budget shared perfectly evenly), as ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import multiprocessing as mp
import os
import sys
import time
import uuid
from multiprocessing.connection import Connection

import asyncpg
from sqlalchemy.engine import make_url

from bot.clock import SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import BOT_TOKEN, DRS_TOKEN, PROJECT_ID, SIGNING_SECRET, stand_ins
from bot.watcher.scheduler import Watcher

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itertools

from watcher_bench import add_watches, first_answers, job_ids

INTERVAL = 2.0
LATENCY = 0.02
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


# ---- the stand-ins, in a child process ---------------------------------------------------


async def _serve(jobs: list[SimJob], conn: Connection) -> None:
    async with stand_ins(jobs) as (simulator, slack):
        simulator.faults.latency = LATENCY
        conn.send((simulator.url, slack.api_url))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        conn.send([(r.at, r.path) for r in simulator.requests])


def serve_stand_ins(jobs: list[SimJob], conn: Connection) -> None:
    asyncio.run(_serve(jobs, conn))


# ---- one replica, in a process of its own ------------------------------------------------


async def _replica(env: dict[str, str], seconds: float) -> None:
    runtime = await build_runtime(load_settings(env), clock=SystemClock())
    try:
        watcher = Watcher(runtime, tick_seconds=0.5)
        watcher.start()
        await asyncio.sleep(seconds)
        await watcher.shutdown()
    finally:
        await close_runtime(runtime)


def run_replica(env: dict[str, str], seconds: float) -> None:
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(_replica(env, seconds))


async def _add_watches(env: dict[str, str], ids: list[str], jobs: list[SimJob]) -> None:
    runtime = await build_runtime(load_settings(env), clock=SystemClock())
    try:
        await add_watches(runtime, ids, first_answers(jobs, runtime.clock.now()))
    finally:
        await close_runtime(runtime)


# ---- the database ------------------------------------------------------------------------


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(make_url(PG_URL).render_as_string(False))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def env_for(drs_url: str, slack_url: str, database_url: str, max_rps: float) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_url,
        "DRS_ENDPOINT": drs_url,
        "DRS_PROJECT_ID": PROJECT_ID,
        "DRS_AUTH_TOKEN": DRS_TOKEN,
        "DATABASE_URL": database_url,
        "DB_AUTO_UPGRADE": "1",
        "POLL_INTERVAL_SECONDS": str(INTERVAL),
        "DRS_MAX_RPS": str(max_rps),
        "LOG_LEVEL": "ERROR",
    }


# ---- the figures -------------------------------------------------------------------------


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


def longest_gap(polls: list[tuple[float, str]], paths: int, start: float, end: float) -> float:
    """The longest wait of any watch between two polls within [start, end] (a watch not polled
    at all counts as waiting the whole time: starvation shows)."""
    seen: dict[str, list[float]] = {}
    for at, path in polls:
        if start <= at <= end:
            seen.setdefault(path, []).append(at)
    if len(seen) < paths:
        return end - start
    worst = 0.0
    for times in seen.values():
        marks = [start, *sorted(times), end]
        gaps = [b - a for a, b in itertools.pairwise(marks)]
        # the edges only bound the gap from below: count them only when they are the worst
        worst = max(worst, max(gaps[1:-1], default=0.0))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=25.0)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--max-rps", type=float, default=50.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    ids = job_ids(args.watches)
    jobs = [SimJob(j, [{"send_success": False}], step_seconds=0) for j in ids]
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    stand = ctx.Process(target=serve_stand_ins, args=(jobs, child), daemon=True)
    stand.start()
    drs_url, slack_url = parent.recv()
    name = f"budget_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    database_url = make_url(PG_URL).set(database=name).render_as_string(False)
    env = env_for(drs_url, slack_url, database_url, args.max_rps)
    try:
        asyncio.run(_add_watches(env, ids, jobs))
        began = time.monotonic()
        total = args.warmup + args.seconds
        replicas = [
            ctx.Process(target=run_replica, args=(env, total), daemon=True)
            for _ in range(args.replicas)
        ]
        for proc in replicas:
            proc.start()
        for proc in replicas:
            proc.join(total + 60)
    finally:
        parent.send("stop")
        requests: list[tuple[float, str]] = parent.recv()
        stand.join(10)
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    report(args, requests, began + args.warmup, began + args.warmup + args.seconds)


def report(
    args: argparse.Namespace, requests: list[tuple[float, str]], start: float, end: float
) -> None:
    window = [r for r in requests if start <= r[0] <= end]
    polls = [r for r in window if r[1].endswith("/progress")]
    busiest = busiest_second([at for at, _ in window])
    fair = args.watches / args.max_rps
    gap = longest_gap(polls, args.watches, start, end)
    print(
        f"{args.watches} watches at {INTERVAL:g} s ({args.watches / INTERVAL:.0f} requests/s "
        f"wanted), DRS_MAX_RPS={args.max_rps:g}, {args.replicas} replicas on PostgreSQL, "
        f"{args.seconds:g} s measured after {args.warmup:g} s"
    )
    print(f"DRS requests: {len(window)} ({len(window) / (end - start):.1f}/s), polls {len(polls)}")
    print(
        f"busiest 1-second window: {busiest} requests = {busiest / args.max_rps:.2f}x "
        f"DRS_MAX_RPS (goal <= 1.00x)"
    )
    print(
        f"longest gap between polls of any watch: {gap:.1f} s = {gap / (1.2 * fair):.2f}x of "
        f"1.2 x {fair:g} s (goal <= 1.00x); {gap / fair:.2f}x the even share"
    )


if __name__ == "__main__":
    main()
