"""The bot's Slack Web API calls, with Slack's errors turned into ours at this edge."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import DestinationGone, SlackError
from bot.render.message import Message

log = logging.getLogger(__name__)

# Errors after which a destination can never receive the bot's messages again.
GONE_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "account_inactive",
        "invalid_auth",
        "token_revoked",
        "team_access_not_granted",
    }
)
# Of those, the ones that concern the whole bot rather than one destination.
BOT_ERRORS = frozenset({"invalid_auth", "token_revoked", "account_inactive"})


def build_web_client(token: str, base_url: str) -> AsyncWebClient:
    """The one AsyncWebClient: Retry-After honoured on 429, connection and 5xx errors retried."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=15,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=5),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _convert(method: str, exc: Exception) -> SlackError:
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error", "unknown_error"))
        if error in GONE_ERRORS:
            return DestinationGone(f"Slack {method} failed: {error}", error=error)
        return SlackError(f"Slack {method} failed: {error}", error=error)
    return SlackError(f"Slack {method} failed: {type(exc).__name__}", error=None)


_CAUGHT = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class SlackGateway:
    """The Web API calls the bot makes; every failure is a `SlackError` (`DestinationGone`)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        broadcast: bool = False,
    ) -> str:
        """Post a message (in a thread when `thread_ts`); return its ts."""
        kwargs: dict[str, Any] = {"channel": channel, "text": message.text, "unfurl_links": False}
        if message.blocks:
            kwargs["blocks"] = message.blocks
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
            if broadcast:
                kwargs["reply_broadcast"] = True
        try:
            response = await self.client.chat_postMessage(**kwargs)
        except _CAUGHT as exc:
            raise _convert("chat.postMessage", exc) from exc
        return str(response["ts"])

    async def update(self, channel: str, ts: str, message: Message) -> None:
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            )
        except _CAUGHT as exc:
            raise _convert("chat.update", exc) from exc

    async def ephemeral(
        self, channel: str, user: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        kwargs: dict[str, Any] = {"channel": channel, "user": user, "text": message.text}
        if message.blocks:
            kwargs["blocks"] = message.blocks
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        try:
            await self.client.chat_postEphemeral(**kwargs)
        except _CAUGHT as exc:
            raise _convert("chat.postEphemeral", exc) from exc

    async def react(self, channel: str, ts: str, name: str) -> None:
        try:
            await self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as exc:
            if exc.response.get("error") == "already_reacted":
                return  # a repeat after a crash: the reaction is there, which is what we wanted
            raise _convert("reactions.add", exc) from exc
        except _CAUGHT as exc:
            raise _convert("reactions.add", exc) from exc

    async def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message, or None when Slack will not give one (never fatal)."""
        try:
            response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except _CAUGHT as exc:
            log.info("no permalink for %s/%s: %s", channel, ts, _convert("permalink", exc))
            return None
        link = response.get("permalink")
        return str(link) if link else None
