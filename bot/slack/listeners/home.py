"""The App Home: published when opened; its Stop buttons stop a watch as the card's button does."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.access.rules import Action
from bot.errors import BotError, SlackError
from bot.home import publish_home
from bot.render.home import ACTION_HOME_STOP
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import control
from bot.slack.guard import permitted, scope_of_watch
from bot.slack.listeners.actions import watch_id_of
from bot.slack.listeners.context import runtime_of
from bot.slack.posting import Place, Say
from bot.store import repo

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(ACTION_HOME_STOP)(handle_home_stop)


async def handle_home_opened(
    ack: AsyncAck, event: dict[str, Any], context: AsyncBoltContext
) -> None:
    """The Home tab was opened: publish it, current (the Messages tab needs nothing)."""
    await ack()
    user = str(event.get("user") or "")
    if event.get("tab", "home") != "home" or not user:
        return
    await publish_home(runtime_of(context), team_id=context.team_id or "", user_id=user)


async def handle_home_stop(
    ack: AsyncAck, action: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Stop from the Home: the card's stop path, checked against the watch's own channel.

    Only the person who started the watch or a follower may stop it from their Home.
    """
    await ack()
    rt = runtime_of(context)
    user, team = context.user_id or "", context.team_id or ""
    watch_id = watch_id_of(action)
    async with rt.sessions() as session:
        found = None if watch_id is None else await repo.get_watch(session, watch_id=watch_id)
    allowed = found is not None and (found.requested_by == user or user in (found.joined_by or ()))
    if (
        found is not None
        and allowed
        and not await permitted(
            rt,
            Place(team, found.channel_id, user),
            Action.STOP,
            say=in_dm(rt, user),
            **scope_of_watch(rt, found),
        )
    ):
        allowed = False  # the policy refused it; the DM said which rule
    if found is not None and found.team_id == team and allowed and found.active:
        try:
            await control.stop_one(
                rt,
                team_id=found.team_id,
                channel_id=found.channel_id,
                user_id=user,
                watch_id=found.id,
                say=_logged,
            )
        except BotError as exc:
            log.info("stop from the Home of %s failed: %s", user, exc)
        else:
            if found.requested_by == user:
                return  # stopping republished the starter's Home: it shows the watch ended
    else:
        log.info("Home stop of watch %s by %s refused: not theirs or ended", watch_id, user)
    # The Home itself is the answer: it shows what is true now.
    await publish_home(rt, team_id=team, user_id=user)


def in_dm(rt: Runtime, user: str) -> Say:
    """A Home button has no response_url: a private answer goes to the user's DM with the bot."""

    async def say(message: Message) -> None:
        try:
            await rt.slack.post(user, message)
        except SlackError as exc:
            log.info("could not answer %s in their DM: %s", user, exc)

    return say


async def _logged(message: Message) -> None:
    # A Home button has no response_url and no channel: the republished Home says the rest.
    log.info("Home stop: %s", message.text)
