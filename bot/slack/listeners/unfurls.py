"""Pasted DRS console links: a preview with the job's progress, Watch in thread and Refresh.

A preview never starts a watch. DRS is asked at most once a minute per job however often its
link is pasted: the answer is kept in this process's memory (each replica keeps its own).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.access.rules import Action
from bot.domain.commands import Language
from bot.drs.console import ConsoleLink, console_link
from bot.errors import BotError, DrsError, SlackError
from bot.render import answers
from bot.render.message import Message
from bot.render.unfurls import (
    ACTION_UNFURL_REFRESH,
    ACTION_UNFURL_WATCH,
    unfurl_other_region,
    unfurl_problem,
    unfurl_progress,
)
from bot.runtime import Runtime
from bot.slack import regional, service
from bot.slack.guard import permitted
from bot.slack.languages import place_language
from bot.slack.listeners.answer import private
from bot.slack.listeners.context import runtime_of
from bot.slack.listeners.events import SeenEvents
from bot.slack.naming import stored_name
from bot.slack.service import Place

log = logging.getLogger(__name__)

FRESH_FOR = timedelta(minutes=1)
MAX_LINKS = 5  # Slack sends at most a few links per message; more would be a flood of calls
_MAX_KEPT = 1024


@dataclass(frozen=True)
class _Kept:
    at: datetime
    message: Message


class LinkPreviews:
    """The previews of this process: at most one DRS call per job a minute."""

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def preview(self, rt: Runtime, link: ConsoleLink, channel: Place) -> Message:
        """The preview in the channel's language (everyone there sees it)."""
        lang = await place_language(rt, channel)
        other = regional.unserved(rt, link.region)
        if other is not None:
            return unfurl_other_region(link.job_id, region=other[0], ours=other[1], lang=lang)
        # One lock per job: three pastes at once wait for the first answer, not three.
        async with self._locks.setdefault(link.job_id, asyncio.Lock()):
            now = rt.clock.now()
            kept = self._kept.get(f"{link.job_id} {lang}")
            if kept is not None and now - kept.at < FRESH_FOR:
                return kept.message
            message = await _ask(rt, link.job_id, now, lang, link.region)
            self._keep(f"{link.job_id} {lang}", _Kept(now, message))
            return message

    def _keep(self, job_id: str, kept: _Kept) -> None:
        self._kept[job_id] = kept
        if len(self._kept) > _MAX_KEPT:  # the oldest go first: dicts keep insertion order
            for old in list(self._kept)[: _MAX_KEPT // 2]:
                self._kept.pop(old, None)
                self._locks.pop(old, None)

    async def handle_link_shared(
        self, ack: AsyncAck, event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """Console links in a message: one `chat.unfurl` with a preview for each."""
        await ack()
        rt = runtime_of(context)
        asker = Place(
            context.team_id or "", str(event.get("channel") or ""), str(event.get("user") or "")
        )
        if not await permitted(rt, asker, Action.STATUS, say=None, later=True):
            return  # no preview: the policy does not let this user check jobs here (logged)
        links = [str(item.get("url") or "") for item in event.get("links") or []][:MAX_LINKS]
        found = [
            link
            for url in links
            if (link := console_link(url)) is not None
            and await permitted(rt, asker, Action.STATUS, say=None, region=_region(rt, link))
        ]
        channel, ts = str(event.get("channel") or ""), str(event.get("message_ts") or "")
        previews = {link.url: await self.preview(rt, link, asker) for link in found}
        if previews and channel and ts:
            await _unfurl(rt, channel, ts, previews)

    async def handle_refresh(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        context: AsyncBoltContext,
        respond: AsyncRespond,
    ) -> None:
        """Refresh on a preview: shown again, from DRS when the last answer is a minute old."""
        await ack()
        container = body.get("container") or {}
        url = str(container.get("app_unfurl_url") or "")
        link = console_link(url)
        channel = str(container.get("channel_id") or context.channel_id or "")
        ts = str(container.get("message_ts") or "")
        rt = runtime_of(context)
        asker = Place(context.team_id or "", channel, context.user_id or "")
        region = _region(rt, link) if link is not None else None
        if not await permitted(rt, asker, Action.STATUS, say=private(respond), region=region):
            return
        if link is not None and channel and ts:
            await _unfurl(rt, channel, ts, {url: await self.preview(rt, link, asker)})


async def _ask(
    rt: Runtime, job_id: str, now: datetime, lang: Language, region: str | None = None
) -> Message:
    try:  # the link's region when several are served (else the job's, or a lookup)
        rt, located = await regional.scope(
            rt, job_id, region=region if rt.regions.several else None, language=lang.value
        )
        progress = located or await service.query_now(
            rt, job_id, job_type=None, language=lang.value
        )
    except DrsError as exc:
        problem = answers.drs_error_message(job_id, exc, lang=lang)
        return unfurl_problem(job_id, problem, lang=lang)
    # The name as stored from a watch: a preview asks DRS nothing more than the progress.
    name, summary = await stored_name(rt, job_id)
    return unfurl_progress(progress, checked_at=now, job_name=name, job_summary=summary, lang=lang)


def _region(rt: Runtime, link: ConsoleLink) -> str | None:
    """The region a link's preview is checked in: the link's, when several are served."""
    return link.region if rt.regions.several else None


async def _unfurl(rt: Runtime, channel: str, ts: str, previews: dict[str, Message]) -> None:
    try:
        await rt.slack.unfurl(channel, ts, previews)
    except SlackError as exc:
        log.info("could not unfurl in %s: %s", channel, exc)


async def handle_watch_in_thread(
    ack: AsyncAck,
    action: dict[str, Any],
    body: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    """Watch in thread: the watch starts in the thread of the message that carried the link."""
    await ack()
    say = private(respond)
    container = body.get("container") or {}
    thread_ts = str(container.get("thread_ts") or container.get("message_ts") or "")
    link = console_link(str(container.get("app_unfurl_url") or ""))
    job_id = link.job_id if link is not None else str(action.get("value") or "")
    if not thread_ts or link is None or job_id != str(action.get("value") or ""):
        await say(answers.stale_button())
        return
    channel = str(container.get("channel_id") or context.channel_id or "")
    place = Place(context.team_id or "", channel, context.user_id or "", thread_ts=thread_ts)
    rt = runtime_of(context)
    if not await permitted(rt, place, Action.WATCH, say=say, later=True):
        return  # checked again in the job's region by `service.watch`
    language = (await place_language(rt, place)).value  # the channel's, as for any new watch
    try:
        await service.watch(rt, place, job_id, job_type=None, language=language, say=say)
    except BotError as exc:
        await say(answers.error_message(exc, lang=Language(language)))


def register(app: AsyncApp) -> None:
    previews = LinkPreviews()
    app.event("link_shared", middleware=[SeenEvents().skip_repeats])(previews.handle_link_shared)
    app.action(ACTION_UNFURL_REFRESH)(previews.handle_refresh)
    app.action(ACTION_UNFURL_WATCH)(handle_watch_in_thread)
