"""A job already finished when asked for: link to its final card here, or post one."""

from __future__ import annotations

from bot.domain import CardState, WatchState
from bot.domain.details import JobDetails
from bot.domain.progress import Phase, Progress
from bot.render import answers, cards
from bot.render.cards import CardView
from bot.render.catalog import language_of
from bot.render.jobs import job_summary
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack.posting import Place, Say, get_or_create, permalink, post_card
from bot.store import repo
from bot.store.names import apply_details


async def finished(
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
        lang = language_of(language or rt.settings.drs_language)
        await say(answers.already_finished(job_id, link, lang=lang))
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
        record, created = await get_or_create(session, rt, place, job_id, job_type, language)
        if created:
            await repo.end_watch(session, watch_id=record.id, state=state, now=rt.clock.now())
        if record.polled_job.job_name is None:  # kept for the Home, previews and status
            apply_details(record.polled_job, details, rt.clock.now())
    view = CardView(
        job_id=job_id,
        state=CardState.FINISHED,
        progress=progress,
        requested_by=place.user_id,
        checked_at=progress.observed_at,
        job_type=job_type,
        job_name=details.name if details else None,
        job_summary=job_summary(details.engine_type, details.job_direction) if details else None,
        region=rt.region,
    )
    posted = await post_card(rt, place, cards.watch_card(view, lang=language_of(record.language)))
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
