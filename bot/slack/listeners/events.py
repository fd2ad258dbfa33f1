"""`@bot ...` mentions: commands inside migration threads, answered privately in that thread."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.runtime import Chat, Runtime
from bot.slack.files import Attached
from bot.slack.listeners.answer import in_thread
from bot.slack.listeners.context import RUNTIME, place_of, runtime_of
from bot.slack.listeners.dispatch import Surface, conversation_surface, dispatch
from bot.slack.service import Place
from bot.store.seen import SharedSeen

log = logging.getLogger(__name__)


class SeenEvents:
    """Event IDs handled lately: Slack's retries (X-Slack-Retry-Num) must not act twice.

    This process remembers the IDs it handled; the database (`SharedSeen`, through the runtime
    in Bolt's context) tells it about those another replica handled.
    """

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

    async def skip_repeats(
        self,
        body: dict[str, Any],
        next_: Callable[[], Awaitable[None]],  # Bolt passes arguments by name
        context: AsyncBoltContext | None = None,
    ) -> BoltResponse | None:
        """Listener middleware: a repeated delivery is acknowledged and goes no further."""
        event_id = str(body.get("event_id") or "")
        if self.first_time(event_id) and await _first_for_replicas(context, body, event_id):
            await next_()
            return None
        log.info("ignoring a repeated delivery of event %s", event_id)
        return BoltResponse(status=200, body="")


async def _first_for_replicas(
    context: AsyncBoltContext | None, body: dict[str, Any], event_id: str
) -> bool:
    """Whether no other replica took this event (True without a runtime or an event ID).

    Keyed by the event's type too: the listeners of different event types never share a key."""
    rt = context.get(RUNTIME) if context is not None and event_id else None
    if not isinstance(rt, Runtime):
        return True
    event = body.get("event")
    kind = str(event.get("type") or "") if isinstance(event, dict) else ""
    return await SharedSeen(rt.sessions, rt.clock).first_time("event", kind, event_id)


def register(app: AsyncApp) -> None:
    app.event("app_mention", middleware=[SeenEvents().skip_repeats])(handle_mention)


async def handle_mention(
    ack: AsyncAck,
    event: dict[str, Any],
    context: AsyncBoltContext,
    body: dict[str, Any] | None = None,  # Bolt passes it by name; its event_id keys uploads
) -> None:
    """`@bot ...`: through the one dispatch, answered as `mention_surface` says."""
    await ack()
    if event.get("bot_id") or event.get("subtype"):
        return  # bots (ourselves included) and edits never give commands
    rt = runtime_of(context)
    # A mention outside a thread starts one under the mentioning message.
    place = place_of(context, thread_ts=str(context.thread_ts or event.get("ts") or ""))
    surface = mention_surface(
        rt.slack, place, bot_user_id=context.bot_user_id, attached=attached_to(event, body or {})
    )
    await dispatch(rt, str(event.get("text") or ""), place, surface)


def attached_to(event: dict[str, Any], body: dict[str, Any]) -> Attached:
    """The files the mention carried, keyed by the event's ID (the same on Slack's retries)."""
    items = tuple(f for f in event.get("files") or () if isinstance(f, dict))
    return Attached(items, str(body.get("event_id") or ""))


def mention_surface(
    chat: Chat, place: Place, *, bot_user_id: str | None = None, attached: Attached | None = None
) -> Surface:
    """Everything, help and usage included, is answered privately in the thread; no "Checking …"."""
    return conversation_surface(in_thread(chat, place), bot_user_id=bot_user_id, attached=attached)
