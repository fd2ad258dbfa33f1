"""The bot's Slack Web API calls, with Slack's errors turned into ours at this edge."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.files import SharedFile
from bot.errors import DestinationGone, FileNotVisible, MissingScope, SlackError
from bot.render.message import Message
from bot.slack.filefetch import fetch_file

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
# Told of every Web API call that ends: (method, `ok` or Slack's error code or `unreachable`).
CallObserver = Callable[[str, str], None]
_ERROR_LABEL = re.compile(r"[a-z_]{1,40}")
MAX_PAGES = 5  # of conversations.replies, when looking for a tagged message


class CountingRateLimitHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (waits Retry-After, retries), telling `on_429` of each 429."""

    def __init__(self, on_429: Callable[[str], None], *, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.on_429 = on_429

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.on_429(request.url.rstrip("/").rsplit("/", 1)[-1])
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def build_web_client(
    token: str,
    base_url: str,
    *,
    proxy: str | None = None,
    on_429: Callable[[str], None] | None = None,
) -> AsyncWebClient:
    """The one AsyncWebClient: Retry-After honoured on 429, connection and 5xx errors retried.

    `proxy` is what `Proxies.for_url(base_url)` chose, None for a direct connection; `on_429`
    hears the method of every 429 before it is waited out.
    """
    rate_limit = (
        CountingRateLimitHandler(on_429, max_retry_count=5)
        if on_429 is not None
        else AsyncRateLimitErrorRetryHandler(max_retry_count=5)
    )
    client = AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=15,
        proxy=proxy,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            rate_limit,
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    # Given no proxy, slack_sdk falls back on HTTPS_PROXY/HTTP_PROXY itself, ignoring NO_PROXY.
    client.proxy = proxy
    return client


@contextmanager
def map_slack_errors(method: str, observe: CallObserver | None = None) -> Iterator[None]:
    """Turn what slack_sdk and aiohttp raise for one Web API call into `SlackError`.

    `DestinationGone` when Slack says the destination can never receive messages again;
    `error` carries Slack's error code (None when Slack was not reached). `observe` hears how
    the call ended.
    """
    try:
        yield
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error"))
        if observe is not None:
            observe(method, error if _ERROR_LABEL.fullmatch(error) else "other")
        kind = DestinationGone if error in GONE_ERRORS else SlackError
        if error == "missing_scope":
            kind = MissingScope
        raise kind(f"Slack {method} failed: {error}", error=error) from exc
    except SlackRequestError as exc:  # files_upload_v2: the upload URL refused the bytes
        raise SlackError(f"Slack {method} failed: {exc}", error=None) from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        if observe is not None:
            observe(method, "unreachable")
        raise SlackError(f"Slack {method} failed: {type(exc).__name__}", error=None) from exc
    if observe is not None:
        observe(method, "ok")


class SlackGateway:
    """The Web API calls the bot makes; every failure is a `SlackError` (`DestinationGone`)."""

    def __init__(self, client: AsyncWebClient, *, observe: CallObserver | None = None) -> None:
        self.client = client
        self.observe = observe

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        broadcast: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Post a message (in a thread when `thread_ts`); return its ts."""
        kwargs: dict[str, Any] = {"channel": channel, "text": message.text, "unfurl_links": False}
        if message.blocks:
            kwargs["blocks"] = message.blocks
        if metadata is not None:
            kwargs["metadata"] = metadata
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
            if broadcast:
                kwargs["reply_broadcast"] = True
        with map_slack_errors("chat.postMessage", self.observe):
            response = await self.client.chat_postMessage(**kwargs)
        return str(response["ts"])

    async def thread_metadata(
        self, channel: str, thread_ts: str, *, event_type: str, oldest: str | None = None
    ) -> list[dict[str, Any]]:
        """The `event_payload` of every message in the thread tagged `event_type` (a few pages
        of `conversations.replies`, from `oldest` on); needs the conversation's history scope."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            with map_slack_errors("conversations.replies", self.observe):
                response = await self.client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    include_all_metadata=True,
                    limit=200,
                    oldest=oldest,  # None values are left out of the call
                    cursor=cursor,
                )
            for message in response.get("messages") or ():
                tag = message.get("metadata") or {}
                if tag.get("event_type") == event_type:
                    found.append(dict(tag.get("event_payload") or {}))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return found

    async def update(self, channel: str, ts: str, message: Message) -> None:
        with map_slack_errors("chat.update", self.observe):
            await self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            )

    async def ephemeral(
        self, channel: str, user: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        kwargs: dict[str, Any] = {"channel": channel, "user": user, "text": message.text}
        if message.blocks:
            kwargs["blocks"] = message.blocks
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        with map_slack_errors("chat.postEphemeral", self.observe):
            await self.client.chat_postEphemeral(**kwargs)

    async def react(self, channel: str, ts: str, name: str) -> None:
        try:
            with map_slack_errors("reactions.add", self.observe):
                await self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackError as exc:
            if exc.error != "already_reacted":
                raise
            # a repeat after a crash: the reaction is there, which is what we wanted

    async def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message, or None when Slack will not give one (never fatal)."""
        try:
            with map_slack_errors("permalink", self.observe):
                response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackError as exc:
            log.info("no permalink for %s/%s: %s", channel, ts, exc)
            return None
        link = response.get("permalink")
        return str(link) if link else None

    async def upload_file(
        self, channel: str, thread_ts: str | None, *, name: str, content: bytes, comment: str
    ) -> str:
        """Share a file in the channel (in a thread when `thread_ts`) with a comment; its ID."""
        with map_slack_errors("files.upload"):
            response = await self.client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                filename=name,
                title=name,
                content=content,
                initial_comment=comment,
            )
        shared = response.get("file") or {}
        return str(shared.get("id") or "")

    async def file_info(self, file_id: str) -> SharedFile:
        """What Slack says about a file now; FileNotVisible when the bot cannot see it."""
        try:
            with map_slack_errors("files.info"):
                response = await self.client.files_info(file=file_id)
        except SlackError as exc:
            if exc.error in ("file_not_found", "file_deleted"):
                raise FileNotVisible(str(exc), name=file_id) from exc
            raise
        shared = SharedFile.from_slack(response.get("file") or {})
        if shared is None:
            raise FileNotVisible(f"files.info gave no download for {file_id}", name=file_id)
        return shared

    async def download_file(self, shared: SharedFile, *, cap: int) -> bytes:
        """The file's bytes, verified (not Slack's sign-in page, the announced size, <= `cap`)."""
        token = self.client.token or ""
        return await fetch_file(shared, token=token, cap=cap, proxy=self.client.proxy)

    async def bot_user_id(self) -> str | None:
        """The bot's own user ID (auth.test), for `/invite @bot` hints."""
        with map_slack_errors("auth.test", self.observe):
            answer = await self.client.auth_test()
        return str(answer.get("user_id") or "") or None

    async def publish_home(self, user: str, blocks: list[dict[str, Any]]) -> None:
        with map_slack_errors("views.publish"):
            await self.client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})

    async def user_locale(self, user: str) -> str | None:
        """The user's Slack locale (`users.info` with `include_locale`, scope `users:read`)."""
        with map_slack_errors("users.info", self.observe):
            answer = await self.client.users_info(user=user, include_locale=True)
        found = answer.get("user") or {}
        return str(found.get("locale") or "") or None

    async def unfurl(self, channel: str, ts: str, unfurls: dict[str, Message]) -> None:
        previews = {url: {"blocks": message.blocks} for url, message in unfurls.items()}
        with map_slack_errors("chat.unfurl"):
            await self.client.chat_unfurl(channel=channel, ts=ts, unfurls=previews)

    async def aclose(self) -> None:
        """Close the client's HTTP session if it has one (by default each call opens its own)."""
        session = self.client.session
        if session is not None and not session.closed:
            await session.close()
