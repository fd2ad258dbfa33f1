"""Chaos benchmark: replicas of `drs-bot serve` on one PostgreSQL, one killed (-9) every few
seconds and restarted; prints how much of the poll schedule was kept and how late finals were.

Run `python bench/replicas_bench.py [--replicas 3] [--watches 150] [--seconds 90]
[--interval 5]`. The DRS simulator and the Slack stand-in run in this process; each replica is a
real `drs-bot serve` subprocess (HTTP and watcher). PostgreSQL: BENCH_PG_DSN, else the local
`postgresql://postgres@127.0.0.1:5432/test`; a throwaway database is created and dropped.
Goals (issue 15): >= 90% of the schedule kept, every final within 2 intervals + 5 s of the end
DRS reported, no final missing or sent twice.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import select
from sqlalchemy.engine import make_url
from watcher_bench import add_watches, first_answers, job_ids

from bot.clock import SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.sandbox.harness import harness_env, stand_ins
from bot.sandbox.slack_standin import SlackStandIn
from bot.store.db import make_engine
from bot.store.migrate import upgrade
from bot.store.models import PolledJob, Watch
from bot.watcher.finals import FINAL_EVENT

PARSING = {"send_success": True, "parsed_success_number": "10"}
DONE = {"send_success": True, "process_status": "success", "parsed_success_number": "20"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replicas:
    """`drs-bot serve` subprocesses: started, killed with SIGKILL, restarted."""

    def __init__(self, env: dict[str, str], n: int) -> None:
        self.env = env
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * n
        self.kills = 0

    def start(self, i: int) -> None:
        env = {**os.environ, **self.env, "PORT": str(free_port())}
        exe = Path(sys.executable).with_name("drs-bot")
        self.procs[i] = subprocess.Popen([str(exe), "serve"], env=env)

    def kill(self, i: int) -> None:
        proc = self.procs[i]
        if proc is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.procs[i] = None
            self.kills += 1

    def stop_all(self) -> None:
        for i, proc in enumerate(self.procs):
            if proc is not None:
                proc.terminate()
                proc.wait(15)
                self.procs[i] = None


async def sample_polls(simulator: DrsSimulator, seen: dict[str, list[float]]) -> None:
    """When each job was polled (to a quarter second): the simulator's counters, watched."""
    counts: dict[str, int] = {}
    while True:
        now = time.monotonic()
        for job_id, n in list(simulator.calls.items()):
            if n > counts.get(job_id, 0):
                seen.setdefault(job_id, []).extend([now] * (n - counts.get(job_id, 0)))
                counts[job_id] = n
        await asyncio.sleep(0.25)


def kept_share(
    polls: dict[str, list[float]], ends: dict[str, float], until: float, step: float
) -> float:
    """Of every interval-long window from a job's first poll to its end, the share polled."""
    windows = kept = 0
    for job_id, times in polls.items():
        start, stop = times[0], min(ends[job_id], until)
        k = 0
        while start + (k + 1) * step <= stop:
            lo, hi = start + k * step, start + (k + 1) * step
            windows += 1
            kept += any(lo <= t < hi for t in times)
            k += 1
    return kept / max(windows, 1)


async def chaos(replicas: Replicas, args: argparse.Namespace) -> None:
    """Kill a random replica every 3-8 s; bring it back `restart_after` seconds later."""
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        await asyncio.sleep(min(random.uniform(*args.kill_every), deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            break
        alive = [i for i, p in enumerate(replicas.procs) if p is not None]
        if not alive:
            continue
        victim = random.choice(alive)
        replicas.kill(victim)
        asyncio.get_running_loop().call_later(args.restart_after, replicas.start, victim)


def results(
    simulator: DrsSimulator,
    slack: SlackStandIn,
    jobs: list[SimJob],
    watch_of: dict[str, int],
    started: tuple[float, datetime],
    args: argparse.Namespace,
    polls: dict[str, list[float]],
) -> dict[str, Any]:
    mono0, wall0 = started
    wall = time.monotonic() - mono0
    # DRS reports the end step_seconds after a job's first query (the simulator's own record;
    # its clock is this process's monotonic clock).
    first: dict[str, float] = getattr(simulator, "_first_seen")  # noqa: B009 (private, read-only)
    ends = {j.job_id: first.get(j.job_id, mono0) + j.step_seconds for j in jobs}
    finals: dict[int, list[float]] = {}
    for msg in slack.message_list:
        tag = msg.metadata or {}
        if tag.get("event_type") == FINAL_EVENT and msg.posted_at is not None:
            at = mono0 + (msg.posted_at - wall0).total_seconds()
            finals.setdefault(int(tag["event_payload"]["watch_id"]), []).append(at)
    delays, missing = [], 0
    for job in jobs:
        got = finals.get(watch_of[job.job_id])
        if got:
            delays.append(min(got) - ends[job.job_id])
        elif ends[job.job_id] < mono0 + wall - (2 * args.interval + 5):
            missing += 1
    return {
        "kept": kept_share(polls, ends, mono0 + wall, args.interval),
        "polls": sum(simulator.calls.values()),
        "worst": max(delays, default=0.0),
        "finals": len(delays),
        "twice": sum(1 for v in finals.values() if len(v) > 1),
        "missing": missing,
    }


async def run(args: argparse.Namespace, dsn: str) -> None:
    ids = job_ids(args.watches)
    random.seed(args.seed)
    span = max(args.seconds - 3 * args.interval - 10, 10)
    jobs = [SimJob(j, [PARSING, DONE], step_seconds=random.uniform(5, span)) for j in ids]
    async with stand_ins(jobs, clock=SystemClock()) as (simulator, slack):
        env = harness_env(simulator, slack, dsn)
        env |= {"POLL_INTERVAL_SECONDS": str(args.interval), "LOG_LEVEL": "ERROR"}
        engine = make_engine(dsn)
        await upgrade(engine)
        await engine.dispose()
        runtime = await build_runtime(load_settings(env), clock=SystemClock())
        try:
            await add_watches(runtime, ids, first_answers(jobs, runtime.clock.now()))
            async with runtime.sessions() as session:
                rows = await session.execute(select(PolledJob.job_id, Watch.id).join(Watch))
                watch_of = {job_id: watch_id for job_id, watch_id in rows}
        finally:
            await close_runtime(runtime)
        replicas = Replicas(env, args.replicas)
        started = (time.monotonic(), datetime.now(UTC))
        for i in range(args.replicas):
            replicas.start(i)
        polls: dict[str, list[float]] = {}
        sampler = asyncio.create_task(sample_polls(simulator, polls))
        try:
            await chaos(replicas, args)
        finally:
            sampler.cancel()
            replicas.stop_all()
        found = results(simulator, slack, jobs, watch_of, started, args, polls)
    goal = 2 * args.interval + 5
    print(
        f"{args.replicas} replicas on PostgreSQL, {args.watches} watches, {args.interval:g} s "
        f"interval, {args.seconds:g} s, {replicas.kills} kills (-9), restarts after "
        f"{args.restart_after:g} s"
    )
    print(
        f"schedule kept: {found['kept']:.1%} of the interval-long windows between a job's first "
        f"poll and its end had a poll (goal >= 90%); {found['polls']} polls"
    )
    print(
        f"worst final delay: {found['worst']:.1f} s after DRS reported the end "
        f"(goal <= {goal:g} s = 2 intervals + 5 s; {found['worst'] / goal:.2f}x)"
    )
    print(
        f"finals: {found['finals']} sent, {found['twice']} sent twice, {found['missing']} missing"
    )


async def _admin(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--watches", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--restart-after", type=float, default=3.0)
    parser.add_argument(
        "--kill-every", type=float, nargs=2, default=(3.0, 8.0), metavar=("MIN", "MAX")
    )
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    admin = os.environ.get("BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"drs_bench_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        shown = make_url(admin).render_as_string(hide_password=True)
        sys.exit(
            f"replicas_bench needs PostgreSQL: {shown} did not let it create a database "
            f"({type(exc).__name__}: {exc}); set BENCH_PG_DSN to a server where it may"
        )
    try:
        dsn = make_url(admin).set(database=name).render_as_string(hide_password=False)
        asyncio.run(run(args, dsn))
    finally:
        asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
