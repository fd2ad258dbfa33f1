"""Where a poll is stored: leases on polled jobs, and the one writer of what a job was seen doing.

One writer per job per interval, across replicas: a replica claims due jobs (a lease until
`lease_expires_at`), polls them, writes every poll of a batch in one statement, and releases
the leases it no longer needs. A lease that is not released (a crash) expires and is taken
over. Progress seen outside the sweep (a new watch, Refresh) goes through `note_progress`,
which writes the same observation columns the same way.

Functions take the session first and keywords after, and none commits. The sweep, in order
(a batch's write is two SELECTs, states and watches, and one executemany):

    claims = await claim_due(session, owner=..., now=..., lease_seconds=..., limit=...)
    done = await record_polls(session, owner=..., records=[...], now=..., plan=...)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import (
    BindParameter,
    Boolean,
    Integer,
    Table,
    Text,
    and_,
    bindparam,
    case,
    null,
    or_,
    select,
    update,
)
from sqlalchemy import (
    cast as cast_as,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Update

from bot.domain.progress import Progress
from bot.errors import StoreError
from bot.store.models import PolledJob, Watch
from bot.store.rows import (
    Claim,
    PolledState,
    PollRecord,
    WatchView,
    apply_poll,
    observed_values,
    told_from_text,
)
from bot.store.sql import ACTIVE, dialect

T = TypeVar("T")

# The hot path runs Core statements on the session's connection: no ORM compile or row loading.
_JOBS = cast(Table, PolledJob.__table__)
_WATCHES = cast(Table, Watch.__table__)
_STATE_COLUMNS = [_JOBS.c[name] for name in PolledState.__slots__]
# Everything a poll writes (the key and the job ID never change).
_WRITTEN = [name for name in PolledState.__slots__ if name not in ("id", "job_id")]
# `told` as its stored text: parsed through a cache (`told_from_text`), not on every read
_VIEW_COLUMNS = [
    cast_as(_WATCHES.c.told, Text) if name == "told" else _WATCHES.c[name]
    for name in WatchView.__slots__
]
_TOLD = WatchView.__slots__.index("told")
_CLAIM_COLUMNS = (
    _JOBS.c.id,
    _JOBS.c.job_id,
    _JOBS.c.query_type,
    _JOBS.c.language,
    _JOBS.c.next_poll_at,
    _JOBS.c.consecutive_failures,
    _JOBS.c.project_id,
    _JOBS.c.region,
)


def _claim(row: Any, *, took_over: bool) -> Claim:
    """A claim from a row of `_CLAIM_COLUMNS`."""
    pk, job_id, query_type, language, due_at, failures, project_id, region = row
    return Claim(
        pk, job_id, query_type, language, due_at, failures, project_id, region, took_over=took_over
    )


async def _execute(
    session: AsyncSession, statement: Executable, parameters: dict[str, Any] | None = None
) -> CursorResult[*tuple[Any, ...]]:
    """A Core statement on the session's connection, in its transaction."""
    connection = await session.connection()
    return await connection.execute(statement, parameters)


class LeaseLost(StoreError):
    """Another process took this job's lease (ours expired): drop this poll's result."""


class Writer:
    """Short write transactions for the sweep; one at a time on SQLite.

    SQLite has one writer: queueing writers here beats SQLite's sleeping busy handler by orders
    of magnitude once dozens of polls finish at the same moment.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        sqlite = sessions.kw["bind"].dialect.name == "sqlite"
        self._lock: asyncio.Lock | None = asyncio.Lock() if sqlite else None

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        async with contextlib.AsyncExitStack() as stack:
            if self._lock is not None:
                await stack.enter_async_context(self._lock)
            yield await stack.enter_async_context(self._sessions.begin())


def _now_param(name: str) -> BindParameter[datetime]:
    return bindparam(name, type_=_JOBS.c.next_poll_at.type)


# Claims are built once, with parameters (they run many times a second under load):
# due by `due_by` (now, or a little ahead), not paused, and no lease or one expired by `now`.
_DUE = and_(
    _JOBS.c.next_poll_at.is_not(None),
    _JOBS.c.next_poll_at <= _now_param("due_by"),
    _JOBS.c.paused.is_(False),
    or_(
        _JOBS.c.lease_owner.is_(None),
        _JOBS.c.lease_expires_at.is_(None),
        _JOBS.c.lease_expires_at <= _now_param("now"),
    ),
)
_PICK = (
    select(_JOBS.c.id, _JOBS.c.lease_owner)
    .where(_DUE)
    .order_by(_JOBS.c.next_poll_at, _JOBS.c.id)
    .limit(bindparam("pick_limit", type_=Integer))
)
_PICK_LOCKING = _PICK.with_for_update(skip_locked=True)  # PostgreSQL: skip others' picks
_TAKE = (
    update(_JOBS)
    .where(_JOBS.c.id.in_(bindparam("picked", expanding=True)), _DUE)
    .values(lease_owner=bindparam("owner"), lease_expires_at=_now_param("until"))
    .returning(*_CLAIM_COLUMNS)
)


async def claim_due(
    session: AsyncSession,
    *,
    owner: str,
    now: datetime,
    lease_seconds: float,
    limit: int,
    ahead: float = 0.0,
) -> list[Claim]:
    """Lease up to `limit` due jobs (earliest first) to `owner` until now + lease_seconds.

    `ahead`: also jobs falling due within that many seconds (one claim serves a whole tick).
    Due: next_poll_at <= now, not paused, and no lease or an expired one (a crashed
    process's claims are taken over). PostgreSQL skips rows other claimers have locked
    (FOR UPDATE SKIP LOCKED); the conditional UPDATE makes SQLite exact within one process.
    Commit right after, so other replicas see the leases.
    """
    if limit <= 0:
        return []
    due = {"now": now, "due_by": now + timedelta(seconds=ahead)}
    pick = _PICK_LOCKING if dialect(session) == "postgresql" else _PICK
    picked = (await _execute(session, pick, {**due, "pick_limit": limit})).all()
    if not picked:
        return []
    ids = [row[0] for row in picked]
    others = {row[0] for row in picked if row[1] is not None and row[1] != owner}
    until = now + timedelta(seconds=lease_seconds)
    taken = await _execute(session, _TAKE, {**due, "picked": ids, "owner": owner, "until": until})
    claims = [_claim(row, took_over=row[0] in others) for row in taken]
    return sorted(claims, key=lambda c: (c.due_at or now, c.id))


async def release_lease(session: AsyncSession, *, polled_job_id: int, owner: str) -> None:
    """Give the lease back (only when `owner` still holds it)."""
    await _execute(
        session,
        update(_JOBS)
        .where(_JOBS.c.id == polled_job_id, _JOBS.c.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None),
    )


async def release_leases(session: AsyncSession, *, ids: Sequence[int], owner: str) -> None:
    """Give back several leases at once (claimed, then left unpolled: no budget for them)."""
    if ids:
        await _execute(
            session,
            update(_JOBS)
            .where(_JOBS.c.id.in_(list(ids)), _JOBS.c.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None),
        )


async def expiring_jobs(session: AsyncSession, *, now: datetime, limit: int) -> list[int]:
    """Unleased jobs with an active watch past its end (the job may be paused or backing off)."""
    rows = await session.execute(
        select(Watch.polled_job_id)
        .join(Watch.polled_job)
        .where(
            Watch.state == ACTIVE,
            Watch.expires_at <= now,
            Watch.card_ts.is_not(None),
            or_(PolledJob.lease_owner.is_(None), PolledJob.lease_expires_at <= now),
        )
        .distinct()
        .limit(limit)
    )
    return [row[0] for row in rows]


async def take_lease(
    session: AsyncSession, *, polled_job_id: int, owner: str, now: datetime, lease_seconds: float
) -> bool:
    """Lease one job whether or not it is due (to end its watches); False when someone has it."""
    result = await session.execute(
        update(PolledJob)
        .where(
            PolledJob.id == polled_job_id,
            or_(PolledJob.lease_owner.is_(None), PolledJob.lease_expires_at <= now),
        )
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds))
        .returning(PolledJob.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def polled_state(session: AsyncSession, *, polled_job_id: int) -> PolledState | None:
    """One job's stored polling state (no lock: for reading what is known without polling)."""
    row = (
        await _execute(session, select(*_STATE_COLUMNS).where(_JOBS.c.id == polled_job_id))
    ).first()
    return PolledState(*row) if row is not None else None


async def leased_states(
    session: AsyncSession, *, owner: str, ids: Sequence[int]
) -> dict[int, PolledState]:
    """The states of the jobs among `ids` still leased to `owner`; PostgreSQL locks them."""
    if not ids:
        return {}
    stmt = select(*_STATE_COLUMNS).where(_JOBS.c.id.in_(ids), _JOBS.c.lease_owner == owner)
    if dialect(session) == "postgresql":
        stmt = stmt.with_for_update()
    result = await _execute(session, stmt)
    return {row.id: PolledState(*row) for row in result}


async def watch_views(
    session: AsyncSession, *, polled_job_ids: Sequence[int]
) -> dict[int, list[WatchView]]:
    """The active watches of several jobs, by polled job id (oldest watch first)."""
    found: dict[int, list[WatchView]] = {i: [] for i in polled_job_ids}
    if not found:
        return found
    stmt = (
        select(*_VIEW_COLUMNS)
        .where(_WATCHES.c.polled_job_id.in_(list(found)), _WATCHES.c.state == ACTIVE)
        .order_by(_WATCHES.c.id)
    )
    for row in await _execute(session, stmt):
        values = list(row)
        values[_TOLD] = told_from_text(values[_TOLD])
        view = WatchView(*values)
        found[view.polled_job_id].append(view)
    return found


def _save_statement(columns: Sequence[str]) -> Update:
    """UPDATE of `columns` (and the lease) of one leased job, for an executemany."""
    return (
        update(_JOBS)
        .where(_JOBS.c.id == bindparam("b_id"), _JOBS.c.lease_owner == bindparam("b_owner"))
        .values(
            {
                **{name: bindparam(name, type_=_JOBS.c[name].type) for name in columns},
                "lease_owner": bindparam("lease_owner", type_=_JOBS.c.lease_owner.type),
                # kept leases keep their expiry; released ones lose it
                "lease_expires_at": case(
                    (bindparam("keep_lease", type_=Boolean), _JOBS.c.lease_expires_at),
                    else_=null(),
                ),
            }
        )
    )


# What a poll that saw nothing new changes: most polls. Fewer columns to convert and write.
_SEEN_AGAIN = ("observed_at", "last_seen_at", "next_poll_at")
_KEPT_WHEN_SEEN_AGAIN = [name for name in _WRITTEN if name not in _SEEN_AGAIN]
_SAVE_ALL = _save_statement(_WRITTEN)
_SAVE_SEEN_AGAIN = _save_statement(_SEEN_AGAIN)


def _seen_again(before: PolledState | None, after: PolledState) -> bool:
    """Whether `after` differs from `before` in `_SEEN_AGAIN`'s columns only."""
    return before is not None and all(
        getattr(before, name) == getattr(after, name) for name in _KEPT_WHEN_SEEN_AGAIN
    )


async def save_states(
    session: AsyncSession,
    *,
    owner: str,
    states: Iterable[PolledState],
    release: set[int],
    before: Mapping[int, PolledState] | None = None,
) -> None:
    """Write many states (one executemany for each shape); give back the leases of `release`.

    With `before` (the stored states), a state that only moved its poll times writes just those.
    """
    full: list[dict[str, Any]] = []
    slim: list[dict[str, Any]] = []
    for state in states:
        keep = state.id not in release
        lease = {
            "b_id": state.id,
            "b_owner": owner,
            "keep_lease": keep,
            "lease_owner": owner if keep else None,
        }
        if before is not None and _seen_again(before.get(state.id), state):
            slim.append({name: getattr(state, name) for name in _SEEN_AGAIN} | lease)
        else:
            full.append({name: getattr(state, name) for name in _WRITTEN} | lease)
    # Core, on the session's connection: an executemany, not the ORM's bulk-update mode
    connection = await session.connection()
    if full:
        await connection.execute(_SAVE_ALL, full)
    if slim:
        await connection.execute(_SAVE_SEEN_AGAIN, slim)


async def record_polls(
    session: AsyncSession,
    *,
    owner: str,
    records: Sequence[PollRecord],
    now: datetime,
    plan: Callable[[PolledState, list[WatchView]], list[T]],
) -> dict[int, tuple[PolledState, list[T]]]:
    """Store a batch of polls of jobs leased to `owner`; returns each stored job's new state
    and `plan`'s answer for it, by polled job id.

    `plan(new_state, active_watches)` says what is still to be done for a job (say, messages to
    deliver): a job with nothing left has its lease released in the same write. A job whose
    lease went to another replica is left out of the answer (its poll is dropped).
    """
    by_id = {record.polled_job_id: record for record in records}
    before = await leased_states(session, owner=owner, ids=list(by_id))
    after = {i: apply_poll(state, by_id[i], now) for i, state in before.items()}
    views = await watch_views(session, polled_job_ids=list(after))
    done = {i: (state, plan(state, views[i])) for i, state in after.items()}
    release = {i for i, (_, plans) in done.items() if not plans}
    await save_states(session, owner=owner, states=after.values(), release=release, before=before)
    return done


async def note_progress(
    session: AsyncSession, *, polled_job_id: int, progress: Progress, now: datetime
) -> None:
    """Keep a progress seen outside the sweep (a new watch, Refresh) when it is the newest.

    Polling state (failures, next poll, lease) is the sweep's and stays as it is.
    """
    state = await polled_state(session, polled_job_id=polled_job_id)
    if state is None or (
        state.observed_at is not None and state.observed_at >= progress.observed_at
    ):
        return
    await session.execute(
        update(PolledJob)
        .where(
            PolledJob.id == polled_job_id,
            or_(PolledJob.observed_at.is_(None), PolledJob.observed_at < progress.observed_at),
        )
        .values(**observed_values(state, progress, now))
        .execution_options(synchronize_session="fetch")
    )
