"""Slack's side of requests to the bot: bodies shaped like Slack's, signed as Slack signs."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from bot.clock import Clock, SystemClock
from bot.domain.commands import DEFAULT_COMMAND

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
APP_ID = "A0DRSBOT"
# Slack stopped relying on verification tokens; bodies still carry one, so ours do too.
VERIFICATION_TOKEN = "sandbox-verification-token"
_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):08d}"


def sign(body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    """The two headers Slack adds: `v0=hex(hmac_sha256(secret, "v0:{ts}:{body}"))`."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def slash_command_body(
    *,
    text: str,
    command: str = DEFAULT_COMMAND,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    response_url: str,
    trigger_id: str | None = None,
    channel_name: str = "sandbox",
    user_name: str = "sandbox-user",
) -> bytes:
    """A slash command as Slack posts it: form-encoded fields."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": "sandbox",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _next_id("trigger."),
    }
    return urlencode(fields).encode()


def app_mention_body(
    *,
    text: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    ts: str,
    thread_ts: str | None = None,
    event_id: str | None = None,
    bot_user_id: str = "U0DRSBOT",
    event_time: int = 0,
    files: list[dict[str, Any]] | None = None,
) -> bytes:
    """An Events API `event_callback` wrapping an `app_mention` (JSON), with `files` if any."""
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": user_id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if files:
        event["files"] = files
        event["upload"] = False
    return _event_envelope(
        event,
        team_id=team_id,
        event_id=event_id,
        bot_user_id=bot_user_id,
        event_time=event_time or int(float(ts)),
    )


def _event_envelope(
    event: dict[str, Any], *, team_id: str, event_id: str | None, bot_user_id: str, event_time: int
) -> bytes:
    """The `event_callback` envelope around one event (JSON)."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or _next_id("Ev"),
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope).encode()


def direct_message_body(
    *,
    text: str,
    ts: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "D0SANDBOX",
    user_id: str = "U0USER",
    bot_id: str | None = None,
    subtype: str | None = None,
    event_id: str | None = None,
    bot_user_id: str = "U0DRSBOT",
) -> bytes:
    """A `message.im` event: a message in the bot's direct messages (`bot_id` when a bot wrote)."""
    event: dict[str, Any] = {
        "type": "message",
        "channel_type": "im",
        "user": user_id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "event_ts": ts,
    }
    if bot_id is not None:
        event["bot_id"] = bot_id
    if subtype is not None:
        event["subtype"] = subtype
    return _event_envelope(
        event,
        team_id=team_id,
        event_id=event_id,
        bot_user_id=bot_user_id,
        event_time=int(float(ts)),
    )


def app_home_opened_body(
    *,
    user_id: str = "U0USER",
    team_id: str = "T0SANDBOX",
    channel_id: str = "D0SANDBOX",
    tab: str = "home",
    event_ts: str = "1700000000.000100",
    bot_user_id: str = "U0DRSBOT",
) -> bytes:
    """An `app_home_opened` event: someone opened the app's Home (or Messages) tab."""
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": tab,
        "event_ts": event_ts,
    }
    return _event_envelope(
        event,
        team_id=team_id,
        event_id=None,
        bot_user_id=bot_user_id,
        event_time=int(float(event_ts)),
    )


def link_shared_body(
    *,
    urls: list[str],
    message_ts: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    thread_ts: str | None = None,
    bot_user_id: str = "U0DRSBOT",
) -> bytes:
    """A `link_shared` event: a message carrying links on one of the app's unfurl domains."""
    event: dict[str, Any] = {
        "type": "link_shared",
        "channel": channel_id,
        "user": user_id,
        "message_ts": message_ts,
        "unfurl_id": f"{channel_id}.{message_ts}",
        "source": "conversations_history",
        "event_ts": message_ts,
        "links": [{"url": url, "domain": urlsplit(url).hostname or ""} for url in urls],
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return _event_envelope(
        event,
        team_id=team_id,
        event_id=None,
        bot_user_id=bot_user_id,
        event_time=int(float(message_ts)),
    )


def url_verification_body(challenge: str) -> bytes:
    """The handshake Slack sends when a Request URL is saved."""
    body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return json.dumps(body).encode()


class SlackSender:
    """Posts signed requests to the bot as Slack would; an async context manager."""

    def __init__(
        self,
        secret: str,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Clock | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._secret = secret
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._clock = clock or SystemClock()

    async def __aenter__(self) -> SlackSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    async def send(
        self,
        url: str,
        body: bytes,
        *,
        content_type: str | None = None,
        retry_num: int | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> httpx.Response:
        """POST `body` signed with `secret` (default: the sender's) at `timestamp` (default now).

        Content type defaults to JSON for bodies that start with `{`, else form-encoded.
        `retry_num` adds Slack's retry headers, as when Slack re-sends an unacknowledged event.
        """
        ts = int(self._clock.now().timestamp()) if timestamp is None else timestamp
        if content_type is None:
            content_type = JSON if body.lstrip().startswith(b"{") else FORM
        headers = {"Content-Type": content_type, **sign(body, secret or self._secret, ts)}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return await self._client.post(url, content=body, headers=headers)
