"""One DRS query of a claimed job, and what to store of it: the outcome and the next poll."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.watching import Outcome
from bot.drs.client import DrsClient
from bot.drs.regions import Regions
from bot.drs.retry import RetryPolicy, backoff_seconds
from bot.errors import BotError, CredentialsRefused, DrsError, JobNotFound
from bot.store.rows import Claim, PollRecord
from bot.watcher.batch import Poll

log = logging.getLogger(__name__)


async def query(drs: DrsClient, claim: Claim, retry: RetryPolicy) -> Poll:
    """Ask DRS once (with `retry`'s short retries); every failure becomes an outcome."""
    try:
        progress = await drs.query(
            claim.job_id,
            job_type=claim.query_type or None,
            language=claim.language or None,
            retry=retry,
        )
    except JobNotFound as exc:
        return Poll(Outcome.NOT_FOUND, error=exc)
    except CredentialsRefused as exc:
        log.error("DRS refused the credentials; job %s paused: %s", claim.job_id, exc)
        return Poll(Outcome.CREDENTIALS, error=exc)
    except DrsError as exc:  # unavailable, throttled, rejected: back off and try again
        log.info("poll of %s failed: %s", claim.job_id, exc.describe())
        return Poll(Outcome.UNAVAILABLE, error=exc)
    except BotError as exc:  # e.g. a stored job ID the guard refuses: never a tight loop
        log.warning("poll of %s failed: %s", claim.job_id, exc)
        return Poll(Outcome.UNAVAILABLE, error=DrsError(str(exc)))
    return Poll(Outcome.OK, progress=progress)


async def query_in_region(regions: Regions, claim: Claim, retry: RetryPolicy) -> Poll:
    """`query` through the job's region's client; a region not ready (IAM) fails this poll only."""
    region = regions.job_region(claim.region, claim.project_id)
    drs = regions.ready(region)
    if drs is None:
        try:
            drs = await regions.client(region)
        except DrsError as exc:
            log.info("region %s not ready for %s: %s", region, claim.job_id, exc.describe())
            return Poll(Outcome.UNAVAILABLE, error=exc)
    return await query(drs, claim, retry)


def next_poll_at(claim: Claim, poll: Poll, *, interval: float, now: datetime) -> datetime:
    """On schedule after an answer; backing off (see `backoff_seconds`) after a failure."""
    step = timedelta(seconds=interval)
    if poll.outcome in (Outcome.OK, Outcome.CREDENTIALS, Outcome.NOT_FOUND):
        # Keep the schedule (due + interval) unless that is in the past already: a job polled
        # that late (watches need more than DRS_MAX_RPS) goes on from when it was polled.
        slot = (claim.due_at or now) + step
        return slot if slot > now else now + step
    retry_after = poll.error.retry_after if poll.error is not None else None
    failures = claim.failures + 1
    return now + timedelta(seconds=backoff_seconds(interval, failures, retry_after))


def poll_record(claim: Claim, poll: Poll, *, interval: float, now: datetime) -> PollRecord:
    """What the store keeps of one poll."""
    return PollRecord(
        polled_job_id=claim.id,
        next_poll_at=next_poll_at(claim, poll, interval=interval, now=now),
        progress=poll.progress,
        error_kind=None if poll.outcome is Outcome.OK else poll.outcome.value,
        error_message=poll.error.describe() if poll.error is not None else None,
        paused=True if poll.outcome is Outcome.CREDENTIALS else None,
    )
