"""A watch's final reply, sent once even when a replica dies between Slack accepting it and the
bot recording it.

Before the first attempt the intent is stored (`drs_watches.final_intent_at`) and the reply is
tagged with Slack message metadata naming the watch. Whoever finds the intent stored and the
delivery not recorded (a replica that took over, or this one after a Slack error) first reads
the thread back (`conversations.replies` with `include_all_metadata`) and sends only when the
tagged reply is not there. Without the history scope, or when Slack does not answer, it sends
anyway: today's at-most-one repeat, logged once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.watching import ReplyKind
from bot.errors import SlackError
from bot.render.message import Message
from bot.runtime import Runtime
from bot.store.intents import record_final_intent
from bot.store.models import Watch

log = logging.getLogger(__name__)

FINAL_EVENT: Final = "drs_progress_final"
FINAL_REPLIES = frozenset(
    {ReplyKind.SUCCEEDED, ReplyKind.FAILED, ReplyKind.NOT_FOUND, ReplyKind.EXPIRED}
)
# Read the thread from a little before the intent: Slack's clock and ours may differ.
LOOK_BACK = timedelta(minutes=10)
_warned: set[str] = set()  # Slack errors already logged as "cannot look for finals"

Tx = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def final_metadata(watch_id: int) -> dict[str, Any]:
    """The Slack message metadata that marks a watch's final reply."""
    return {"event_type": FINAL_EVENT, "event_payload": {"watch_id": watch_id}}


async def send_final(
    rt: Runtime, watch: Watch, message: Message, broadcast: bool, *, tx: Tx
) -> None:
    """Post `watch`'s final reply in its thread unless an earlier attempt is found there."""
    channel = watch.card_channel or watch.channel_id
    thread_ts = watch.thread_ts or watch.card_ts  # as WatchDelivery replies
    if watch.final_intent_at is None:
        now = rt.clock.now()
        async with tx() as session:
            await record_final_intent(session, watch_id=watch.id, now=now)
        watch.final_intent_at = now
    elif thread_ts and await already_posted(rt, watch, channel=channel, thread_ts=thread_ts):
        log.info("watch %s: its final reply is already in the thread; not sent again", watch.id)
        return
    await rt.slack.post(
        channel,
        message,
        thread_ts=thread_ts,
        broadcast=broadcast,
        metadata=final_metadata(watch.id),
    )


async def already_posted(rt: Runtime, watch: Watch, *, channel: str, thread_ts: str) -> bool:
    """Whether the thread holds `watch`'s tagged final reply; False when Slack cannot say."""
    assert watch.final_intent_at is not None
    oldest = f"{(watch.final_intent_at - LOOK_BACK).timestamp():.6f}"
    try:
        payloads = await rt.slack.thread_metadata(
            channel, thread_ts, event_type=FINAL_EVENT, oldest=oldest
        )
    except SlackError as exc:
        key = exc.error or "unreachable"
        if key not in _warned:
            _warned.add(key)
            log.warning(
                "cannot check a thread for a final reply already sent (%s): it may repeat once "
                "after a crash; grant channels:history, groups:history, im:history and "
                "mpim:history and reinstall the app",
                exc,
            )
        return False
    return any(p.get("watch_id") == watch.id for p in payloads)
