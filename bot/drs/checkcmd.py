"""`drs-bot check JOB_ID`: one progress query (or a live watch) from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.clock import Clock, SystemClock
from bot.config import load_settings
from bot.domain.progress import Phase, Progress
from bot.drs.cli_region import region_client, region_of
from bot.drs.client import DrsClient
from bot.drs.jobid import parse_job_id
from bot.errors import DrsError, InvalidJobId, UnknownRegion

# 0: DRS answered (with --watch: the parse succeeded); 1: DRS or IAM gave an error;
# 2: usage or settings; 3: with --watch, the parse failed.
EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_PARSE_FAILED = 0, 1, 2, 3


def describe(progress: Progress) -> str:
    """One line that reads well on a phone: job, phase, rows, upload state."""
    phase = progress.phase
    label = phase.value
    status = progress.process_status
    if status and phase is Phase.PARSING:
        label += f" (status {status})"  # unknown values are shown verbatim
    parts = [f"{progress.job_id}: {label}"]
    if progress.parsed_success_number is not None:
        parts.append(f"{progress.parsed_success_number:,} rows parsed")
    elif progress.parsed_success_raw:
        parts.append(f"rows: {progress.parsed_success_raw}")
    upload = {True: "upload complete", False: "upload not complete", None: "upload state unknown"}
    parts.append(upload[progress.send_success])
    return " · ".join(parts)


def _render(progress: Progress, as_json: bool) -> str:
    if as_json:
        return json.dumps(progress.to_json(), ensure_ascii=False)
    return describe(progress)


async def _watch(
    client: DrsClient,
    args: argparse.Namespace,
    job_id: str,
    interval: float,
    clock: Clock,
    out: TextIO,
) -> int:
    live = out.isatty() and not args.json
    last = ""
    while True:
        try:
            progress = await client.query(job_id, job_type=args.job_type, language=args.lang)
            line = _render(progress, args.json)
            finished, failed = progress.finished, progress.phase is Phase.FAILED
        except DrsError as exc:
            if not exc.retryable:  # not found, refused, rejected: watching longer cannot help
                if live:
                    out.write("\n")
                raise
            # Throttled/unavailable even after this query's retries: keep watching, say so.
            line = f"{job_id}: no answer this time, retrying ({exc.describe()})"
            finished = failed = False
            if args.json:  # stdout stays JSON lines only
                print(f"drs-bot check: {line}", file=sys.stderr)
                await clock.sleep(interval)
                continue
        if live:
            out.write("\r\033[K" + line)
            out.flush()
        elif line != last:
            out.write(line + "\n")
            out.flush()
        last = line
        if finished:
            if live:
                out.write("\n")
            return EXIT_PARSE_FAILED if failed else EXIT_OK
        await clock.sleep(interval)


async def run_check(
    args: argparse.Namespace, *, clock: Clock | None = None, out: TextIO | None = None
) -> int:
    """Exit 0 when DRS answered (any phase; with --watch, when the parse succeeded), 1 for API
    errors, 2 for usage/settings errors, 3 when --watch saw the parse fail."""
    out = out or sys.stdout
    try:
        job_id = parse_job_id(args.job_id)  # before settings and before any request
    except InvalidJobId as exc:
        print(f"drs-bot check: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(drs=True)  # ConfigError -> exit 2 in bot.cli
    clock = clock or SystemClock()
    try:
        client = await region_client(settings, region_of(args), clock=clock)  # --region
        async with client:
            if getattr(args, "watch", False):
                return await _watch(
                    client, args, job_id, settings.poll_interval_seconds, clock, out
                )
            progress = await client.query(job_id, job_type=args.job_type, language=args.lang)
            print(_render(progress, args.json), file=out)
            return EXIT_OK
    except UnknownRegion as exc:
        print(f"drs-bot check: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    except DrsError as exc:
        print(f"drs-bot check: {exc.user_message()}", file=sys.stderr)
        return EXIT_API
