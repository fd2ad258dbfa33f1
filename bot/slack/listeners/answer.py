"""How a listener answers the person who asked: privately, by response_url or inside a thread."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncRespond

from bot.errors import SlackError
from bot.render.message import Message
from bot.runtime import Chat
from bot.slack.service import Place, Say

log = logging.getLogger(__name__)


def private(respond: AsyncRespond, *, replace: bool = False) -> Say:
    """Answer only the person who typed the command or pressed the button (its response_url)."""

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


def delete_original(respond: AsyncRespond) -> Callable[[], Awaitable[None]]:
    """Remove the private message the response_url belongs to ("Checking …")."""

    async def delete() -> None:
        try:
            await respond(delete_original=True)
        except Exception as exc:  # the response_url may have expired: nothing else to tell
            log.warning("could not delete through response_url: %s", type(exc).__name__)

    return delete


def in_thread(chat: Chat, place: Place) -> Say:
    """Answer the person privately inside the thread."""

    async def say(message: Message) -> None:
        try:
            await chat.ephemeral(
                place.channel_id, place.user_id, message, thread_ts=place.thread_ts
            )
        except SlackError as exc:
            log.info("could not answer %s in %s: %s", place.user_id, place.channel_id, exc)

    return say
