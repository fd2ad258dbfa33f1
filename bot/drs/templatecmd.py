"""`drs-bot template`, `upload` and `result`: the template round trip from a terminal."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import TextIO

from bot.clock import Clock, SystemClock
from bot.config import load_settings
from bot.drs.checkcmd import EXIT_API, EXIT_OK, EXIT_USAGE, _watch, describe
from bot.drs.cli_region import region_client, region_of
from bot.drs.client import DrsClient
from bot.drs.factory import build_template_client
from bot.drs.jobid import parse_job_id
from bot.drs.template_options import MAPPINGS, UPLOAD_LEVELS
from bot.drs.templates import Download, TemplateClient, choose
from bot.errors import DrsError, UsageError
from bot.templates.checks import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    TemplateFile,
    check_size,
    check_template,
)
from bot.templates.result import error_reasons

_KNOWN_SUFFIXES = (".xlsx", ".xls", ".json", ".txt", ".zip", ".csv")
Action = Callable[[DrsClient, TemplateClient, str], Awaitable[int]]


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


def _save(path: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file, a failure leaves no stray one."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _extension(download: Download) -> str:
    suffix = PurePosixPath(download.suggested_name or "").suffix.lower()
    if suffix in _KNOWN_SUFFIXES:
        return suffix
    data = download.content
    if data.startswith(ZIP_MAGIC):
        return ".xlsx" if b"[Content_Types].xml" in data[:4096] else ".zip"
    if data.startswith(OLE2_MAGIC):
        return ".xls"
    return ".json" if data.lstrip()[:1] in (b"{", b"[") else ".bin"


async def _run(
    command: str, job_text: str, action: Action, clock: Clock | None, region: str | None = None
) -> int:
    """Job ID and settings first (exit 2), then the call (exit 1 on API errors)."""
    try:
        job_id = parse_job_id(job_text)
    except UsageError as exc:
        print(f"drs-bot {command}: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(drs=True)  # ConfigError -> exit 2 in bot.cli
    try:
        drs = await region_client(settings, region, clock=clock or SystemClock())  # --region
        async with drs:
            return await action(drs, build_template_client(drs), job_id)
    except UsageError as exc:
        print(f"drs-bot {command}: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    except DrsError as exc:
        print(f"drs-bot {command}: {exc.user_message()}", file=sys.stderr)
        return EXIT_API


async def run_template(
    args: argparse.Namespace, *, clock: Clock | None = None, out: TextIO | None = None
) -> int:
    """Download the blank template to -o FILE (default JOB_ID-template-LEVEL.zip)."""
    stream = out or sys.stdout

    async def action(_: DrsClient, templates: TemplateClient, job_id: str) -> int:
        download = await templates.download_template(job_id, level=args.level, language=args.lang)
        path = Path(args.output or f"{job_id}-template-{args.level or 'table'}.zip")
        await asyncio.to_thread(_save, path, download.content)
        print(f"Saved the blank template to {path} ({_size(len(download.content))}).", file=stream)
        print(f"Fill it in, then: drs-bot upload {job_id} FILE", file=stream)
        return EXIT_OK

    return await _run("template", args.job_id, action, clock, region_of(args))


async def run_result(
    args: argparse.Namespace, *, clock: Clock | None = None, out: TextIO | None = None
) -> int:
    """Download the import result to -o FILE and quote the first error reasons it holds."""
    stream = out or sys.stdout

    async def action(_: DrsClient, templates: TemplateClient, job_id: str) -> int:
        download = await templates.download_result(
            job_id, result_type=args.result_type, language=args.lang
        )
        path = Path(args.output or f"{job_id}-result-{args.result_type}{_extension(download)}")
        await asyncio.to_thread(_save, path, download.content)
        print(
            f"Saved the {args.result_type} result to {path} ({_size(len(download.content))}).",
            file=stream,
        )
        reasons = error_reasons(download.content)
        if reasons.found:
            print(f"{reasons.total} rows carry an error reason; the first ones:", file=stream)
            for row, reason in reasons.first:
                print(f"  row {row}: {reason}", file=stream)
        return EXIT_OK

    return await _run("result", args.job_id, action, clock, region_of(args))


def _read_checked(path: Path) -> tuple[TemplateFile, bytes]:
    """The file's bytes once every check passed; the size is checked before reading it."""
    if not path.is_file():
        raise UsageError(f"There is no file at {str(path)!r}.")
    check_size(path.name, path.stat().st_size)
    content = path.read_bytes()
    return check_template(path.name, content), content


async def run_upload(
    args: argparse.Namespace, *, clock: Clock | None = None, out: TextIO | None = None
) -> int:
    """Check FILE as DRS would (exit 2 when refused, nothing sent), upload, maybe watch."""
    stream = out or sys.stdout
    clock = clock or SystemClock()
    path = Path(args.file)
    try:
        parse_job_id(args.job_id)
        choose(args.level, UPLOAD_LEVELS, "--level")
        choose(args.mapping, MAPPINGS, "--mapping")
        checked, content = await asyncio.to_thread(_read_checked, path)
    except UsageError as exc:
        print(f"drs-bot upload: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE

    async def action(drs: DrsClient, templates: TemplateClient, job_id: str) -> int:
        progress = await templates.upload(
            job_id,
            checked,
            content,
            level=args.level,
            mapping=args.mapping,
            language=args.lang,
        )
        print(f"Uploaded {path.name} ({_size(len(content))}): {describe(progress)}", file=stream)
        if not args.watch:
            return EXIT_OK
        watch = argparse.Namespace(job_type=None, lang=args.lang, json=False)
        interval = load_settings(drs=True).poll_interval_seconds
        return await _watch(drs, watch, job_id, interval, clock, stream)

    return await _run("upload", args.job_id, action, clock, region_of(args))
