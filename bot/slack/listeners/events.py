"""`@bot ...` mentions: commands inside migration threads, answered in that thread."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.errors import BotError, SlackError, UsageError
from bot.render import answers
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import service
from bot.slack.grammar import Help, ListWatches, Status, Stop, Watch, parse_mention
from bot.slack.service import Place, Say

log = logging.getLogger(__name__)


class SeenEvents:
    """Event IDs handled lately: Slack's retries (X-Slack-Retry-Num) must not act twice."""

    def __init__(self, size: int = 2048) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, event_id: str) -> bool:
        if not event_id:
            return True
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


def in_thread(rt: Runtime, place: Place) -> Say:
    """Answer the person privately inside the thread."""

    async def say(message: Message) -> None:
        try:
            await rt.slack.ephemeral(
                place.channel_id, place.user_id, message, thread_ts=place.thread_ts
            )
        except SlackError as exc:
            log.info("could not answer %s in %s: %s", place.user_id, place.channel_id, exc)

    return say


def register(app: AsyncApp, rt: Runtime) -> None:
    seen = SeenEvents()

    @app.event("app_mention")
    async def on_mention(ack: AsyncAck, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if not seen.first_time(str(body.get("event_id") or "")):
            log.info("ignoring a repeated delivery of event %s", body.get("event_id"))
            return
        if event.get("bot_id") or event.get("subtype"):
            return  # bots (ourselves included) and edits never give commands
        place = Place(
            team_id=str(body.get("team_id") or event.get("team") or ""),
            channel_id=str(event.get("channel") or ""),
            user_id=str(event.get("user") or ""),
            # A mention outside a thread starts one under the mentioning message.
            thread_ts=str(event.get("thread_ts") or event.get("ts") or ""),
        )
        say = in_thread(rt, place)
        try:
            command = parse_mention(str(event.get("text") or ""), command_name=rt.command)
        except UsageError as exc:
            await say(answers.usage_error_message(exc.user_message(), rt.command))
            return
        try:
            await _run(rt, command, place, say)
        except BotError as exc:
            await say(Message(exc.user_message()))


async def _run(
    rt: Runtime, command: Help | Watch | Status | Stop | ListWatches, place: Place, say: Say
) -> None:
    if isinstance(command, Help):
        await say(answers.help_message(rt.command, bot_user_id=rt.bot_user_id))
    elif isinstance(command, Status):
        await service.status(
            rt, command.job_id, job_type=command.job_type, language=command.language, say=say
        )
    elif isinstance(command, Watch):
        for job_id in command.job_ids:
            await service.watch(
                rt, place, job_id, job_type=command.job_type, language=command.language, say=say
            )
    elif isinstance(command, Stop):
        await service.stop(rt, place, command.job_id, say=say)
    else:
        await service.list_watches(rt, place, say=say)
