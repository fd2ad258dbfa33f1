"""Watcher benchmark: 300 and 1,000 watches, 2 s interval, 100 ms DRS latency; prints figures.

Run `python bench/watcher_bench.py [--seconds 25] [--watches 300 1000] [--concurrency 100]`.
The DRS simulator and the Slack stand-in run in a child process, so the CPU and memory measured
here are the bot's own. SQLite in a temporary directory. Goals (issue 5): >= 95% of the poll
schedule kept, < 2 ms CPU per poll, < 150 MB resident; issue 15: CPU per poll within 1.3x of
the floor at both sizes. The floor is a bare httpx loop making the same requests with the same
concurrency; the ratio says what the bot adds on top of it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing as mp
import resource
import tempfile
import time
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from bot.clock import SystemClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.domain.details import JobDetails
from bot.domain.progress import Progress
from bot.domain.watching import initial_told
from bot.drs.client import progress_path
from bot.drs.sim_jobs import SimJob
from bot.drs.transport import AiohttpTransport
from bot.render.cards import CardView, watch_card
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.sandbox.harness import BOT_TOKEN, DRS_TOKEN, PROJECT_ID, SIGNING_SECRET, TEAM_ID, stand_ins
from bot.store import leases, repo
from bot.store.models import Watch
from bot.store.names import apply_details
from bot.watcher.scheduler import Watcher

INTERVAL = 2.0
LATENCY = 0.1


def job_ids(n: int) -> list[str]:
    return [f"{i:08x}-0000-4000-8000-{i:012x}"[:-2] + "jb" for i in range(n)]


# ---- the stand-ins, in a child process ---------------------------------------------------


async def _serve(jobs: list[SimJob], latency: float, conn: Connection) -> None:
    async with stand_ins(jobs) as (simulator, slack):
        simulator.faults.latency = latency
        conn.send((simulator.url, slack.api_url))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        conn.send(sum(simulator.calls.values()))


def serve_stand_ins(jobs: list[SimJob], latency: float, conn: Connection) -> None:
    asyncio.run(_serve(jobs, latency, conn))


# ---- the bot -------------------------------------------------------------------------------


async def add_watches(
    runtime: Runtime, ids: list[str], first: dict[str, Progress], *, interval: float = INTERVAL
) -> None:
    """What the listener does for each: a watch, its job's name, a posted card, the card remembered.

    The listener checks the job before posting its card, so the card (and what the watch was
    told) starts from the job's first answer: `first`.
    """
    now = runtime.clock.now()
    async with runtime.sessions.begin() as session:
        watches: list[tuple[Watch, CardView]] = []
        for i, job_id in enumerate(ids):
            watch, _ = await repo.get_or_create_watch(
                session,
                team_id=TEAM_ID,
                channel_id=f"C{i % 50:08d}",
                thread_ts=None,
                project_id=runtime.project_id,
                job_id=job_id,
                job_type=None,
                language="en-us",
                requested_by="U0BENCH",
                now=now,
                expires_at=now + timedelta(hours=24),
                # Spread the first polls over one interval, as watches arriving over time would.
                first_poll_at=now + timedelta(seconds=interval * i / len(ids)),
            )
            # The listener asks for the job's details (its name) when the watch starts.
            apply_details(watch.polled_job, JobDetails(job_id, name=f"bench {i}"), now)
            watches.append((watch, card_view(watch, watch.polled_job, progress=first[job_id])))
    sem = asyncio.Semaphore(32)

    async def post(watch: Watch, view: CardView) -> tuple[int, str, str]:
        async with sem:
            ts = await runtime.slack.post(watch.channel_id, watch_card(view))
        return watch.id, watch.channel_id, ts

    cards = await asyncio.gather(*(post(w, v) for w, v in watches))
    by_id = {w.id: w for w, _ in watches}
    async with runtime.sessions.begin() as session:
        for watch_id, channel, ts in cards:
            progress = first[by_id[watch_id].polled_job.job_id]
            await repo.set_card(session, watch_id=watch_id, card_channel=channel, card_ts=ts)
            await leases.note_progress(
                session, polled_job_id=by_id[watch_id].polled_job_id, progress=progress, now=now
            )
            told = initial_told(progress, now).to_dict()
            await repo.record_delivery(session, watch_id=watch_id, told=told, now=now, thread_ts=ts)


def first_answers(jobs: list[SimJob], now: datetime) -> dict[str, Progress]:
    return {j.job_id: Progress.from_body(j.job_id, j.steps[0], now) for j in jobs}


async def run_bot(
    drs_url: str, slack_url: str, args: argparse.Namespace, db: Path, jobs: list[SimJob]
) -> dict[str, float]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_url,
        "DRS_ENDPOINT": drs_url,
        "DRS_PROJECT_ID": PROJECT_ID,
        "DRS_AUTH_TOKEN": DRS_TOKEN,
        "DATABASE_URL": f"sqlite:///{db}",
        "DB_AUTO_UPGRADE": "1",
        "POLL_INTERVAL_SECONDS": str(args.interval),
        "POLL_CONCURRENCY": str(args.concurrency),
        "DRS_MAX_RPS": "1000",  # 500 polls/s wanted: the budget is bench/budget_bench.py's
        "LOG_LEVEL": "WARNING",
        # The stand-in does not limit channels, and after the warm-up no card changes: polls only.
        "SLACK_CHANNEL_PACE_SECONDS": "0",
    }
    runtime = await build_runtime(load_settings(env), clock=SystemClock())
    try:
        ids = [j.job_id for j in jobs]
        first = first_answers(jobs, runtime.clock.now())
        await add_watches(runtime, ids, first, interval=args.interval)
        watcher = Watcher(runtime, tick_seconds=args.tick)
        watcher.start()
        await asyncio.sleep(args.warmup)  # first polls edit every card once
        start_stats = (watcher.totals.polled, watcher.totals.failed)
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(args.seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        polled = watcher.totals.polled - start_stats[0]
        failed = watcher.totals.failed - start_stats[1]
        await watcher.shutdown()
    finally:
        await close_runtime(runtime)
    expected = args.watches * wall / args.interval
    return {
        "polls": polled,
        "failed": failed,
        "kept": polled / expected,
        "cpu_ms": 1000 * cpu / max(polled, 1),
        "wall": wall,
    }


async def run_floor(drs_url: str, args: argparse.Namespace) -> dict[str, float]:
    """A bare httpx loop: every job once per interval, same concurrency, nothing else."""
    ids = job_ids(args.watches)
    sem = asyncio.Semaphore(args.concurrency)
    polls = 0
    headers = {"X-Auth-Token": DRS_TOKEN, "X-Language": "en-us"}
    # The same transport the bot's DRS client uses (bot.drs.transport), so the ratio shows
    # what the bot adds on top of making the requests.
    transport = AiohttpTransport(max_connections=args.concurrency + 8)
    async with httpx.AsyncClient(base_url=drs_url, timeout=15, transport=transport) as client:

        async def one(job_id: str) -> None:
            nonlocal polls
            async with sem:
                response = await client.get(progress_path(PROJECT_ID, job_id), headers=headers)
                response.json()
                polls += 1

        async def job_loop(i: int, job_id: str) -> None:
            await asyncio.sleep(args.interval * i / len(ids))
            next_at = time.monotonic()
            while True:
                await one(job_id)
                next_at += args.interval
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))

        tasks = [asyncio.create_task(job_loop(i, j)) for i, j in enumerate(ids)]
        await asyncio.sleep(args.warmup)
        start, cpu0, wall0 = polls, time.process_time(), time.monotonic()
        await asyncio.sleep(args.seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        done = polls - start
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "polls": done,
        "failed": 0,
        "kept": done / (args.watches * wall / args.interval),
        "cpu_ms": 1000 * cpu / max(done, 1),
        "wall": wall,
    }


def measure(args: argparse.Namespace) -> float:
    """One size (`args.watches`): the bot, then the floor, against fresh stand-ins; the ratio."""
    jobs = [
        SimJob(j, [{"send_success": True, "parsed_success_number": str(i)}], step_seconds=0)
        for i, j in enumerate(job_ids(args.watches))
    ]
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=serve_stand_ins, args=(jobs, LATENCY, child), daemon=True)
    proc.start()
    drs_url, slack_url = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot = asyncio.run(run_bot(drs_url, slack_url, args, Path(tmp) / "bench.sqlite3", jobs))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        floor = asyncio.run(run_floor(drs_url, args))
    finally:
        parent.send("stop")
        parent.recv()
        proc.join(10)
    report(args, bot, floor, rss_mb)
    return bot["cpu_ms"] / max(floor["cpu_ms"], 1e-9)


def report(
    args: argparse.Namespace, bot: dict[str, float], floor: dict[str, float], rss_mb: float
) -> None:
    print(
        f"{args.watches} watches, {args.interval:g} s interval, {LATENCY * 1000:g} ms DRS latency, "
        f"concurrency {args.concurrency}, {args.seconds:g} s measured"
    )
    print(f"{'':14}{'polls':>8}{'failed':>8}{'kept':>9}{'CPU/poll':>11}")
    for name, r in (("bot (sweep)", bot), ("floor (loop)", floor)):
        print(
            f"{name:14}{r['polls']:>8.0f}{r['failed']:>8.0f}{r['kept']:>8.1%}{r['cpu_ms']:>9.2f}ms"
        )
    bound = args.concurrency / LATENCY  # polls a second the concurrency allows at this latency
    needed = args.watches / args.interval
    rate = bot["polls"] / bot["wall"]
    print(
        f"poll rate: {rate:.0f}/s; the schedule needs {needed:.0f}/s; the concurrency bound "
        f"({args.concurrency} in flight x {LATENCY * 1000:g} ms) allows {bound:.0f}/s: "
        f"{rate / bound:.0%} of the bound"
    )
    print(f"peak RSS of the bot so far: {rss_mb:.0f} MB (goal < 150 MB)")
    print(f"schedule kept: {bot['kept']:.1%} (goal >= 95%)")
    print(
        f"CPU per poll: {bot['cpu_ms']:.2f} ms (goal < 2 ms); "
        f"{bot['cpu_ms'] / max(floor['cpu_ms'], 1e-9):.2f}x the bare request loop (goal <= 1.3x)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--warmup", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--tick", type=float, default=0.5)
    parser.add_argument("--interval", type=float, default=INTERVAL)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    ratios = {n: measure(argparse.Namespace(**{**vars(args), "watches": n})) for n in args.watches}
    for n, ratio in ratios.items():
        verdict = "met" if ratio <= 1.3 else "NOT met"
        print(
            f"CPU per poll at {n} watches: {ratio:.2f}x the bare request loop (<= 1.3x: {verdict})"
        )


if __name__ == "__main__":
    main()
