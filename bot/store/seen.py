"""Slack requests already taken by some replica: one row per key, claimed by insert-or-conflict.

Slack re-sends an event it thinks was lost and may deliver the retry to another replica; a
replayed signed request may be aimed at any replica. The first replica to insert a key handles
the request; every other sees the conflict and does nothing. Rows older than Slack's 5-minute
signature window are pruned by housekeeping (`forget_before`).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.store.models import SeenRequest
from bot.store.sql import insert, rowcount

log = logging.getLogger(__name__)

# Slack refuses a signature more than 5 minutes off; a key older than that cannot come back.
WINDOW = timedelta(minutes=5)


def seen_key(kind: str, *parts: str) -> str:
    """A fixed-width key for `kind` and its parts (signatures and IDs hashed, never stored)."""
    digest = hashlib.sha256("\x1f".join((kind, *parts)).encode()).hexdigest()
    return digest[:64]


async def claim(session: AsyncSession, *, key: str, now: datetime) -> bool:
    """Record `key`; True for the one caller that recorded it first."""
    stmt = insert(session, SeenRequest).values(key=key, seen_at=now).on_conflict_do_nothing()
    return rowcount(await session.execute(stmt)) == 1


async def forget_before(session: AsyncSession, *, before: datetime) -> int:
    """Delete keys seen before `before`; returns how many."""
    result = await session.execute(
        delete(SeenRequest)
        .where(SeenRequest.seen_at < before)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


class SharedSeen:
    """`first_time(kind, *parts)` across every replica on one database.

    A database that does not answer lets the request through (logged): the per-process guards
    still stop repeats on this replica, and refusing every request would stop the bot.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def first_time(self, kind: str, *parts: str) -> bool:
        try:
            async with self._sessions.begin() as session:
                return await claim(session, key=seen_key(kind, *parts), now=self._clock.now())
        except Exception as exc:
            log.warning("could not check a %s against other replicas: %s", kind, type(exc).__name__)
            return True
