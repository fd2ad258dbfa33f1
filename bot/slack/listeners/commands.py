"""The slash command (`/drs-progress` or SLACK_COMMAND): parse, acknowledge, then work."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.errors import BotError, UsageError
from bot.render import answers
from bot.render.message import Message
from bot.render.text import short_job_id
from bot.runtime import Runtime
from bot.slack import service
from bot.slack.grammar import Help, ListWatches, Status, Stop, Watch, parse_command
from bot.slack.service import Place, Say

log = logging.getLogger(__name__)


def private(respond: AsyncRespond, *, replace: bool = False) -> Say:
    """Answer only the person who typed the command (through its response_url)."""

    async def say(message: Message) -> None:
        try:
            await respond(
                text=message.text,
                blocks=message.blocks or None,
                response_type="ephemeral",
                replace_original=replace,
            )
        except Exception as exc:  # the response_url may have expired: nothing else to tell
            log.warning("could not answer through response_url: %s", type(exc).__name__)

    return say


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.command(rt.command)
    async def on_command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        text = str(body.get("text") or "")
        try:
            command = parse_command(text, command_name=rt.command)
        except UsageError as exc:
            message = answers.usage_error_message(exc.user_message(), rt.command)
            await ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
            return
        if isinstance(command, Help):
            message = answers.help_message(rt.command, bot_user_id=rt.bot_user_id)
            await ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
            return
        place = Place(
            team_id=str(body.get("team_id") or ""),
            channel_id=str(body.get("channel_id") or ""),
            user_id=str(body.get("user_id") or ""),
        )
        if isinstance(command, Watch | Status):
            ids = command.job_ids if isinstance(command, Watch) else (command.job_id,)
            shown = ", ".join(f"`{short_job_id(j)}`" for j in ids)
            await ack(
                text=f":hourglass_flowing_sand: Checking {shown} with DRS…",
                response_type="ephemeral",
            )
        else:
            await ack()
        try:
            await _run(rt, command, place, respond)
        except BotError as exc:
            await private(respond)(Message(exc.user_message()))


async def _run(
    rt: Runtime,
    command: Watch | Status | Stop | ListWatches,
    place: Place,
    respond: AsyncRespond,
) -> None:
    say = private(respond)
    if isinstance(command, Status):
        await service.status(
            rt,
            command.job_id,
            job_type=command.job_type,
            language=command.language,
            say=private(respond, replace=True),
        )
    elif isinstance(command, Watch):
        for job_id in command.job_ids:
            await service.watch(
                rt,
                place,
                job_id,
                job_type=command.job_type,
                language=command.language,
                say=say,
            )
    elif isinstance(command, Stop):
        await service.stop(rt, place, command.job_id, say=say)
    else:
        await service.list_watches(rt, place, say=say)
