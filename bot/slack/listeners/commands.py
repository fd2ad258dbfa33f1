"""The slash command (`/drs-progress` or SLACK_COMMAND): answered first in its acknowledgement."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.render.message import Message
from bot.slack.grammar import parse_command
from bot.slack.listeners.answer import delete_original, private
from bot.slack.listeners.context import place_of, runtime_of
from bot.slack.listeners.dispatch import Acknowledge, Surface, dispatch


def register(app: AsyncApp, *, command: str) -> None:
    app.command(command)(handle_command)


async def handle_command(
    ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
) -> None:
    """`/drs-progress ...`: through the one dispatch, answered as `slash_surface` says."""
    text = str(command.get("text") or "")
    await dispatch(runtime_of(context), text, place_of(context), slash_surface(ack, respond))


def slash_surface(ack: AsyncAck, respond: AsyncRespond) -> Surface:
    """Usage, help and "Checking …" go in the acknowledgement; the rest by response_url.

    The first answer after "Checking …" replaces it; when the answer is a public card and
    nothing private follows, "Checking …" is deleted.
    """
    return Surface(
        parse=parse_command,
        acknowledge=in_acknowledgement(ack),
        say=private(respond),
        settle=private(respond, replace=True),
        shows_checking=True,
        clear=delete_original(respond),
    )


def in_acknowledgement(ack: AsyncAck) -> Acknowledge:
    """The first answer as the HTTP answer to Slack itself, seen only by the asker."""

    async def acknowledge(message: Message | None) -> None:
        if message is None:
            await ack()
        else:
            await ack(text=message.text, blocks=message.blocks, response_type="ephemeral")

    return acknowledge
