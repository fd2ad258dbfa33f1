"""Interactivity: the card's buttons and the "Watch DRS job in thread" message shortcut."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.drs.jobid import find_job_ids
from bot.errors import BotError
from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import service
from bot.slack.grammar import MAX_JOBS
from bot.slack.listeners.commands import private
from bot.slack.service import Place, Say

log = logging.getLogger(__name__)

SHORTCUT_CALLBACK_ID = "watch_drs_job_in_thread"


def _ids(body: dict[str, Any]) -> tuple[str, str, str]:
    team = str((body.get("team") or {}).get("id") or body.get("team_id") or "")
    channel = str((body.get("channel") or {}).get("id") or body.get("channel_id") or "")
    user = str((body.get("user") or {}).get("id") or body.get("user_id") or "")
    return team, channel, user


def _watch_id(body: dict[str, Any]) -> int | None:
    actions = body.get("actions") or [{}]
    value = str(actions[0].get("value") or "")
    return int(value) if value.isdigit() and len(value) < 18 else None


ButtonWork = Callable[[Runtime, str, str, str, int, Say], Awaitable[None]]


async def _refresh(rt: Runtime, team: str, channel: str, _user: str, watch: int, say: Say) -> None:
    await service.refresh(rt, team_id=team, channel_id=channel, watch_id=watch, say=say)


async def _stop(rt: Runtime, team: str, channel: str, user: str, watch: int, say: Say) -> None:
    await service.stop_one(
        rt, team_id=team, channel_id=channel, user_id=user, watch_id=watch, say=say
    )


def register(app: AsyncApp, rt: Runtime) -> None:
    def button(action_id: str, work: ButtonWork) -> None:
        @app.action(action_id)
        async def on_press(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
            await ack()
            team, channel, user = _ids(body)
            watch_id = _watch_id(body)
            say = private(respond)
            if watch_id is None:
                await say(Message("That button is not one of mine any more; use the command."))
                return
            try:
                await work(rt, team, channel, user, watch_id, say)
            except BotError as exc:
                await say(Message(exc.user_message()))

    button(ACTION_REFRESH, _refresh)
    button(ACTION_STOP, _stop)

    @app.shortcut(SHORTCUT_CALLBACK_ID)
    async def on_shortcut(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        team, channel, user = _ids(body)
        message = body.get("message") or {}
        say = private(respond)
        job_ids = find_job_ids(_message_text(message))
        if not job_ids:
            await say(
                Message(
                    "I found no DRS job ID in that message. A job ID is 36 characters in groups "
                    "of 8-4-4-4-12, like c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r; mention me in "
                    f"the thread with `@bot watch JOB_ID`, or use `{rt.command} JOB_ID`."
                )
            )
            return
        thread_ts = str(message.get("thread_ts") or message.get("ts") or "")
        place = Place(team_id=team, channel_id=channel, user_id=user, thread_ts=thread_ts)
        try:
            for job_id in job_ids[:MAX_JOBS]:
                await service.watch(rt, place, job_id, job_type=None, language=None, say=say)
        except BotError as exc:
            await say(Message(exc.user_message()))


def _message_text(message: dict[str, Any]) -> str:
    """The message's text plus the text of its blocks (IDs are often in code blocks)."""
    parts = [str(message.get("text") or "")]
    stack: list[Any] = list(message.get("blocks") or [])
    while stack and len(parts) < 500:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("text"), str):
                parts.append(item["text"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return "\n".join(parts)[:20000]
