"""What handlers read from Bolt's context: the runtime (put there per request) and the IDs."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.logs import start_log_context
from bot.runtime import Runtime
from bot.slack.service import Place

RUNTIME = "runtime"

Middleware = Callable[[AsyncBoltContext, Callable[[], Awaitable[None]]], Awaitable[None]]


def provide_runtime(rt: Runtime) -> Middleware:
    """A Bolt middleware that puts `rt` into every request's context, for `runtime_of`.

    In OAuth mode the runtime put there speaks as the request's workspace: its Chat uses the
    bot token Bolt authorized the request with.
    """

    async def attach_runtime(
        context: AsyncBoltContext,
        next_: Callable[[], Awaitable[None]],  # Bolt passes arguments by name
    ) -> None:
        context[RUNTIME] = rt
        if rt.workspaces is not None and context.bot_token:
            found = rt.workspaces.with_token(context.bot_token, context.bot_user_id)
            context[RUNTIME] = rt.scoped(found, context.enterprise_id)
        elif context.enterprise_id:  # one token: the org still counts for the access policy
            context[RUNTIME] = dataclasses.replace(rt, enterprise_id=context.enterprise_id)
        await next_()

    return attach_runtime


async def log_request_context(
    context: AsyncBoltContext,
    body: dict[str, Any],
    next_: Callable[[], Awaitable[None]],  # Bolt passes arguments by name
) -> None:
    """A Bolt middleware: what the bot logs while handling a request names its team, channel
    and Slack's event or trigger ID. Bolt runs the listener after the middleware returns, in
    the request's task (or one started from it), so the context is set, not scoped."""
    start_log_context(
        team=context.team_id,
        channel=context.channel_id,
        event_id=body.get("event_id"),
        trigger_id=body.get("trigger_id"),
    )
    await next_()


def runtime_of(context: AsyncBoltContext) -> Runtime:
    found = context.get(RUNTIME)
    if not isinstance(found, Runtime):
        raise LookupError("no runtime in Bolt's context: build the app with build_app")
    return found


def place_of(context: AsyncBoltContext, *, thread_ts: str | None = None) -> Place:
    """Where the request came from, by Bolt's reading of the payload."""
    return Place(
        team_id=context.team_id or "",
        channel_id=context.channel_id or "",
        user_id=context.user_id or "",
        thread_ts=thread_ts,
    )
