"""The shared DRS budget in the database: send slots taken atomically, throttles, refused keys.

Every replica takes its send slots from one row (compare-and-set on a version, so it is exact on
SQLite and PostgreSQL alike); a throttle seen by one replica is written there and honoured by
all. Functions take the session first and keywords after, and none commits.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import pacing
from bot.domain.pacing import Schedule
from bot.store.budget_models import BudgetRow, KeyGuardRow
from bot.store.sql import insert, rowcount

DRS_KEY = "drs"
_ATTEMPTS = 20  # compare-and-set rounds before giving up (each loses only to another's grant)
LOCK_AFTER = 2  # refusals in a row that stop the bot signing with a key
FORGET_SECONDS = 300.0  # the gateway's lockout; older refusals no longer count after a restart
MOST_IN_A_ROW = 5  # the gateway locks a key after more than 5 signature failures in a row


async def _schedule(session: AsyncSession, key: str) -> tuple[Schedule, int]:
    row = (
        await session.execute(
            select(
                BudgetRow.next_slot, BudgetRow.slow_until, BudgetRow.level, BudgetRow.version
            ).where(BudgetRow.key == key)
        )
    ).first()
    if row is None:
        await session.execute(
            insert(session, BudgetRow)
            .values(key=key, next_slot=0.0, slow_until=0.0, level=0, version=0)
            .on_conflict_do_nothing()
        )
        return Schedule(), 0
    return Schedule(row[0], row[1], row[2]), row[3]


async def _store(session: AsyncSession, key: str, version: int, schedule: Schedule) -> bool:
    result = await session.execute(
        update(BudgetRow)
        .where(BudgetRow.key == key, BudgetRow.version == version)
        .values(
            next_slot=schedule.next_slot,
            slow_until=schedule.slow_until,
            level=schedule.level,
            version=version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def take_slots(
    session: AsyncSession,
    *,
    now: float,
    want: int,
    max_rps: float,
    horizon: float = pacing.HORIZON,
    key: str = DRS_KEY,
) -> tuple[list[float], float]:
    """Up to `want` send slots (epoch seconds, ascending) no further ahead than `horizon`; and
    the earliest moment the next one could be had."""
    for _ in range(_ATTEMPTS):
        schedule, version = await _schedule(session, key)
        slots, after = pacing.grant(schedule, now=now, want=want, max_rps=max_rps, horizon=horizon)
        if not slots:
            return [], max(after.next_slot, after.slow_until) - horizon
        if await _store(session, key, version, after):
            return slots, after.next_slot - horizon
    return [], now + pacing.spacing(max_rps, 0)


async def note_throttle(
    session: AsyncSession, *, now: float, retry_after: float | None, key: str = DRS_KEY
) -> Schedule:
    """DRS throttled a request: every replica's slots wait until the schedule's `slow_until`."""
    for _ in range(_ATTEMPTS):
        schedule, version = await _schedule(session, key)
        after = pacing.slowed(schedule, now=now, retry_after=retry_after)
        if await _store(session, key, version, after):
            return after
    return schedule


async def read_schedule(session: AsyncSession, *, key: str = DRS_KEY) -> Schedule:
    return (await _schedule(session, key))[0]


# ---- refused access keys ----------------------------------------------------------------------


async def key_locked(session: AsyncSession, *, key_hash: str) -> bool:
    found = await session.scalar(select(KeyGuardRow.locked).where(KeyGuardRow.key_hash == key_hash))
    return bool(found)


async def note_refusal(session: AsyncSession, *, key_hash: str, now: float) -> bool:
    """One more refusal in a row for this key; returns whether the key is now locked."""
    await session.execute(
        insert(session, KeyGuardRow)
        .values(key_hash=key_hash, refusals=0, locked=False, last_refusal_at=None)
        .on_conflict_do_nothing()
    )
    refusals = KeyGuardRow.refusals + 1
    result = await session.execute(
        update(KeyGuardRow)
        .where(KeyGuardRow.key_hash == key_hash)
        .values(refusals=refusals, locked=refusals >= LOCK_AFTER, last_refusal_at=now)
        .returning(KeyGuardRow.locked)
        .execution_options(synchronize_session=False)
    )
    return bool(result.scalar_one())


async def note_accepted(session: AsyncSession, *, key_hash: str) -> None:
    """The key was accepted: refusals in a row start again from zero."""
    await session.execute(
        update(KeyGuardRow)
        .where(KeyGuardRow.key_hash == key_hash)
        .values(refusals=0, locked=False)
        .execution_options(synchronize_session=False)
    )


async def unlock_on_start(session: AsyncSession, *, key_hash: str, now: float) -> bool:
    """A (re)start gives a locked key one more try. Refusals older than the gateway's lockout are
    forgotten; recent ones still count, and a key already refused MOST_IN_A_ROW - 1 times in a
    row stays locked (restarts in a crash loop must not add up to a lockout at the gateway)."""
    await session.execute(
        update(KeyGuardRow)
        .where(KeyGuardRow.key_hash == key_hash, KeyGuardRow.last_refusal_at < now - FORGET_SECONDS)
        .values(refusals=0, locked=False)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(KeyGuardRow)
        .where(
            KeyGuardRow.key_hash == key_hash,
            KeyGuardRow.locked.is_(True),
            KeyGuardRow.refusals < MOST_IN_A_ROW - 1,
        )
        .values(locked=False)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) > 0


class BudgetLedger:
    """The budget and key guard tables behind short transactions of their own."""

    def __init__(self, begin: Callable[[], AbstractAsyncContextManager[AsyncSession]]) -> None:
        self._begin = begin

    async def take(
        self, *, now: float, want: int, max_rps: float, horizon: float
    ) -> tuple[list[float], float]:
        async with self._begin() as session:
            return await take_slots(session, now=now, want=want, max_rps=max_rps, horizon=horizon)

    async def throttled(self, *, now: float, retry_after: float | None) -> None:
        async with self._begin() as session:
            await note_throttle(session, now=now, retry_after=retry_after)

    async def locked(self, key_hash: str) -> bool:
        async with self._begin() as session:
            return await key_locked(session, key_hash=key_hash)

    async def refused(self, key_hash: str, *, now: float) -> bool:
        async with self._begin() as session:
            return await note_refusal(session, key_hash=key_hash, now=now)

    async def accepted(self, key_hash: str) -> None:
        async with self._begin() as session:
            await note_accepted(session, key_hash=key_hash)

    async def unlock_on_start(self, key_hash: str, *, now: float) -> bool:
        async with self._begin() as session:
            return await unlock_on_start(session, key_hash=key_hash, now=now)


class SessionSlots:
    """The schedule within a transaction already open (the sweep takes slots as it claims)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def take(
        self, *, now: float, want: int, max_rps: float, horizon: float
    ) -> tuple[list[float], float]:
        return await take_slots(self._session, now=now, want=want, max_rps=max_rps, horizon=horizon)

    async def throttled(self, *, now: float, retry_after: float | None) -> None:
        await note_throttle(self._session, now=now, retry_after=retry_after)
