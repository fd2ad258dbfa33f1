"""The `drs-bot simulator` command: the DRS simulator as a process, credentials from env."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from typing import Any

from bot.drs.sim_jobs import JobsSpec, SimJob, demo_jobs, load_jobs_spec
from bot.drs.simulator import DrsSimulator
from bot.errors import UsageError


def simulator_from_env(
    jobs: list[SimJob], env: dict[str, str] | None = None, **kwargs: Any
) -> DrsSimulator:
    """A simulator accepting every credential the environment names (as the bot reads them)."""
    source = dict(os.environ if env is None else env)

    def get(name: str) -> str | None:
        return source.get(name) or None

    users: dict[str, str] = {}
    user, password = get("IAM_USERNAME"), get("IAM_PASSWORD")
    if user and password:
        domain = get("IAM_DOMAIN")
        users[f"{domain}/{user}" if domain else user] = password
    return DrsSimulator(
        jobs,
        project_id=get("DRS_PROJECT_ID"),
        token=get("DRS_AUTH_TOKEN"),
        ak=get("HUAWEICLOUD_SDK_AK"),
        sk=get("HUAWEICLOUD_SDK_SK"),
        iam_users=users,
        **kwargs,
    )


async def _serve(args: argparse.Namespace) -> int:
    spec = load_jobs_spec(args.jobs) if getattr(args, "jobs", None) else JobsSpec(demo_jobs())
    sim = simulator_from_env(
        spec.jobs, host=getattr(args, "host", "127.0.0.1"), port=args.port, max_clock_skew=900.0
    )
    sim.faults = spec.faults
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with sim:
        creds = [
            name
            for name, on in (
                ("token", sim.token),
                ("AK/SK", sim.ak and sim.sk),
                ("IAM login", sim.iam_users),
            )
            if on
        ]
        print(f"DRS simulator listening on {sim.url}", flush=True)
        print(f"  project: {sim.project_id or 'any'}; credentials: {', '.join(creds) or 'any'}")
        for job in sim.jobs.values():
            print(f"  job {job.job_id}: {len(job.steps)} steps, {job.step_seconds:g}s each")
        print("Press Ctrl+C to stop.", flush=True)
        await stop.wait()
    return 0


def run_simulator(args: argparse.Namespace) -> int:
    """`drs-bot simulator [--port N] [--host H] [--jobs FILE]`."""
    import sys

    from bot.config import load_settings
    from bot.logs import configure_logging

    configure_logging(load_settings())  # LOG_LEVEL=DEBUG shows every request
    try:
        return asyncio.run(_serve(args))
    except UsageError as exc:
        print(f"drs-bot simulator: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"drs-bot simulator: cannot listen on port {args.port}: {exc.strerror}", file=sys.stderr
        )
        return 2
