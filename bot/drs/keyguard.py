"""The key-lockout guard: never let one access key be refused often enough to be locked.

The gateway locks an access key for 5 minutes after more than 5 signature failures in a row.
The guard stops signing with a key after 2 refusals in a row (counted in the database, by a
hash of the key, across replicas) and answers every later request with `CredentialsRefused`
without sending it. While a key is unproven (nothing accepted since the start or since a
refusal), only one signed request is in flight, so a burst of polls cannot fail all at once.
A restart, or `drs-bot key-reset`, gives the key another try.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx

from bot.clock import Clock
from bot.drs.responses import REFUSED_CODES, error_code
from bot.errors import CredentialsRefused

log = logging.getLogger(__name__)

LOCKED_MESSAGE = (
    "DRS refused this access key twice in a row; the bot stopped signing with it, so the gateway "
    "does not lock the key out. Once the key is fixed, restart the bot or run drs-bot key-reset."
)
_RECHECK_SECONDS = 1.0  # how stale this replica's view of the shared lock may get


class KeyLedger(Protocol):
    """Refusals in a row per key hash, shared by replicas (`bot.store.budget.BudgetLedger`)."""

    async def locked(self, key_hash: str) -> bool: ...

    async def refused(self, key_hash: str, *, now: float) -> bool: ...

    async def accepted(self, key_hash: str) -> None: ...

    async def unlock_on_start(self, key_hash: str, *, now: float) -> bool: ...


def key_hash(access_key: str) -> str:
    """What the database keeps of an access key: a hash, never the key."""
    return hashlib.sha256(b"drs-bot key guard\0" + access_key.encode()).hexdigest()


def refused(response: httpx.Response) -> bool:
    """Whether the gateway refused the request's credentials (401/403 or a refusal code)."""
    if response.status_code in (200, 429) or response.status_code >= 500:
        return False
    return response.status_code in (401, 403) or error_code(response) in REFUSED_CODES


class KeyGuard:
    """Wraps each signed send: refuses locally when the key is locked, one at a time if unproven."""

    def __init__(self, ledger: KeyLedger, *, key: str, clock: Clock) -> None:
        self._ledger = ledger
        self.key_hash = key
        self._clock = clock
        self.proven = False
        self._locked = False
        self._checked = float("-inf")
        self._gate = asyncio.Lock()

    async def start(self) -> None:
        """A restart gives a locked key another try (see `unlock_on_start`)."""
        if await self._ledger.unlock_on_start(self.key_hash, now=self._now()):
            log.warning("DRS access key was locked after refusals; trying it again once")

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def _check(self, *, force: bool = False) -> None:
        mono = self._clock.monotonic()
        if force or mono - self._checked >= _RECHECK_SECONDS:
            self._locked = await self._ledger.locked(self.key_hash)
            self._checked = mono
        if self._locked:
            raise CredentialsRefused(LOCKED_MESSAGE)

    async def send(self, send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
        """Send through the guard; `CredentialsRefused` without sending while the key is locked."""
        await self._check()
        if self.proven:
            return await self._judge(await send())
        async with self._gate:  # unproven: one signed request in flight
            await self._check(force=True)
            return await self._judge(await send())

    async def _judge(self, response: httpx.Response) -> httpx.Response:
        if refused(response):
            self.proven = False
            self._locked = await self._ledger.refused(self.key_hash, now=self._now())
            self._checked = self._clock.monotonic()
            if self._locked:
                log.error("DRS refused the access key twice in a row: no more signed requests")
        elif response.status_code < 500 and response.status_code != 429 and not self.proven:
            await self._ledger.accepted(self.key_hash)
            self.proven = True
        return response
