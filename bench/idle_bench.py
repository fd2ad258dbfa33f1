"""Idle benchmark: CPU of a real `drs-bot serve` with no watches, and with 1,000 at 30 s; prints %.

Run `python bench/idle_bench.py [--seconds 30] [--watches 1000]`. The DRS simulator and the Slack
stand-in run in a child process; `drs-bot serve` runs as its own process (HTTP mode, SQLite) and
its CPU (user + system, from /proc) is read over the measured window (with watches, after one
interval, when every watch has been polled once: the steady state). Goals (issue 15): idle under
0.5% of one core; 1,000 watches at the default 30 s interval under 5%. The floors, measured the
same way in the same run: a bare uvicorn serving an empty app (idle), and the bare request loop
of `watcher_bench` making the same DRS requests (1,000 watches).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select, update
from watcher_bench import add_watches, first_answers, job_ids, run_floor, serve_stand_ins

from bot.clock import SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import BOT_TOKEN, DRS_TOKEN, PROJECT_ID, SIGNING_SECRET
from bot.store.models import PolledJob

LATENCY = 0.1
INTERVAL = 30.0  # POLL_INTERVAL_SECONDS's default
_TICK = os.sysconf("SC_CLK_TCK")
_EMPTY_APP = """
import uvicorn
async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})
uvicorn.run(app, host="127.0.0.1", port=int(__import__("sys").argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def bot_env(drs_url: str, slack_url: str, db: Path, port: int) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "TMPDIR", "DRS_MAX_RPS")
    }
    return {
        **keep,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_url,
        "DRS_ENDPOINT": drs_url,
        "DRS_PROJECT_ID": PROJECT_ID,
        "DRS_AUTH_TOKEN": DRS_TOKEN,
        "DATABASE_URL": f"sqlite:///{db}",
        "DB_AUTO_UPGRADE": "1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }


async def wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"the process stopped with exit code {proc.returncode}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("not healthy within 30 s")


def measure(
    cmd: list[str], env: dict[str, str], port: int, args: argparse.Namespace, warmup: float
) -> float:
    """Start `cmd`, wait until /healthz answers and `warmup` s more, return its CPU in %."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        asyncio.run(wait_healthy(port, proc))
        time.sleep(warmup)
        cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(args.seconds)
        return 100 * (cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - wall0)
    finally:
        proc.terminate()
        proc.wait(20)


async def seed(drs_url: str, slack_url: str, db: Path, jobs: list[SimJob]) -> None:
    """The watches and their cards, as the listeners would have made them, before serve starts."""
    env = bot_env(drs_url, slack_url, db, 0)
    runtime = await build_runtime(load_settings({**env, "PORT": "3000"}), clock=SystemClock())
    try:
        first = first_answers(jobs, runtime.clock.now())
        await add_watches(runtime, [j.job_id for j in jobs], first, interval=INTERVAL)
        # Posting the cards took a while: spread the first polls over an interval from now on.
        async with runtime.sessions.begin() as session:
            ids = (await session.scalars(select(PolledJob.id).order_by(PolledJob.id))).all()
            start, step = runtime.clock.now(), timedelta(seconds=INTERVAL / max(len(ids), 1))
            spread = [{"id": i, "next_poll_at": start + k * step} for k, i in enumerate(ids)]
            await session.execute(update(PolledJob), spread)
    finally:
        await close_runtime(runtime)


def serve_cmd() -> list[str]:
    return [sys.executable, "-m", "bot.cli", "serve"]


def run_case(jobs: list[SimJob], args: argparse.Namespace) -> tuple[float, float]:
    """(serve's CPU %, the floor's CPU %) with `jobs` watched (none: idle)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=serve_stand_ins, args=(jobs, LATENCY, child), daemon=True)
    proc.start()
    drs_url, slack_url = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db, port = Path(tmp) / "idle.sqlite3", free_port()
            if jobs:
                asyncio.run(seed(drs_url, slack_url, db, jobs))
            # With watches: steady state, after every watch was polled once (a restart's first
            # interval also parses each job's URL and answer for the first time).
            warmup = args.warmup + (INTERVAL if jobs else 0)
            bot = measure(serve_cmd(), bot_env(drs_url, slack_url, db, port), port, args, warmup)
        if jobs:
            floor_args = argparse.Namespace(**{**vars(args), "interval": INTERVAL})
            result = asyncio.run(run_floor(drs_url, floor_args))
            floor = 100 * result["cpu_ms"] * result["polls"] / 1000 / result["wall"]
        else:
            port = free_port()
            empty_app = [sys.executable, "-c", _EMPTY_APP, str(port)]
            floor = measure(empty_app, {}, port, args, args.warmup)
    finally:
        parent.send("stop")
        parent.recv()
        proc.join(10)
    return bot, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)  # POLL_CONCURRENCY's default
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    jobs = [
        SimJob(j, [{"send_success": True, "parsed_success_number": str(i)}], step_seconds=0)
        for i, j in enumerate(job_ids(args.watches))
    ]
    idle, idle_floor = run_case([], args)
    print(f"drs-bot serve, no watches, {args.seconds:g} s measured")
    print(f"  serve {idle:.2f}% of one core; floor (bare uvicorn) {idle_floor:.2f}%")
    print(f"  goal < 0.5%: {'met' if idle < 0.5 else 'NOT met'}")
    busy, busy_floor = run_case(jobs, args)
    print(f"drs-bot serve, {args.watches} watches at {INTERVAL:g} s, {args.seconds:g} s measured")
    print(f"  serve {busy:.2f}% of one core; floor (bare request loop) {busy_floor:.2f}%")
    print(f"  goal < 5%: {'met' if busy < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
