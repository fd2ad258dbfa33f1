"""`drs-bot sandbox`: the whole bot on one machine, driven from a terminal channel or a script."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from rich.console import Console

from bot.config import load_settings
from bot.drs.sim_jobs import JobsSpec, SimJob, demo_jobs, load_jobs_spec
from bot.errors import BotError, ConfigError, UsageError
from bot.logs import configure_logging
from bot.proxy import keep_proxies_to_ourselves
from bot.sandbox.attach import SAMPLES, write_samples
from bot.sandbox.commands import COMMANDS_HELP, jobs_lines
from bot.sandbox.harness import BOT_USER_ID, harness_env, stand_ins
from bot.sandbox.session import USER, Session, live_bot, new_sender, script_lines
from bot.sandbox.terminal import Transcript

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
POLL_SECONDS = "1"  # the sandbox's jobs move in seconds; so does its watcher
# The only settings taken from the caller's environment: timing and logging, never
# credentials or URLs, so a real workspace or cloud account is never touched.
TIMING_SETTINGS = (
    "POLL_INTERVAL_SECONDS",
    "WATCH_MAX_HOURS",
    "POLL_CONCURRENCY",
    "PROGRESS_REPLY_MINUTES",
    "CARD_REFRESH_SECONDS",
    "STALL_MINUTES",
    "FAILURE_NOTICE_AFTER",
    "FINAL_BROADCAST",
    "LOG_LEVEL",
)
MIN_WAIT_SECONDS = 60.0

DEMO_SCRIPT = """\
# The drs-bot sandbox demo. Each line is typed into #sandbox as in Slack.
/drs-progress help
# Watch a job that succeeds: its card is edited as the job moves, then a final reply.
/drs-progress c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r
# ...and one that fails.
/drs-progress 0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21
# A private one-off check of a slow job: nothing stored, nothing watched.
/drs-progress status 5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10
# A typo gets a private answer showing the right form.
/drs-progress status c7debc9c-oops
/drs-progress list
# A migration thread: a message, then a mention inside its thread (`^` = latest thread).
cutover of the orders database starts now
^ @drs-bot watch c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r
# A direct message to the bot (from a phone, say), the Home tab, and a console link's preview.
dm: status 5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10
home
the job page: https://console-intl.huaweicloud.com/drs/#/drs/migration/detail?jobId=5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10
# The template round trip in a thread: the blank template, a filled one with a bad row
# (its marked result comes back with the error quoted), then the fixed file.
@drs-bot template 0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21
^ @drs-bot upload 0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21 <bad-orders.xlsx
!wait 20
^ @drs-bot upload 0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21 <orders.xlsx
"""

HELP_LINES = (
    "Type as in Slack: `/drs-progress help`, `/drs-progress JOB_ID`, `@drs-bot watch JOB_ID` "
    "(a mention starts a thread under its line). `^N words` posts in the thread of message "
    "#N, `^ words` in the latest thread. `@drs-bot upload JOB_ID <./orders.xlsx` attaches a "
    "local file. `dm: words` sends the bot a direct message, `home` opens its Home tab, and a "
    "pasted DRS console link gets its preview. `quit` or Ctrl-D leaves. " + COMMANDS_HELP
)


def timing_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The TIMING_SETTINGS set (non-empty) in `environ`; nothing else is read from it."""
    return {name: environ[name] for name in TIMING_SETTINGS if environ.get(name)}


def _read_script(path: str) -> list[str]:
    try:
        return script_lines(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(
            f"cannot read the script file {path!r} ({reason}). Write one line per message as "
            "typed in Slack, e.g. `/drs-progress help`; `#` starts a comment."
        ) from None


def _wait_limit(jobs: list[SimJob], poll_seconds: float) -> float:
    """Long enough for the slowest job to reach its last step, with room for polling."""
    longest = max((j.step_seconds * (len(j.steps) - 1) for j in jobs), default=0.0)
    return max(MIN_WAIT_SECONDS, longest + 30.0 + 3 * poll_seconds)


def run_sandbox(args: argparse.Namespace) -> int:
    """Run the sandbox; 0 when the bot did its part, 1 when it failed, 2 for bad files."""
    try:
        spec = load_jobs_spec(args.jobs) if args.jobs else JobsSpec(demo_jobs())
        lines = _read_script(args.script) if args.script else None
    except UsageError as exc:
        print(f"drs-bot sandbox: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    interactive = lines is None and sys.stdin is not None and sys.stdin.isatty()
    if lines is None and not interactive:
        lines = script_lines(DEMO_SCRIPT)
    console = Console(highlight=False, emoji=False, soft_wrap=True)
    # Everything here is on loopback: a shell's proxy must not carry Bolt's own Slack calls.
    keep_proxies_to_ourselves(os.environ)
    try:
        return asyncio.run(_sandbox(spec, lines, console, timing_env(os.environ)))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except ConfigError as exc:
        print(exc.user_message(), file=sys.stderr)
        return EXIT_USAGE
    except BotError as exc:
        print(f"drs-bot sandbox: {exc.user_message()}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # the promise is "no tracebacks": one line saying what broke
        print(f"drs-bot sandbox: stopped by {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED


class _ErrorCount(logging.Handler):
    """Counts ERROR records: a bot that logs errors during the demo has failed it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _sandbox(
    spec: JobsSpec, lines: list[str] | None, console: Console, timing: dict[str, str]
) -> int:
    with tempfile.TemporaryDirectory(prefix="drs-sandbox-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'sandbox.sqlite3'}"
        async with stand_ins(spec.jobs) as (simulator, slack):
            simulator.faults = spec.faults
            # Only the sandbox's own settings plus TIMING_SETTINGS: whatever SLACK_/DRS_/
            # DATABASE_ the shell holds is ignored.
            env = harness_env(
                simulator,
                slack,
                database_url,
                **{"POLL_INTERVAL_SECONDS": POLL_SECONDS, "LOG_LEVEL": "WARNING", **timing},
            )
            settings = load_settings(env)
            configure_logging(settings)
            errors = _ErrorCount()
            logging.getLogger().addHandler(errors)
            transcript = Transcript(console, slack, names={BOT_USER_ID: "drs-bot", USER: "you"})
            slack.add_listener(transcript.on_call)
            _introduce(transcript, spec, simulator.url, slack.url, tmp, timing)
            transcript.files_dir = _files_folder(transcript)
            async with live_bot(settings) as (rt, url), new_sender() as sender:
                session = Session(rt, slack, sender, transcript, f"{url}/slack/events", simulator)
                transcript.note(f"the bot serves {url}/slack/events; #sandbox is ready")
                wait_limit = _wait_limit(spec.jobs, settings.poll_interval_seconds)
                code = await _interruptible(session, lines, wait_limit)
            logging.getLogger().removeHandler(errors)
            if code == EXIT_OK and errors.count:
                _judge_errors(transcript, errors.count, simulator.faults.fired)
            if code == EXIT_OK and transcript.problems:
                code = EXIT_FAILED
            return code


def _introduce(
    transcript: Transcript,
    spec: JobsSpec,
    drs_url: str,
    slack_url: str,
    tmp: str,
    timing: dict[str, str],
) -> None:
    transcript.note(
        f"sandbox: DRS simulator at {drs_url} ({len(spec.jobs)} jobs), Slack stand-in "
        f"at {slack_url}, SQLite in {tmp}"
    )
    transcript.note("jobs you can watch (type `/drs-progress JOB_ID`), and what each will do:")
    for line in jobs_lines(spec.jobs):
        transcript.note(line)
    if timing:
        shown = ", ".join(f"{k}={v}" for k, v in timing.items())
        transcript.note(f"from your environment: {shown}")
    faults = spec.faults.active()
    if faults:
        transcript.note(f"DRS simulator faults from the jobs file: {faults}")


def _files_folder(transcript: Transcript) -> Path:
    """A folder that outlives the run: files the bot posts land here; the demo's samples too."""
    folder = Path(tempfile.mkdtemp(prefix="drs-sandbox-files-"))
    write_samples(folder)
    transcript.note(
        f"files the bot posts are saved in {folder}; attach a file to a mention with a last "
        f"word `<PATH` (a local path, or a name in that folder: {', '.join(SAMPLES)})"
    )
    return folder


def _judge_errors(transcript: Transcript, count: int, fired: dict[str, int]) -> None:
    """Errors the bot logged fail the run, unless a fault made DRS refuse the credentials."""
    if fired.get("refuse_credentials") or fired.get("unauthorized_next"):
        transcript.note(f"the bot logged {count} error(s), as refused credentials should")
    else:
        transcript.problem(f"the bot logged {count} error(s); see above")


async def _interruptible(session: Session, lines: list[str] | None, wait_limit: float) -> int:
    """Run the script or the prompt; Ctrl-C ends it cleanly (the bot shuts down gracefully)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None

    def interrupt(_sig: int, _frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(task.cancel)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        if lines is None:
            return await _prompt(session)
        return await _script(session, lines, wait_limit)
    except asyncio.CancelledError:
        task.uncancel()
        session.transcript.note("interrupted; shutting the bot down")
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)


async def _script(session: Session, lines: list[str], wait_limit: float) -> int:
    for line in lines:
        if line.lower() in ("quit", "exit"):
            break
        await session.type_line(line)
    session.transcript.note("waiting for every watch to end")
    still = await session.wait_for_watches(wait_limit)
    if still:
        session.transcript.problem(
            f"{len(still)} watch(es) still active after {wait_limit:.0f} s "
            f"(jobs {', '.join(sorted(set(still)))}): their jobs never finished. End the script "
            "with `/drs-progress stop all`, or give those jobs a final step in the jobs file."
        )
        return EXIT_FAILED
    ended = await session.ended_watches()
    summary = ", ".join(f"{n} {state}" for state, n in sorted(ended.items())) or "no watches"
    session.transcript.note(f"done: {summary}")
    return EXIT_OK


async def _prompt(session: Session) -> int:
    """Read lines on a thread so the event loop (and the bot's updates) keep running."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for raw in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, raw)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    # A daemon thread: a read blocked in the terminal must not keep the process alive.
    threading.Thread(target=read, name="sandbox-stdin", daemon=True).start()
    session.transcript.note(HELP_LINES)
    while True:
        raw = await queue.get()
        if raw is None:
            break
        lines = script_lines(raw)
        if lines and lines[0].lower() in ("quit", "exit"):
            break
        for line in lines:
            await session.type_line(line)
    session.transcript.note("bye: the sandbox and its database are gone")
    return EXIT_OK
