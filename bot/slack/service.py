"""What `watch` and `status` do, independent of Bolt; `control` acts on watches that exist.

Listeners parse and acknowledge; they call these functions after the acknowledgement, with a
`Say` callback that answers the requester privately (response_url or chat.postEphemeral).
Nothing here holds a database transaction across a DRS or Slack call.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import CardState, WatchState, initial_told
from bot.domain.details import JobDetails
from bot.domain.progress import Phase, Progress
from bot.drs.retry import INTERACTIVE as INTERACTIVE_RETRY
from bot.errors import DestinationGone, DrsError, SlackError, Throttled
from bot.errors import DrsUnavailable as _Unavailable
from bot.render import answers, cards, notes
from bot.render.cards import CardView
from bot.render.jobs import job_summary
from bot.render.message import Message
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.slack.naming import details_in_time, drop, start_details, stored_name
from bot.store import repo
from bot.store.models import PolledJob, Watch
from bot.store.names import apply_details

log = logging.getLogger(__name__)

Say = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Place:
    """Where a request came from and where its answers go."""

    team_id: str
    channel_id: str
    user_id: str
    thread_ts: str | None = None  # None: the channel itself (slash commands); else a thread


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
) -> None:
    """A one-off private answer: nothing stored, nothing watched.

    In a thread the slash command cannot run, so the answer does not suggest it.
    """
    try:
        progress = await query_now(rt, job_id, job_type=job_type, language=language)
    except DrsError as exc:
        await say(answers.drs_error_message(job_id, exc))
        return
    command_name = None if in_thread else rt.command
    name, summary = await stored_name(rt, job_id)
    answer = cards.status_message(
        progress, job_type=job_type, command_name=command_name, job_name=name, job_summary=summary
    )
    await say(answer)


async def permalink(rt: Runtime, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    return await rt.slack.permalink(channel, ts)


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
) -> None:
    """Check the job now, post its card here and watch it (unless it has already finished).

    `uploaded_file`: the file a person just uploaded from Slack, named on the card.

    Four short transactions, none held across a DRS or Slack call: join a watch that exists,
    create the watch, forget it again when its card could not be posted, remember the card.
    """
    existing = await _join_existing(rt, place, job_id, job_type, language)
    if existing is not None:
        await _say_already_watched(rt, existing, job_id, say)
        return
    asking = start_details(rt, job_id, language)
    check = await _first_check(rt, job_id, job_type, language, say)
    if check is None:
        await drop(asking)
        return
    details = await details_in_time(asking)
    if check.progress is not None and check.progress.finished:
        await _finished(rt, place, job_id, job_type, language, check.progress, say, details)
        return
    async with rt.sessions.begin() as session:
        created_watch, created = await _get_or_create(
            session, rt, place, job_id, job_type, language
        )
        job = created_watch.polled_job
        if job.job_name is None:
            apply_details(job, details, rt.clock.now())
        if created and uploaded_file:
            created_watch.uploaded_file = uploaded_file
    if not created:  # someone else created it a moment ago
        await _say_already_watched(rt, created_watch, job_id, say)
        return
    card_ts = await _post_new_card(rt, place, created_watch, job, check, say)
    if card_ts is not None:
        await _remember_card(rt, place, created_watch.id, job.id, card_ts, check.progress)
        log.info("watching %s in %s (watch %s)", job_id, place.channel_id, created_watch.id)


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
            await _get_or_create(session, rt, place, job_id, job_type, language)
    return existing


async def _say_already_watched(rt: Runtime, found: Watch, job_id: str, say: Say) -> None:
    link = await permalink(rt, found.card_channel, found.card_ts)
    await say(answers.already_watching(job_id, link))


async def _first_check(
    rt: Runtime, job_id: str, job_type: str | None, language: str | None, say: Say
) -> FirstCheck | None:
    """Ask DRS once; None (the asker told why) when there is nothing to watch."""
    try:
        progress = await query_now(rt, job_id, job_type=job_type, language=language)
    except (Throttled, _Unavailable) as exc:
        return FirstCheck(
            note=notes.first_check_failed(exc.describe())
        )  # watch anyway: the sweep keeps trying
    except DrsError as exc:  # not found, credentials refused, rejected: nothing to watch
        await say(answers.drs_error_message(job_id, exc))
        return None
    return FirstCheck(progress=progress)


async def _finished(
    rt: Runtime,
    place: Place,
    job_id: str,
    job_type: str | None,
    language: str | None,
    progress: Progress,
    say: Say,
    details: JobDetails | None = None,
) -> None:
    """A job that has already finished: a link to its final card here, or a new final card."""
    state = WatchState.SUCCEEDED if progress.phase is Phase.SUCCEEDED else WatchState.FAILED
    async with rt.sessions() as session:
        shown = await repo.find_final_card(
            session,
            team_id=place.team_id,
            channel_id=place.channel_id,
            thread_ts=place.thread_ts,
            project_id=rt.project_id,
            job_id=job_id,
            job_type=job_type,
            states=(state.value,),
        )
    if shown is not None:
        link = await permalink(rt, shown.card_channel, shown.card_ts)
        await say(answers.already_finished(job_id, link))
        return
    await _post_final_card(rt, place, job_id, job_type, language, progress, state, say, details)


async def _post_final_card(
    rt: Runtime,
    place: Place,
    job_id: str,
    job_type: str | None,
    language: str | None,
    progress: Progress,
    state: WatchState,
    say: Say,
    details: JobDetails | None = None,
) -> None:
    """The final card, and an ended watch that remembers it (so asking again links to it)."""
    async with rt.sessions.begin() as session:
        record, created = await _get_or_create(session, rt, place, job_id, job_type, language)
        if created:
            await repo.end_watch(session, watch_id=record.id, state=state, now=rt.clock.now())
    view = CardView(
        job_id=job_id,
        state=CardState.FINISHED,
        progress=progress,
        requested_by=place.user_id,
        checked_at=progress.observed_at,
        job_type=job_type,
        job_name=details.name if details else None,
        job_summary=job_summary(details.engine_type, details.job_direction) if details else None,
    )
    posted = await _post_card(rt, place, cards.watch_card(view))
    async with rt.sessions.begin() as session:
        if isinstance(posted, Message):
            if created:
                await repo.delete_watch(session, watch_id=record.id)
        elif created:
            await repo.set_card(
                session, watch_id=record.id, card_channel=place.channel_id, card_ts=posted
            )
    if isinstance(posted, Message):
        await say(posted)


async def _post_new_card(
    rt: Runtime, place: Place, new: Watch, job: PolledJob, check: FirstCheck, say: Say
) -> str | None:
    """Post the new watch's card: its ts; or None, the watch forgotten and the asker told why."""
    view = card_view(new, job, progress=check.progress, note=check.note, checked_at=rt.clock.now())
    card_ts = await _post_card(rt, place, cards.watch_card(view))
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


async def _get_or_create(
    session: AsyncSession,
    rt: Runtime,
    place: Place,
    job_id: str,
    job_type: str | None,
    language: str | None,
) -> tuple[Watch, bool]:
    now = rt.clock.now()
    return await repo.get_or_create_watch(
        session,
        team_id=place.team_id,
        channel_id=place.channel_id,
        thread_ts=place.thread_ts,
        project_id=rt.project_id,
        job_id=job_id,
        job_type=job_type,
        language=language or rt.settings.drs_language,
        requested_by=place.user_id,
        now=now,
        expires_at=now + rt.watch_lifetime,
        first_poll_at=now + rt.poll_interval,
    )


async def _post_card(rt: Runtime, place: Place, message: Message) -> str | Message:
    """Post a card in the channel or thread: its ts, or what to tell the requester instead."""
    try:
        return await rt.slack.post(place.channel_id, message, thread_ts=place.thread_ts)
    except DestinationGone:
        return answers.invite_hint(rt.bot_user_id, place.channel_id)
    except SlackError as exc:
        log.warning("could not post a card in %s: %s", place.channel_id, exc)
        return answers.card_not_accepted(exc)
