"""The card's buttons: Refresh and Stop watching, answered privately to whoever pressed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.access.rules import Action
from bot.errors import BotError
from bot.render import answers
from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.runtime import Runtime
from bot.slack import control
from bot.slack.guard import permitted, watch_scope
from bot.slack.languages import reader_language
from bot.slack.listeners.answer import private
from bot.slack.listeners.context import place_of, runtime_of
from bot.slack.service import Place, Say

ButtonWork = Callable[[Runtime, Place, int, Say], Awaitable[None]]


def register(app: AsyncApp) -> None:
    app.action(ACTION_REFRESH)(handle_refresh)
    app.action(ACTION_STOP)(handle_stop)


async def handle_refresh(
    ack: AsyncAck, action: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
) -> None:
    """Refresh: ask DRS now and edit the card."""
    await _press(ack, action, context, respond, _refresh)


async def handle_stop(
    ack: AsyncAck, action: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
) -> None:
    """Stop watching: end the card's watch and mark the card stopped."""
    await _press(ack, action, context, respond, _stop)


async def _refresh(rt: Runtime, place: Place, watch_id: int, say: Say) -> None:
    if not await permitted(rt, place, Action.STATUS, say=say, **await watch_scope(rt, watch_id)):
        return
    await control.refresh(
        rt, team_id=place.team_id, channel_id=place.channel_id, watch_id=watch_id, say=say
    )


async def _stop(rt: Runtime, place: Place, watch_id: int, say: Say) -> None:
    if not await permitted(rt, place, Action.STOP, say=say, **await watch_scope(rt, watch_id)):
        return
    await control.stop_one(
        rt,
        team_id=place.team_id,
        channel_id=place.channel_id,
        user_id=place.user_id,
        watch_id=watch_id,
        say=say,
    )


async def _press(
    ack: AsyncAck,
    action: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
    work: ButtonWork,
) -> None:
    await ack()
    say = private(respond)
    watch_id = watch_id_of(action)
    if watch_id is None:
        await say(answers.stale_button())
        return
    rt, place = runtime_of(context), place_of(context)
    try:
        await work(rt, place, watch_id, say)
    except BotError as exc:
        await say(answers.error_message(exc, lang=await reader_language(rt, place)))


def watch_id_of(action: dict[str, Any]) -> int | None:
    """The watch a button belongs to (its value), or None when the value is not one of ours."""
    value = str(action.get("value") or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None
