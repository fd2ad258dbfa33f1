"""Replay guard: a signed request Bolt already accepted is refused (401) if it comes again.

Bolt checks the signature and that the timestamp is within 5 minutes, but accepts the same
signed request any number of times inside that window, so a captured slash command or button
press could be replayed. This Bolt middleware runs after Bolt's signature check and remembers
each (timestamp, signature) pair until Bolt itself would call it stale.

Slack re-sends Events API callbacks it thinks were lost (`X-Slack-Retry-Num`, usually with a
fresh timestamp and signature). An event retry may reuse the original's signature when it comes
within the same second, so for `event_callback` bodies the retry number is part of the key: a
retry gets through once per number, and the event listener's own event-id check keeps it from
acting twice. Slash commands and interactivity are never retried by Slack, so for them a
retry header changes nothing.

With `shared` (the database, `bot.store.seen`), a request any replica accepted is refused by
every other one too; this process's own memory answers first, without a database round trip.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.clock import Clock, SystemClock
from bot.store.seen import SharedSeen

log = logging.getLogger(__name__)

# Bolt (slack_sdk's SignatureVerifier) refuses timestamps more than 5 minutes off, either way.
WINDOW_SECONDS = 5 * 60
# Only signed requests reach the guard, so this bounds memory against a flood of real traffic.
MAX_REMEMBERED = 200_000

Key = tuple[str, str, str]


class ReplayGuard(AsyncMiddleware):
    """Refuses a signed request whose (timestamp, signature) was already accepted."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        window: int = WINDOW_SECONDS,
        shared: SharedSeen | None = None,
    ) -> None:
        # Wall-clock time, as Bolt's staleness check uses.
        self._clock: Clock = clock or SystemClock()
        self._window = window
        self._shared = shared
        self._seen: set[Key] = set()
        self._expiry: list[tuple[int, Key]] = []  # heap: (forget after, key)
        self.refused = 0

    @property
    def name(self) -> str:
        return "ReplayGuard"

    def first_time(self, key: Key, timestamp: int) -> bool:
        """Remember `key` until Bolt would refuse its timestamp; False when already seen."""
        now = int(self._clock.now().timestamp())
        while self._expiry and (self._expiry[0][0] < now or len(self._expiry) > MAX_REMEMBERED):
            _, old = heapq.heappop(self._expiry)
            self._seen.discard(old)
        if key in self._seen:
            return False
        self._seen.add(key)
        heapq.heappush(self._expiry, (timestamp + self._window + 1, key))
        return True

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt calls it by this name
    ) -> BoltResponse | None:
        timestamp = _header(req, "x-slack-request-timestamp")
        signature = _header(req, "x-slack-signature")
        if req.mode == "socket_mode" or not timestamp or not signature:
            return await next()  # Socket Mode requests are not signed; Bolt refused the rest
        retry = (
            _header(req, "x-slack-retry-num") if req.body.get("type") == "event_callback" else ""
        )
        try:
            when = int(timestamp)
        except ValueError:
            when = 0
        key = (timestamp, signature, retry)
        if self.first_time(key, when) and (
            self._shared is None or await self._shared.first_time("request", *key)
        ):
            return await next()
        self.refused += 1
        log.warning("refused a replayed Slack request (timestamp %s)", timestamp)
        return BoltResponse(status=401, body="")


def plausible_timestamp(value: str | None) -> bool:
    """Whether X-Slack-Request-Timestamp is a number at all: slack_sdk's verifier raises
    ValueError (a 500 with a traceback) on an empty or non-numeric one instead of refusing it."""
    return value is not None and value.isascii() and value.isdigit()


def _header(req: AsyncBoltRequest, name: str) -> str:
    values = req.headers.get(name) or []
    return str(values[0]) if values else ""
