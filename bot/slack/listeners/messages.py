"""Direct messages to the bot: the mention's grammar without the `@`, answered in the DM itself."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.errors import SlackError
from bot.render.message import Message
from bot.runtime import Chat
from bot.slack.files import Attached
from bot.slack.listeners.context import place_of, runtime_of
from bot.slack.listeners.dispatch import Surface, conversation_surface, dispatch
from bot.slack.listeners.events import SeenEvents, attached_to
from bot.slack.service import Place, Say

log = logging.getLogger(__name__)

# A person's message with a file arrives as `file_share`; every other subtype is an edit or a bot's.
HANDLED_SUBTYPES = frozenset({"", "file_share"})


def register(app: AsyncApp) -> None:
    app.event("message", middleware=[SeenEvents().skip_repeats])(handle_direct_message)


def is_command(event: dict[str, Any]) -> bool:
    """A person's new message in a DM (files too): not a bot's (ours included), nor an edit."""
    return (
        event.get("channel_type") == "im"
        and not event.get("bot_id")
        and str(event.get("subtype") or "") in HANDLED_SUBTYPES
        and bool(event.get("user"))
    )


async def handle_direct_message(
    ack: AsyncAck,
    event: dict[str, Any],
    context: AsyncBoltContext,
    body: dict[str, Any] | None = None,  # Bolt passes it by name; its event_id keys uploads
) -> None:
    """A DM: through the one dispatch, every answer posted in the DM (only the two of us see it)."""
    await ack()
    if not is_command(event):
        return
    rt = runtime_of(context)
    if rt.bot_user_id and event.get("user") == rt.bot_user_id:
        return
    place = place_of(context, thread_ts=str(event["thread_ts"]) if event.get("thread_ts") else None)
    surface = dm_surface(
        rt.slack, place, bot_user_id=context.bot_user_id, attached=attached_to(event, body or {})
    )
    await dispatch(rt, str(event.get("text") or ""), place, surface)


def in_dm(chat: Chat, place: Place) -> Say:
    """Post in the DM (in its thread when the message was in one): a DM is already private."""

    async def say(message: Message) -> None:
        try:
            await chat.post(place.channel_id, message, thread_ts=place.thread_ts)
        except SlackError as exc:
            log.info("could not answer %s in their DM: %s", place.user_id, exc)

    return say


def dm_surface(
    chat: Chat, place: Place, *, bot_user_id: str | None = None, attached: Attached | None = None
) -> Surface:
    """Like a mention: no "Checking …", help and usage in the mention's forms (they work here)."""
    return conversation_surface(in_dm(chat, place), bot_user_id=bot_user_id, attached=attached)
