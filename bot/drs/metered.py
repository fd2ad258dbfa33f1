"""The DRS transport wrapped in the request budget and the key guard: every request counts."""

from __future__ import annotations

import httpx

from bot.drs.budget import Budget
from bot.drs.keyguard import KeyGuard
from bot.drs.responses import THROTTLED_CODES, error_code, parse_retry_after


def throttled(response: httpx.Response) -> bool:
    """A 429, or a throttling code (APIGW.0308, APIG.0308, DRS.M01503) on any status."""
    if response.status_code == 429:
        return True
    if response.status_code == 200:
        return False
    return error_code(response) in THROTTLED_CODES


class MeteredTransport(httpx.AsyncBaseTransport):
    """Waits for a budget slot before each request; tells the budget of throttles, the guard of
    refusals. The key guard only applies to signed (AK/SK) requests."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        budget: Budget | None = None,
        guard: KeyGuard | None = None,
    ) -> None:
        self._inner = inner
        self.budget = budget
        self.guard = guard

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.guard is not None and "Authorization" in request.headers:
            return await self.guard.send(lambda: self._send(request))
        return await self._send(request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        if self.budget is not None:
            await self.budget.acquire()
        response = await self._inner.handle_async_request(request)
        if self.budget is not None and throttled(response):
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), self.budget.clock.now()
            )
            await self.budget.throttled(retry_after)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
