"""A recording Slack Web API stand-in on 127.0.0.1 (ephemeral port) shared by tests and sandbox."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.sandbox.http_plumbing import bearer, read_params, serve_on_loopback
from bot.sandbox.slack_files import StoredFile
from bot.sandbox.slack_history import SlackHistory
from bot.sandbox.slack_methods import decode_blocks, truthy
from bot.sandbox.slack_oauth import SlackOAuth, basic_auth
from bot.sandbox.slack_pace import ChannelLimit
from bot.sandbox.slack_state import (
    Call,
    Channel,
    Ephemeral,
    ResponsePost,
    StoredMessage,
    Unfurl,
)
from bot.slack.scopes import BOT_SCOPES

__all__ = [
    "Call",
    "Channel",
    "Ephemeral",
    "ResponsePost",
    "SlackStandIn",
    "StoredFile",
    "StoredMessage",
    "Unfurl",
]

log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass
class _Fault:
    status: int
    n: int
    retry_after: int | None = None
    error: str = "internal_error"


@dataclass
class _ResponseUrl:
    channel: str
    user: str
    message_ts: str | None
    thread_ts: str | None
    posts: int = 0


class SlackStandIn(SlackOAuth, SlackHistory):
    """Slack's Web API as far as the bot uses it, recording every call (an async context manager).

    `api_url` is what `AsyncWebClient(base_url=...)` and `SLACK_API_URL` take. Unknown channels
    are created as public with the bot a member unless `strict=True`.
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-sandbox",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0DRSBOT",
        clock: Clock | None = None,
        strict: bool = False,
    ) -> None:
        super().__init__(clock or SystemClock(), bot_user_id=bot_user_id, strict=strict)
        self.bot_token = bot_token
        self.team_id = team_id
        self.url = ""
        self.api_url = ""
        self._runner: web.AppRunner | None = None
        self._faults: dict[str, list[_Fault]] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._url_ids = itertools.count(1)
        self._changed = asyncio.Event()
        # What auth.test says the token was granted (header x-oauth-scopes); tests change it.
        self.scopes: list[str] = list(BOT_SCOPES)
        # Methods called with another token than the bot's (apps.connections.open: xapp-...).
        self.method_tokens: dict[str, str] = {}
        self.channel_limit: ChannelLimit | None = None  # see limit_channels
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._permalink,
            "reactions.add": self._reactions_add,
            "conversations.info": self._conversations_info,
            "users.info": self._users_info,
            **self.file_handlers(),
            **self.history_handlers(),
            "views.publish": self._views_publish,
            "chat.unfurl": self._chat_unfurl,
            "usergroups.users.list": self._usergroups_users_list,
        }

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> SlackStandIn:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response)
        self.file_routes(app)
        self._runner, address = await serve_on_loopback(app)
        self.url = f"http://{address}"
        self.api_url = f"{self.url}/api/"
        self.base_url = self.url
        log.info("Slack stand-in listening on %s", self.url)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def add_method(self, method: str, handler: Handler, *, token: str | None = None) -> None:
        """Serve one more Web API method (e.g. Socket Mode's), called with `token` if given."""
        self._handlers[method] = handler
        if token is not None:
            self.method_tokens[method] = token

    def handler(self, method: str) -> Handler:
        """What serves `method` now (to wrap it, e.g. to hold a call while a test looks)."""
        return self._handlers[method]

    # -- fault injection ---------------------------------------------------------------------

    def rate_limit_next(self, method: str, n: int = 1, retry_after: int = 1) -> None:
        """The next `n` calls of `method` get HTTP 429 with `Retry-After`."""
        self._faults.setdefault(method, []).append(
            _Fault(429, n, retry_after=retry_after, error="ratelimited")
        )

    def fail_next(self, method: str, n: int = 1, status: int = 500) -> None:
        """The next `n` calls of `method` get HTTP `status` with an error body."""
        self._faults.setdefault(method, []).append(_Fault(status, n))

    def error_next(self, method: str, error: str, n: int = 1) -> None:
        """The next `n` calls of `method` get `{"ok": false, "error": error}` with HTTP 200."""
        self._faults.setdefault(method, []).append(_Fault(200, n, error=error))

    def limit_channels(self, interval: float = 1.0, burst: int = 1) -> None:
        """Messages (post, update) to one channel beyond one per `interval` (bursts of `burst`)
        get HTTP 429 with Retry-After, as Slack answers them."""
        self.channel_limit = ChannelLimit(interval, burst)

    def _pace_fault(self, method: str, params: dict[str, Any]) -> _Fault | None:
        limit, channel = self.channel_limit, str(params.get("channel") or "")
        wait = limit and limit.refuse(method, channel, self._clock.monotonic())
        return _Fault(429, 1, retry_after=wait, error="ratelimited") if wait else None

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.n -= 1
        if fault.n <= 0:
            queue.pop(0)
        return fault

    # -- waiting -----------------------------------------------------------------------------

    def _notify(self) -> None:
        super()._notify()
        self._changed.set()

    # The deadline is part of the documented test API: one call, one bound, no sleeping loops.
    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Return once `predicate()` holds, re-checking after every recorded change."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            methods = [c.method for c in self.calls[-10:]]
            raise TimeoutError(
                f"Slack stand-in: condition not met within {timeout}s; last calls: {methods}"
            ) from None

    # -- response_url ------------------------------------------------------------------------

    def new_response_url(
        self,
        *,
        channel_id: str = "C0SANDBOX",
        user_id: str = "U0USER",
        message_ts: str | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """A unique response_url on this server; posts to it are recorded as Slack shows them."""
        key = f"r{next(self._url_ids)}"
        self._response_urls[key] = _ResponseUrl(channel_id, user_id, message_ts, thread_ts)
        return f"{self.url}/response/{key}"

    async def _response(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        target = self._response_urls.get(key)
        body = await read_params(request)
        call = Call("response_url", body, self._clock.now(), url_key=key)
        error = None
        if target is None:
            error = "expired_url"
        else:
            target.posts += 1
            if target.posts > 5:  # Slack allows 5 posts per response_url
                error = "used_url"
            else:
                self._apply_response(key, target, body)
        if error is not None:
            call.status, call.error = 404, error
        # Recorded after the state changed, so listeners and wait_for see the result.
        self._record(call)
        if error is not None:
            return web.Response(status=404, text=error)
        return web.Response(text="ok")

    def _apply_response(self, key: str, target: _ResponseUrl, body: dict[str, Any]) -> None:
        post = ResponsePost(
            key=key,
            channel=target.channel,
            user=target.user,
            response_type=str(body.get("response_type") or "ephemeral"),
            text=str(body.get("text") or ""),
            blocks=decode_blocks(body.get("blocks")),
            replace_original=truthy(body.get("replace_original")),
            delete_original=truthy(body.get("delete_original")),
            at=self._clock.now(),
        )
        self.responses.append(post)
        original = self.find_message(target.channel, target.message_ts or "")
        if post.delete_original:  # an acknowledgement deleted leaves nothing to show
            if original is not None:
                original.deleted = True
        elif post.replace_original and original is not None:
            original.edit(post.text, post.blocks, post.at)
        elif post.response_type == "in_channel":
            self.store_message(
                target.channel, post.text, post.blocks, thread_ts=target.thread_ts, at=post.at
            )
        else:
            self.ephemeral_list.append(
                Ephemeral(
                    target.channel,
                    target.user,
                    post.text,
                    post.blocks,
                    target.thread_ts,
                    "response_url",
                    post.at,
                )
            )
        self._notify()

    # -- Web API -----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await read_params(request)
        token = bearer(request) or str(params.pop("token", "") or "")
        params.pop("token", None)
        call = Call(method, params, self._clock.now(), token=token)
        fault = self._take_fault(method) or self._pace_fault(method, params)
        if fault is not None:
            call.status, call.error = fault.status, fault.error
            self._record(call)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return web.json_response(
                {"ok": False, "error": fault.error}, status=fault.status, headers=headers
            )
        if method == "oauth.v2.access":
            result: dict[str, Any] = self.oauth_v2_access(params, basic_auth(request))
        elif not token:
            result = {"ok": False, "error": "not_authed"}
        elif token != self.method_tokens.get(method, self.bot_token) and self.token_error(token):
            result = {"ok": False, "error": self.token_error(token)}
        elif method not in self._handlers:
            result = {"ok": False, "error": "unknown_method"}
        else:
            granted_test = self.auth_test_for(token) if method == "auth.test" else None
            result = granted_test or await self._handlers[method](params)
        call.error = None if result.get("ok") else str(result.get("error"))
        self._record(call)
        granted = {"x-oauth-scopes": ",".join(self.scopes)} if method == "auth.test" else {}
        return web.json_response(result, headers=granted)
