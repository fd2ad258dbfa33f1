"""Asking DRS for a job's name while a watch starts, without ever holding the card back."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.domain.details import JobDetails
from bot.drs.retry import INTERACTIVE
from bot.errors import DrsError
from bot.render.jobs import job_summary
from bot.runtime import Runtime
from bot.store.names import known_details

log = logging.getLogger(__name__)

# The card waits this long for the name at most; later, the sweep asks again.
DETAILS_WAIT_SECONDS = 2.0


async def _ask(rt: Runtime, job_id: str, language: str | None) -> JobDetails | None:
    try:
        return await rt.drs.job_details(job_id, language=language, retry=INTERACTIVE)
    except DrsError as exc:  # the watch goes on without a name; the sweep asks again
        log.info("no details for %s yet: %s", job_id, exc.describe())
        return None
    except Exception as exc:  # a name is never worth a watch that did not start
        log.warning("details for %s: %s: %s", job_id, type(exc).__name__, exc)
        return None


def start_details(
    rt: Runtime, job_id: str, language: str | None
) -> asyncio.Task[JobDetails | None]:
    """Ask for the details now, alongside the first progress check."""
    return asyncio.create_task(_ask(rt, job_id, language))


async def details_in_time(
    task: asyncio.Task[JobDetails | None], wait: float = DETAILS_WAIT_SECONDS
) -> JobDetails | None:
    """The details if they arrive within `wait` seconds; else None (the task is cancelled)."""
    done, _ = await asyncio.wait({task}, timeout=wait)
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


async def drop(task: asyncio.Task[JobDetails | None]) -> None:
    """Forget a details request nobody needs any more (no watch was started)."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def stored_name(rt: Runtime, job_id: str) -> tuple[str | None, str | None]:
    """(job_name, job_summary) as stored from an earlier watch, for answers that ask no more."""
    async with rt.sessions() as session:
        known = await known_details(session, project_id=rt.project_id, job_id=job_id)
    if known is None:
        return None, None
    return known.name, job_summary(known.engine_type, known.job_direction)
