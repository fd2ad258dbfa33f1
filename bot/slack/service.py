"""What the Slack commands do (watch, status, stop, list, refresh), independent of Bolt.

Listeners parse and acknowledge; they call these functions after the acknowledgement, with a
`Say` callback that answers the requester privately (response_url or chat.postEphemeral).
Nothing here holds a database transaction across a DRS or Slack call.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import initial_told
from bot.domain.progress import Progress
from bot.drs.retry import INTERACTIVE as INTERACTIVE_RETRY
from bot.errors import DestinationGone, DrsError, JobNotFound, SlackError, Throttled
from bot.errors import DrsUnavailable as _Unavailable
from bot.runtime import Runtime
from bot.slack import cards
from bot.slack.cards import CardView, ListItem
from bot.slack.message import Message
from bot.slack.views import card_view
from bot.store import repo
from bot.store.models import Watch

log = logging.getLogger(__name__)

Say = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Place:
    """Where a request came from and where its answers go."""

    team_id: str
    channel_id: str
    user_id: str
    thread_ts: str | None = None  # None: the channel itself (slash commands); else a thread


def _unreachable_note(error: DrsError) -> str:
    return f"DRS could not be reached yet ({error.describe()}); I keep trying."


async def query_now(
    rt: Runtime, job_id: str, *, job_type: str | None, language: str | None
) -> Progress:
    return await rt.drs.query(job_id, job_type=job_type, language=language, retry=INTERACTIVE_RETRY)


async def status(
    rt: Runtime, job_id: str, *, job_type: str | None, language: str | None, say: Say
) -> None:
    """A one-off private answer: nothing stored, nothing watched."""
    try:
        progress = await query_now(rt, job_id, job_type=job_type, language=language)
    except DrsError as exc:
        await say(cards.drs_error_message(job_id, exc))
        return
    await say(cards.status_message(progress, job_type=job_type, command_name=rt.command))


async def _permalink(rt: Runtime, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    return await rt.slack.permalink(channel, ts)


async def watch(
    rt: Runtime,
    place: Place,
    job_id: str,
    *,
    job_type: str | None,
    language: str | None,
    say: Say,
) -> None:
    """Check the job now, post its card here and watch it (unless it has already finished)."""
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
    if existing is not None:
        link = await _permalink(rt, existing.card_channel, existing.card_ts)
        await say(cards.already_watching(job_id, link))
        return

    note: str | None = None
    progress: Progress | None = None
    try:
        progress = await query_now(rt, job_id, job_type=job_type, language=language)
    except (Throttled, _Unavailable) as exc:
        note = _unreachable_note(exc)  # watch anyway: the sweep keeps trying
    except DrsError as exc:  # not found, credentials refused, rejected: nothing to watch
        await say(cards.drs_error_message(job_id, exc))
        return

    if progress is not None and progress.finished:
        view = CardView(
            job_id=job_id,
            state="finished",
            progress=progress,
            requested_by=place.user_id,
            checked_at=progress.observed_at,
            job_type=job_type,
        )
        posted = await _post_card(rt, place, cards.watch_card(view))
        if isinstance(posted, Message):
            await say(posted)
        return

    async with rt.sessions.begin() as session:
        created_watch, created = await _get_or_create(
            session, rt, place, job_id, job_type, language
        )
        job = created_watch.polled_job
    if not created:  # someone else created it a moment ago
        link = await _permalink(rt, created_watch.card_channel, created_watch.card_ts)
        await say(cards.already_watching(job_id, link))
        return

    view = card_view(created_watch, job, progress=progress, note=note, checked_at=rt.clock.now())
    card_ts = await _post_card(rt, place, cards.watch_card(view))
    if isinstance(card_ts, Message):  # nothing reached Slack: forget the watch, then say why
        async with rt.sessions.begin() as session:
            await repo.delete_watch(session, watch_id=created_watch.id)
        await say(card_ts)
        return
    async with rt.sessions.begin() as session:
        await repo.set_card(
            session,
            watch_id=created_watch.id,
            card_channel=place.channel_id,
            card_ts=card_ts,
            now=rt.clock.now(),
        )
        if progress is not None:
            await repo.note_progress(
                session, polled_job_id=job.id, progress=progress, now=rt.clock.now()
            )
        told = initial_told(progress, rt.clock.now())
        await repo.record_delivery(
            session,
            watch_id=created_watch.id,
            told=told.to_dict(),
            now=rt.clock.now(),
            thread_ts=place.thread_ts or card_ts,
        )
    log.info("watching %s in %s (watch %s)", job_id, place.channel_id, created_watch.id)


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
        return cards.invite_hint(rt.bot_user_id, place.channel_id)
    except SlackError as exc:
        log.warning("could not post a card in %s: %s", place.channel_id, exc)
        return Message(f"Slack did not accept the card ({exc}). Try again in a minute.")


async def stop(rt: Runtime, place: Place, job_id: str | None, *, say: Say) -> list[str]:
    """End this place's watches (of one job, or all); mark their cards stopped."""
    thread_filter: str | object | None = (
        repo.ANY_THREAD if place.thread_ts is None else place.thread_ts
    )
    async with rt.sessions.begin() as session:
        stopped = await repo.stop_watches(
            session,
            team_id=place.team_id,
            channel_id=place.channel_id,
            now=rt.clock.now(),
            job_id=job_id,
            thread_ts=thread_filter,  # type: ignore[arg-type]  # ANY_THREAD sentinel
        )
        pairs = [(w, w.polled_job) for w in stopped]
    if not pairs:
        await say(cards.nothing_to_stop(job_id, rt.command))
        return []
    for stopped_watch, job in pairs:
        if stopped_watch.card_channel and stopped_watch.card_ts:
            view = card_view(stopped_watch, job, state="stopped")
            try:
                await rt.slack.update(
                    stopped_watch.card_channel, stopped_watch.card_ts, cards.watch_card(view)
                )
            except SlackError as exc:
                log.info("could not mark card %s stopped: %s", stopped_watch.card_ts, exc)
    job_ids = [job.job_id for _, job in pairs]
    await say(cards.stopped_message(job_ids))
    return job_ids


async def list_watches(rt: Runtime, place: Place, *, say: Say) -> None:
    async with rt.sessions() as session:
        rows = await repo.list_active_watches(
            session, team_id=place.team_id, channel_id=place.channel_id
        )
    items = []
    for item_watch, job in rows[:40]:
        link = await _permalink(rt, item_watch.card_channel, item_watch.card_ts)
        items.append(
            ListItem(
                job_id=job.job_id,
                progress=job.progress(),
                permalink=link,
                requested_by=item_watch.requested_by,
                thread=bool(item_watch.thread_key),
            )
        )
    await say(cards.list_message(items, command_name=rt.command))


async def _own_watch(rt: Runtime, team_id: str, channel_id: str, watch_id: int) -> Watch | None:
    async with rt.sessions() as session:
        found = await repo.get_watch(session, watch_id=watch_id)
    if found is None or found.team_id != team_id or found.channel_id != channel_id:
        return None  # never act on another team's or channel's watch
    return found


async def refresh(rt: Runtime, *, team_id: str, channel_id: str, watch_id: int, say: Say) -> None:
    """The card's Refresh button: query now and edit the card."""
    found = await _own_watch(rt, team_id, channel_id, watch_id)
    if found is None or not found.card_ts or not found.card_channel:
        await say(Message("This watch no longer exists; start a new one with the command."))
        return
    job = found.polled_job
    note = None
    progress = None
    try:
        progress = await query_now(
            rt, job.job_id, job_type=found.job_type or None, language=found.language
        )
    except JobNotFound as exc:
        await say(cards.drs_error_message(job.job_id, exc))
        return
    except DrsError as exc:
        note = _unreachable_note(exc)
    if progress is not None:
        async with rt.sessions.begin() as session:
            await repo.note_progress(
                session, polled_job_id=job.id, progress=progress, now=rt.clock.now()
            )
    view = card_view(found, job, progress=progress, note=note, checked_at=rt.clock.now())
    try:
        await rt.slack.update(found.card_channel, found.card_ts, cards.watch_card(view))
    except SlackError as exc:
        await say(Message(f"Could not update the card ({exc}); try again in a minute."))


async def stop_one(
    rt: Runtime, *, team_id: str, channel_id: str, user_id: str, watch_id: int, say: Say
) -> None:
    """The card's Stop watching button."""
    found = await _own_watch(rt, team_id, channel_id, watch_id)
    if found is None or not found.active:
        await say(Message("This watch has already ended."))
        return
    async with rt.sessions.begin() as session:
        await repo.end_watch(session, watch_id=watch_id, state="stopped", now=rt.clock.now())
        ended = await repo.get_watch(session, watch_id=watch_id)
    if ended is not None and ended.card_channel and ended.card_ts:
        view = card_view(ended, ended.polled_job, state="stopped")
        try:
            await rt.slack.update(ended.card_channel, ended.card_ts, cards.watch_card(view))
        except SlackError as exc:
            log.info("could not mark card %s stopped: %s", ended.card_ts, exc)
    await say(cards.stopped_message([found.polled_job.job_id]))
