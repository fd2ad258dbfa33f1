"""The sweep's second chance at job names: ask DRS again for jobs still unnamed, show the name.

A watch asks for its job's name once as it starts; when DRS refused or was slow, this asks
again, at most once per `NAME_RETRY_POLLS` poll intervals per job, and edits the cards once a
name is known. It holds the job's lease while it edits, so no poll edits the same card at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.drs.retry import RetryPolicy
from bot.errors import DrsError, SlackError
from bot.render.cards import watch_card
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.store import leases, names, repo
from bot.store.leases import Writer

log = logging.getLogger(__name__)

NAME_RETRY_POLLS = 10  # one details request per this many polls of an unnamed job
NAMES_PER_SWEEP = 5  # the progress polls come first: only a few details requests a sweep


async def name_jobs(
    rt: Runtime, writer: Writer, *, interval: float, lease_seconds: float, retry: RetryPolicy
) -> int:
    """Ask for the details of a few unnamed jobs; returns how many got a name."""
    now = rt.clock.now()
    async with writer.begin() as session:
        claimed = await names.claim_unnamed(
            session,
            now=now,
            retry_after=timedelta(seconds=interval * NAME_RETRY_POLLS),
            limit=NAMES_PER_SWEEP,
        )
    named = 0
    for polled_job_id, job_id, region, project_id in claimed:
        try:
            drs = await rt.regions.client_for_job(region, project_id)
            details = await drs.job_details(job_id, retry=retry)
        except DrsError as exc:
            log.info("still no details for %s: %s", job_id, exc.describe())
            continue
        async with writer.begin() as session:
            await names.store_details(
                session, polled_job_id=polled_job_id, details=details, now=rt.clock.now()
            )
            taken = details.name is not None and await leases.take_lease(
                session,
                polled_job_id=polled_job_id,
                owner=rt.owner,
                now=rt.clock.now(),
                lease_seconds=lease_seconds,
            )
        named += 1 if details.name is not None else 0
        if taken:  # else a poll holds it, and the name shows on its next card edit
            await _show_name(rt, writer, polled_job_id)
    return named


async def _show_name(rt: Runtime, writer: Writer, polled_job_id: int) -> None:
    try:
        async with rt.sessions() as session:
            watches = await repo.active_watches_for_job(session, polled_job_id=polled_job_id)
        for watch in watches:
            if watch.card_channel is None or watch.card_ts is None:
                continue
            view = card_view(watch, watch.polled_job)
            try:
                chat = await rt.chat_for(watch.team_id, watch.enterprise_id)
                await chat.update(watch.card_channel, watch.card_ts, watch_card(view))
            except SlackError as exc:  # the next card edit carries the name anyway
                log.info("watch %s: card not renamed: %s", watch.id, exc)
    finally:
        async with writer.begin() as session:
            await leases.release_lease(session, polled_job_id=polled_job_id, owner=rt.owner)
