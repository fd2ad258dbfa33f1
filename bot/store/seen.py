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

from sqlalchemy import bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.store.models import SeenRequest, UTCDateTime
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

    @property
    def shared(self) -> bool:
        """Whether other processes can share this database (PostgreSQL; SQLite serves one)."""
        return bool(self._sessions.kw["bind"].dialect.name == "postgresql")

    async def first_time(self, kind: str, *parts: str) -> bool:
        key, now = seen_key(kind, *parts), self._clock.now()
        try:
            if self.shared:  # one round trip: this sits before Slack's acknowledgement
                return await _claim_autocommit(self._sessions.kw["bind"], key=key, now=now)
            async with self._sessions.begin() as session:
                return await claim(session, key=key, now=now)
        except Exception as exc:
            log.warning("could not check a %s against other replicas: %s", kind, type(exc).__name__)
            return True


# `claim` as one statement, its own transaction, committed without waiting for the WAL flush:
# it sits before Slack's acknowledgement, and a key lost to a database crash only lets one
# repeat through.
_CLAIM_ONCE = text(
    "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true))"
    " INSERT INTO drs_seen_requests (key, seen_at) SELECT :key, :seen_at FROM quick"
    " ON CONFLICT DO NOTHING"
).bindparams(bindparam("seen_at", type_=UTCDateTime()))


async def _claim_autocommit(engine: AsyncEngine, *, key: str, now: datetime) -> bool:
    """`claim` in one round trip outside any transaction (PostgreSQL)."""
    async with engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        return rowcount(await auto.execute(_CLAIM_ONCE, {"key": key, "seen_at": now})) == 1
