"""What handlers read from Bolt's context: the runtime (put there per request) and the IDs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.context.async_context import AsyncBoltContext

from bot.runtime import Runtime
from bot.slack.service import Place

RUNTIME = "runtime"

Middleware = Callable[[AsyncBoltContext, Callable[[], Awaitable[None]]], Awaitable[None]]


def provide_runtime(rt: Runtime) -> Middleware:
    """A Bolt middleware that puts `rt` into every request's context, for `runtime_of`."""

    async def attach_runtime(
        context: AsyncBoltContext,
        next_: Callable[[], Awaitable[None]],  # Bolt passes arguments by name
    ) -> None:
        context[RUNTIME] = rt
        await next_()

    return attach_runtime


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
