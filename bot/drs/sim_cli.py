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


def parse_iam_projects(text: str | None) -> dict[str, str]:
    """`--iam-projects ap-southeast-1:PROJECT_ID,...`: what the IAM project listing serves."""
    projects: dict[str, str] = {}
    for item in (text or "").split(","):
        region, sep, project = (part.strip() for part in item.strip().partition(":"))
        if not item.strip():
            continue
        if not sep or not region or not project:
            raise UsageError(
                f"--iam-projects: `{item.strip()}` is not REGION:PROJECT_ID; for example "
                "`--iam-projects ap-southeast-1:0123456789abcdef0123456789abcdef`."
            )
        projects[region.lower()] = project
    return projects


async def _serve(args: argparse.Namespace) -> int:
    spec = load_jobs_spec(args.jobs) if getattr(args, "jobs", None) else JobsSpec(demo_jobs())
    sim = simulator_from_env(
        spec.jobs,
        host=getattr(args, "host", "127.0.0.1"),
        port=args.port,
        max_clock_skew=900.0,
        iam_projects=parse_iam_projects(getattr(args, "iam_projects", None)),
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
        for region, project in sim.iam.projects.items():
            print(f"  IAM lists region {region}: project {project}")
        for job in sim.jobs.values():
            print(f"  job {job.job_id}: {len(job.steps)} steps, {job.step_seconds:g}s each")
        print("Press Ctrl+C to stop.", flush=True)
        await stop.wait()
    return 0


def run_simulator(args: argparse.Namespace) -> int:
    """`drs-bot simulator [--port N] [--host H] [--jobs FILE] [--iam-projects R:P,...]`."""
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
