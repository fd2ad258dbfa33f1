"""What `watch` and `status` do, independent of Bolt; `control` acts on watches that exist.

Listeners parse and acknowledge; they call these functions after the acknowledgement, with a
`Say` callback that answers the requester privately (response_url or chat.postEphemeral).
Nothing here holds a database transaction across a DRS or Slack call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.access.rules import Action
from bot.domain import initial_told
from bot.domain.details import JobDetails
from bot.domain.progress import Progress
from bot.drs.retry import INTERACTIVE as INTERACTIVE_RETRY
from bot.errors import DrsError, Throttled
from bot.errors import DrsUnavailable as _Unavailable
from bot.render import answers, cards, notes
from bot.render.catalog import language_of
from bot.render.message import Message
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.slack import regional
from bot.slack.finished import finished
from bot.slack.naming import details_in_time, drop, start_details, stored_name
from bot.slack.posting import Place as Place
from bot.slack.posting import Say as Say
from bot.slack.posting import get_or_create, permalink, post_card
from bot.store import repo
from bot.store.models import PolledJob, Watch
from bot.store.names import apply_details

log = logging.getLogger(__name__)


async def query_now(
    rt: Runtime, job_id: str, *, job_type: str | None, language: str | None
) -> Progress:
    return await rt.drs.query(job_id, job_type=job_type, language=language, retry=INTERACTIVE_RETRY)


async def status(
    rt: Runtime,
    job_id: str,
    *,
    job_type: str | None,
    language: str | None,
    say: Say,
    in_thread: bool = False,
    region: str | None = None,
    preferred: str | None = None,
    asker: regional.Asker | None = None,
) -> None:
    """A one-off private answer: nothing stored, nothing watched.

    In a thread the slash command cannot run, so the answer does not suggest it.
    `region` (`--region`) asks that region only; `preferred` is the channel's default region.
    """
    lang = language_of(language or rt.settings.drs_language)
    resolved = await regional.resolve(
        rt, job_id, region, preferred, job_type, language, say, lang=lang, asker=asker
    )
    if resolved is None:
        return
    rt, located = resolved
    try:
        progress = located or await query_now(rt, job_id, job_type=job_type, language=language)
    except DrsError as exc:
        await say(answers.drs_error_message(job_id, exc, lang=lang))
        return
    command_name = None if in_thread else rt.command
    name, summary = await stored_name(rt, job_id)
    answer = cards.status_message(
        progress,
        job_type=job_type,
        command_name=command_name,
        job_name=name,
        job_summary=summary,
        lang=lang,
    )
    await say(answer)


@dataclass(frozen=True)
class FirstCheck:
    """What DRS said when the watch was asked for: a progress, or why there is none yet."""

    progress: Progress | None = None
    note: str | None = None


async def watch(
    rt: Runtime,
    place: Place,
    job_id: str,
    *,
    job_type: str | None,
    language: str | None,
    say: Say,
    uploaded_file: str | None = None,
    region: str | None = None,
) -> None:
    """Check the job now, post its card here and watch it (unless it has already finished).

    `uploaded_file`: the file a person just uploaded from Slack, named on the card.

    Four short transactions, none held across a DRS or Slack call: join a watch that exists,
    create the watch, forget it again when its card could not be posted, remember the card.
    `region` (`--region`) watches it in that region only; else it is looked up (regional.py).
    """
    preferred = await regional.channel_region(rt, place)  # `config region`
    asker = (place, Action.WATCH)  # checked again with the job's region and project
    resolved = await regional.resolve(
        rt, job_id, region, preferred, job_type, language, say, asker=asker
    )
    if resolved is None:
        return
    rt, located = resolved
    existing = await _join_existing(rt, place, job_id, job_type, language)
    if existing is not None:
        await _say_already_watched(rt, existing, job_id, say)
        return
    asking = start_details(rt, job_id, language)
    check = await _first_check(rt, job_id, job_type, language, say, located)
    if check is None:
        await drop(asking)
        return
    details = await details_in_time(asking)
    if check.progress is not None and check.progress.finished:
        await finished(rt, place, job_id, job_type, language, check.progress, say, details)
        return
    created_watch, created = await _create(
        rt, place, job_id, job_type, language, details, uploaded_file
    )
    job = created_watch.polled_job
    if not created:  # someone else created it a moment ago
        await _say_already_watched(rt, created_watch, job_id, say)
        return
    card_ts = await _post_new_card(rt, place, created_watch, job, check, say)
    if card_ts is not None:
        await _remember_card(rt, place, created_watch.id, job.id, card_ts, check.progress)
        log.info("watching %s in %s (watch %s)", job_id, place.channel_id, created_watch.id)


async def _create(
    rt: Runtime,
    place: Place,
    job_id: str,
    job_type: str | None,
    language: str | None,
    details: JobDetails | None,
    uploaded_file: str | None,
) -> tuple[Watch, bool]:
    """Create the watch (or find the one a concurrent request made), with the job's name."""
    async with rt.sessions.begin() as session:
        created_watch, created = await get_or_create(session, rt, place, job_id, job_type, language)
        job = created_watch.polled_job
        if job.job_name is None:
            apply_details(job, details, rt.clock.now())
        if created and uploaded_file:
            created_watch.uploaded_file = uploaded_file
    return created_watch, created


async def _join_existing(
    rt: Runtime, place: Place, job_id: str, job_type: str | None, language: str | None
) -> Watch | None:
    """The active watch of this job here, with the asker added to its followers; or None."""
    async with rt.sessions.begin() as session:
        existing = await repo.find_active_watch(
            session,
            team_id=place.team_id,
            channel_id=place.channel_id,
            thread_ts=place.thread_ts,
            project_id=rt.project_id,
            job_id=job_id,
            job_type=job_type,
        )
        if existing is not None:
            # adds the asker to the watch's followers
            await get_or_create(session, rt, place, job_id, job_type, language)
    return existing


async def _say_already_watched(rt: Runtime, found: Watch, job_id: str, say: Say) -> None:
    link = await permalink(rt, found.card_channel, found.card_ts)
    await say(answers.already_watching(job_id, link, lang=language_of(found.language)))


async def _first_check(
    rt: Runtime,
    job_id: str,
    job_type: str | None,
    language: str | None,
    say: Say,
    located: Progress | None = None,
) -> FirstCheck | None:
    """Ask DRS once (unless a lookup across regions just did); None (the asker told why) when
    there is nothing to watch."""
    lang = language_of(language or rt.settings.drs_language)
    if located is not None:
        return FirstCheck(progress=located)
    try:
        progress = await query_now(rt, job_id, job_type=job_type, language=language)
    except (Throttled, _Unavailable) as exc:
        return FirstCheck(
            note=notes.first_check_failed(exc.describe(), lang=lang)
        )  # watch anyway: the sweep keeps trying
    except DrsError as exc:  # not found, credentials refused, rejected: nothing to watch
        await say(answers.drs_error_message(job_id, exc, lang=lang))
        return None
    return FirstCheck(progress=progress)


async def _post_new_card(
    rt: Runtime, place: Place, new: Watch, job: PolledJob, check: FirstCheck, say: Say
) -> str | None:
    """Post the new watch's card: its ts; or None, the watch forgotten and the asker told why."""
    view = card_view(new, job, progress=check.progress, note=check.note, checked_at=rt.clock.now())
    card_ts = await post_card(rt, place, cards.watch_card(view, lang=language_of(new.language)))
    if isinstance(card_ts, Message):  # nothing reached Slack: forget the watch, then say why
        async with rt.sessions.begin() as session:
            await repo.delete_watch(session, watch_id=new.id)
        await say(card_ts)
        return None
    return card_ts


async def _remember_card(
    rt: Runtime,
    place: Place,
    watch_id: int,
    polled_job_id: int,
    card_ts: str,
    progress: Progress | None,
) -> None:
    """Store where the card is, the progress it shows and what the watch has been told."""
    async with rt.sessions.begin() as session:
        await repo.set_card(
            session,
            watch_id=watch_id,
            card_channel=place.channel_id,
            card_ts=card_ts,
            now=rt.clock.now(),
        )
        if progress is not None:
            await repo.note_progress(
                session, polled_job_id=polled_job_id, progress=progress, now=rt.clock.now()
            )
        told = initial_told(progress, rt.clock.now())
        await repo.record_delivery(
            session,
            watch_id=watch_id,
            told=told.to_dict(),
            now=rt.clock.now(),
            thread_ts=place.thread_ts or card_ts,
        )
