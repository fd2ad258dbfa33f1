"""Leases: each due job is claimed by one owner per round, and abandoned leases are taken over.

Through `bot.store.leases`, the functions the sweep itself calls."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.progress import Progress
from bot.store import leases
from bot.store.models import PolledJob
from bot.store.rows import PollRecord

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]
_serial = iter(range(10**9))


async def add_jobs(
    sessions: Sessions, n: int, *, due: datetime | None = NOW, paused: bool = False
) -> list[int]:
    rows = [
        {
            "project_id": "p1",
            "job_id": f"00000000-0000-0000-0000-{next(_serial):012d}",
            "query_type": "",
            "language": "en-us",
            "next_poll_at": due,
            "paused": paused,
            "consecutive_failures": 0,
            "created_at": NOW,
        }
        for _ in range(n)
    ]
    async with sessions.begin() as s:
        start = len((await s.scalars(PolledJob.__table__.select())).all())
        await s.execute(insert(PolledJob), rows)
        result = await s.scalars(
            PolledJob.__table__.select().with_only_columns(PolledJob.id).order_by(PolledJob.id)
        )
        return list(result.all())[start:]


async def claim(sessions: Sessions, owner: str, now: datetime, *, limit: int = 10) -> list[int]:
    async with sessions.begin() as s:
        claims = await leases.claim_due(s, owner=owner, now=now, lease_seconds=60, limit=limit)
        return [c.id for c in claims]


async def record(sessions: Sessions, owner: str, record: PollRecord) -> list[int]:
    """Store one poll as the sweep does (nothing to deliver: the lease is released too)."""
    async with sessions.begin() as s:
        done = await leases.record_polls(
            s, owner=owner, records=[record], now=NOW, plan=lambda state, views: []
        )
    return list(done)


async def test_claims_only_due_unpaused_unleased_jobs_up_to_limit(db_sessions: Sessions) -> None:
    due = await add_jobs(db_sessions, 3)
    await add_jobs(db_sessions, 2, due=NOW + timedelta(seconds=1))
    await add_jobs(db_sessions, 1, due=None)
    await add_jobs(db_sessions, 1, paused=True)
    first = await claim(db_sessions, "a", NOW, limit=2)
    assert first == due[:2]
    assert await claim(db_sessions, "b", NOW) == due[2:]
    assert await claim(db_sessions, "b", NOW) == []  # leased jobs are not claimed again
    async with db_sessions() as s:
        job = await s.get(PolledJob, first[0])
        assert job is not None and job.lease_owner == "a"
        assert job.lease_expires_at == NOW + timedelta(seconds=60)


async def test_released_job_is_claimable_again_when_due(db_sessions: Sessions) -> None:
    (jid,) = await add_jobs(db_sessions, 1)
    assert await claim(db_sessions, "a", NOW) == [jid]
    assert await record(db_sessions, "a", PollRecord(jid, NOW + timedelta(seconds=30))) == [jid]
    assert await claim(db_sessions, "b", NOW + timedelta(seconds=29)) == []
    assert await claim(db_sessions, "b", NOW + timedelta(seconds=30)) == [jid]


async def test_a_poll_with_something_to_deliver_keeps_its_lease_until_released(
    db_sessions: Sessions,
) -> None:
    (jid,) = await add_jobs(db_sessions, 1)
    assert await claim(db_sessions, "a", NOW) == [jid]
    async with db_sessions.begin() as s:
        done = await leases.record_polls(
            s, owner="a", records=[PollRecord(jid, NOW)], now=NOW, plan=lambda st, v: ["reply"]
        )
    assert done[jid][1] == ["reply"]
    assert await claim(db_sessions, "b", NOW) == []  # still a's while it delivers
    async with db_sessions.begin() as s:
        await leases.release_lease(s, polled_job_id=jid, owner="a")
    assert await claim(db_sessions, "b", NOW) == [jid]


async def test_abandoned_lease_is_taken_over_after_expiry(db_sessions: Sessions) -> None:
    (jid,) = await add_jobs(db_sessions, 1)
    assert await claim(db_sessions, "crashed", NOW) == [jid]
    # "crashed" never records nor releases; until the lease expires nobody else polls.
    assert await claim(db_sessions, "alive", NOW + timedelta(seconds=59)) == []
    assert await claim(db_sessions, "alive", NOW + timedelta(seconds=60)) == [jid]
    # The late owner's result is refused, and its release does not free the new lease.
    body = {"send_success": True, "parsed_success_number": "7"}
    late = Progress.from_body("x", body, NOW)
    assert await record(db_sessions, "crashed", PollRecord(jid, NOW, progress=late)) == []
    async with db_sessions.begin() as s:
        await leases.release_lease(s, polled_job_id=jid, owner="crashed")
    async with db_sessions() as s:
        job = await s.get(PolledJob, jid)
        assert job is not None and job.lease_owner == "alive" and job.rows is None


async def test_two_concurrent_claimers_claim_each_of_1000_jobs_once_per_round(
    db_sessions: Sessions,
) -> None:
    ids = set(await add_jobs(db_sessions, 1000))

    async def claimer(owner: str, now: datetime) -> list[int]:
        got: list[int] = []
        while batch := await claim(db_sessions, owner, now, limit=37):
            got += batch
            await asyncio.sleep(0)  # let the other claimer in between batches
        return got

    for round_no in range(2):
        now = NOW + timedelta(seconds=30 * round_no)
        a, b = await asyncio.gather(claimer("a", now), claimer("b", now))
        counts = Counter(a + b)
        assert set(counts) == ids and max(counts.values()) == 1, f"round {round_no}"
        if db_sessions.kw["bind"].dialect.name == "postgresql":
            # Real concurrency (SQLite serializes writers, so one may take everything).
            assert a and b, "both claimers should have taken a share"
        # Finish the round: everything polled, leases released, due again in 30 s.
        async with db_sessions.begin() as s:
            await s.execute(
                update(PolledJob).values(
                    lease_owner=None,
                    lease_expires_at=None,
                    next_poll_at=now + timedelta(seconds=30),
                )
            )


async def claims_of(
    sessions: Sessions, owner: str, now: datetime, *, limit: int = 10, ahead: float = 0.0
) -> list[tuple[int, bool]]:
    async with sessions.begin() as s:
        got = await leases.claim_due(
            s, owner=owner, now=now, lease_seconds=60, limit=limit, ahead=ahead
        )
        return [(c.id, c.took_over) for c in got]


async def lease(sessions: Sessions, ids: list[int], owner: str, until: datetime) -> None:
    async with sessions.begin() as s:
        await s.execute(
            update(PolledJob)
            .where(PolledJob.id.in_(ids))
            .values(lease_owner=owner, lease_expires_at=until)
        )


async def test_ahead_claims_what_falls_due_within_it_earliest_first(db_sessions: Sessions) -> None:
    after = [0.0, 5.0, 10.0, 10.000001, 60.0]
    jobs = [(await add_jobs(db_sessions, 1, due=NOW + timedelta(seconds=s)))[0] for s in after]
    now, one, five, ten, just_past, minute = NOW, *jobs
    assert await claims_of(db_sessions, "a", now, ahead=10, limit=2) == [
        (one, False),
        (five, False),
    ]
    assert await claims_of(db_sessions, "a", now, ahead=10) == [(ten, False)]
    assert await claims_of(db_sessions, "a", now, ahead=10) == []
    assert await claims_of(db_sessions, "a", now + timedelta(microseconds=1), ahead=10) == [
        (just_past, False)
    ]
    assert await claims_of(db_sessions, "a", now + timedelta(seconds=59)) == []  # no ahead
    assert await claims_of(db_sessions, "a", now, ahead=60) == [(minute, False)]


async def test_expired_leases_are_taken_over_and_live_ones_skipped(db_sessions: Sessions) -> None:
    free, expired, at_now, own_expired, live, live_within_ahead = await add_jobs(db_sessions, 6)
    await lease(db_sessions, [expired], "crashed", NOW - timedelta(seconds=1))
    await lease(db_sessions, [at_now], "crashed", NOW)  # expires at `now`: expired
    await lease(db_sessions, [own_expired], "me", NOW - timedelta(seconds=1))
    await lease(db_sessions, [live], "alive", NOW + timedelta(minutes=5))
    # Alive at `now`: claiming ahead moves when a job is due, never when a lease ends.
    await lease(db_sessions, [live_within_ahead], "alive", NOW + timedelta(seconds=5))
    got = await claims_of(db_sessions, "me", NOW, ahead=10, limit=3)
    assert got == [(free, False), (expired, True), (at_now, True)]
    assert await claims_of(db_sessions, "me", NOW, ahead=10) == [(own_expired, False)]
    assert await claims_of(db_sessions, "me", NOW, ahead=10) == []
    async with db_sessions() as s:
        for pk in (free, expired, at_now, own_expired):
            job = await s.get(PolledJob, pk)
            assert job is not None
            assert (job.lease_owner, job.lease_expires_at) == ("me", NOW + timedelta(seconds=60))
        still = await s.get(PolledJob, live_within_ahead)
        assert still is not None and still.lease_owner == "alive"
    later = NOW + timedelta(seconds=5)
    assert await claims_of(db_sessions, "other", later) == [(live_within_ahead, True)]
