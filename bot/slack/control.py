"""Acting on watches that exist: stop and list them, and the card's Refresh and Stop buttons."""

from __future__ import annotations

import logging

from bot.domain import CardState, WatchState
from bot.domain.commands import Language
from bot.drs.jobid import ShortRef
from bot.errors import DrsError, JobNotFound, SlackError
from bot.home import publish_home
from bot.render import answers, cards, notes, usage
from bot.render.cards import ListItem
from bot.render.catalog import language_of
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.slack.posting import Place, Say, permalink
from bot.slack.service import query_now
from bot.store import repo
from bot.store.models import Watch

log = logging.getLogger(__name__)


EN = Language.EN_US


async def resolve(
    rt: Runtime, place: Place, ref: str | ShortRef, *, say: Say, lang: Language = EN
) -> str | None:
    """The full job ID a short form names among this channel's active watches, or None (said).

    A full ID is returned as it is; a short form must match exactly one watched job here.
    """
    if isinstance(ref, str):
        return ref
    async with rt.sessions() as session:
        rows = await repo.list_active_watches(
            session, team_id=place.team_id, channel_id=place.channel_id
        )
    matches = sorted({job.job_id for _, job in rows if ref.matches(job.job_id)})
    if len(matches) == 1:
        return matches[0]
    form = usage.command_form(
        rt.command, bot_user_id=rt.bot_user_id, in_thread=place.thread_ts is not None
    )
    await say(answers.short_form_unresolved(str(ref), matches, form, lang=lang))
    return None


async def stop(
    rt: Runtime, place: Place, job_id: str | None, *, say: Say, lang: Language = EN
) -> list[str]:
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
        form = usage.command_form(
            rt.command, bot_user_id=rt.bot_user_id, in_thread=place.thread_ts is not None
        )
        await say(answers.nothing_to_stop(job_id, rt.command, form=form, lang=lang))
        return []
    for stopped_watch, job in pairs:
        if stopped_watch.card_channel and stopped_watch.card_ts:
            view = card_view(stopped_watch, job, state=CardState.STOPPED)
            card = cards.watch_card(view, lang=language_of(stopped_watch.language))
            try:
                await rt.slack.update(stopped_watch.card_channel, stopped_watch.card_ts, card)
            except SlackError as exc:
                log.info("could not mark card %s stopped: %s", stopped_watch.card_ts, exc)
    job_ids = [job.job_id for _, job in pairs]
    await say(answers.stopped_message(job_ids, lang=lang))
    for starter in {(w.team_id, w.requested_by) for w, _ in pairs}:
        await publish_home(rt, team_id=starter[0], user_id=starter[1])
    return job_ids


async def list_watches(rt: Runtime, place: Place, *, say: Say, lang: Language = EN) -> None:
    async with rt.sessions() as session:
        rows = await repo.list_active_watches(
            session, team_id=place.team_id, channel_id=place.channel_id
        )
    items = []
    for item_watch, job in rows[:40]:
        link = await permalink(rt, item_watch.card_channel, item_watch.card_ts)
        items.append(
            ListItem(
                job_id=job.job_id,
                progress=job.progress(),
                permalink=link,
                requested_by=item_watch.requested_by,
                thread=bool(item_watch.thread_key),
                job_name=job.job_name,
            )
        )
    await say(
        cards.list_message(items, command_name=rt.command, bot_user_id=rt.bot_user_id, lang=lang)
    )


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
        await say(answers.watch_gone())
        return
    job = found.polled_job
    lang = language_of(found.language)  # the card, and this answer, in the watch's language
    note = None
    progress = None
    try:
        in_region = await rt.in_region(rt.regions.job_region(job.region, job.project_id))
        progress = await query_now(
            in_region, job.job_id, job_type=found.job_type or None, language=found.language
        )
    except JobNotFound as exc:
        await say(answers.drs_error_message(job.job_id, exc, lang=lang))
        return
    except DrsError as exc:
        note = notes.first_check_failed(exc.describe(), lang=lang)
    if progress is not None:
        async with rt.sessions.begin() as session:
            await repo.note_progress(
                session, polled_job_id=job.id, progress=progress, now=rt.clock.now()
            )
    view = card_view(found, job, progress=progress, note=note, checked_at=rt.clock.now())
    try:
        await rt.slack.update(found.card_channel, found.card_ts, cards.watch_card(view, lang=lang))
    except SlackError as exc:
        await say(answers.card_not_updated(exc, lang=lang))


async def stop_one(
    rt: Runtime, *, team_id: str, channel_id: str, user_id: str, watch_id: int, say: Say
) -> None:
    """The card's Stop watching button."""
    found = await _own_watch(rt, team_id, channel_id, watch_id)
    if found is None or not found.active:
        await say(answers.watch_already_ended())
        return
    async with rt.sessions.begin() as session:
        await repo.end_watch(
            session, watch_id=watch_id, state=WatchState.STOPPED, now=rt.clock.now()
        )
        ended = await repo.get_watch(session, watch_id=watch_id)
    if ended is not None and ended.card_channel and ended.card_ts:
        view = card_view(ended, ended.polled_job, state=CardState.STOPPED)
        card = cards.watch_card(view, lang=language_of(ended.language))
        try:
            await rt.slack.update(ended.card_channel, ended.card_ts, card)
        except SlackError as exc:
            log.info("could not mark card %s stopped: %s", ended.card_ts, exc)
    await say(answers.stopped_message([found.polled_job.job_id], lang=language_of(found.language)))
    await publish_home(rt, team_id=found.team_id, user_id=found.requested_by)
