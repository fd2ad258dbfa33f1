"""What the sweep writes after a batch of polls (`leases.save_states`), and how it reads what
each watch was told (`rows.told_from_text`), on SQLite and PostgreSQL.

A poll that saw nothing new writes only its poll times (and the lease); any other change writes
the whole polling state. `told` is parsed once per distinct stored text, never served stale.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.progress import Progress
from bot.domain.watching import Told
from bot.store import leases, repo
from bot.store.models import PolledJob
from bot.store.rows import PolledState, PollRecord, WatchView, told_from_text

from .test_claims import add_jobs

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T1, T2 = NOW + timedelta(seconds=30), NOW + timedelta(seconds=60)
LEASE_UNTIL = NOW + timedelta(seconds=60)
Sessions = async_sessionmaker[AsyncSession]


async def leased(
    sessions: Sessions, n: int, *, owner: str = "me", error: str | None = "HTTP 503 earlier"
) -> dict[int, PolledState]:
    """`n` new jobs, seen once (rows 10, and an `error` kept from a past poll) and leased to
    `owner`: their stored states."""
    ids = await add_jobs(sessions, n)
    async with sessions.begin() as s:
        await s.execute(
            update(PolledJob)
            .where(PolledJob.id.in_(ids))
            .values(
                send_success=True,
                rows=10,
                rows_raw="10",
                observed_at=NOW,
                first_seen_at=NOW,
                last_seen_at=NOW,
                last_change_at=NOW,
                last_error_kind="DrsUnavailable" if error else None,
                last_error_message=error,
            )
        )
        claims = await leases.claim_due(s, owner=owner, now=NOW, lease_seconds=60, limit=n)
        assert sorted(c.id for c in claims) == ids
        return await leases.leased_states(s, owner=owner, ids=ids)


def seen_again(state: PolledState) -> PolledState:
    """The state after a poll that saw the same progress: only the poll times move."""
    return replace(state, observed_at=T1, last_seen_at=T1, next_poll_at=T2)


def failed(state: PolledState) -> PolledState:
    return replace(
        state,
        next_poll_at=T2,
        consecutive_failures=state.consecutive_failures + 1,
        last_error_kind="DrsUnavailable",
        last_error_message="HTTP 503 now",
    )


async def write_meanwhile(sessions: Sessions, ids: list[int], message: str) -> None:
    """Someone else changes a column a seen-again poll does not write."""
    async with sessions.begin() as s:
        await s.execute(
            update(PolledJob).where(PolledJob.id.in_(ids)).values(last_error_message=message)
        )


async def save(
    sessions: Sessions,
    states: list[PolledState],
    *,
    release: set[int],
    before: dict[int, PolledState] | None,
    owner: str = "me",
) -> None:
    async with sessions.begin() as s:
        await leases.save_states(s, owner=owner, states=states, release=release, before=before)


async def stored(sessions: Sessions, pk: int) -> PolledJob:
    async with sessions() as s:
        job = await s.get(PolledJob, pk)
    assert job is not None
    return job


async def test_a_poll_that_saw_nothing_new_writes_only_its_poll_times(
    db_sessions: Sessions,
) -> None:
    before = await leased(db_sessions, 2)
    kept, released = sorted(before)
    await write_meanwhile(db_sessions, [kept, released], "written meanwhile")
    states = [seen_again(before[kept]), seen_again(before[released])]
    await save(db_sessions, states, release={released}, before=before)
    for pk in (kept, released):
        job = await stored(db_sessions, pk)
        assert (job.observed_at, job.last_seen_at, job.next_poll_at) == (T1, T1, T2)
        assert job.last_error_message == "written meanwhile"  # not written back from `before`
        assert (job.rows, job.last_change_at, job.first_seen_at) == (10, NOW, NOW)
        assert job.consecutive_failures == 0 and job.last_error_kind == "DrsUnavailable"
    kept_job, released_job = await stored(db_sessions, kept), await stored(db_sessions, released)
    assert (kept_job.lease_owner, kept_job.lease_expires_at) == ("me", LEASE_UNTIL)
    assert (released_job.lease_owner, released_job.lease_expires_at) == (None, None)


async def test_a_poll_that_changed_more_writes_the_whole_state(db_sessions: Sessions) -> None:
    before = await leased(db_sessions, 2)
    kept, released = sorted(before)
    await write_meanwhile(db_sessions, [kept, released], "written meanwhile")
    states = [failed(before[kept]), failed(before[released])]
    await save(db_sessions, states, release={released}, before=before)
    for pk in (kept, released):
        job = await stored(db_sessions, pk)
        assert (job.consecutive_failures, job.last_error_message) == (1, "HTTP 503 now")
        assert job.next_poll_at == T2
        assert (job.observed_at, job.last_seen_at, job.rows) == (NOW, NOW, 10)
    kept_job, released_job = await stored(db_sessions, kept), await stored(db_sessions, released)
    assert (kept_job.lease_owner, kept_job.lease_expires_at) == ("me", LEASE_UNTIL)
    assert (released_job.lease_owner, released_job.lease_expires_at) == (None, None)


# A new value for each column a seen-again poll leaves alone.
CHANGES: dict[str, Any] = {
    "send_success": False,
    "process_status": "parsing",
    "rows": 11,
    "rows_raw": "11",
    "first_seen_at": T1,
    "last_change_at": T1,
    "consecutive_failures": 1,
    "last_error_kind": "Other",
    "last_error_message": "other message",
    "paused": True,
}


async def test_a_change_in_any_other_column_is_written(db_sessions: Sessions) -> None:
    poll_times = {"observed_at", "last_seen_at", "next_poll_at"}
    assert set(CHANGES) == set(PolledState.__slots__) - {"id", "job_id"} - poll_times
    before = await leased(db_sessions, len(CHANGES))
    by_column = dict(zip(CHANGES, sorted(before), strict=True))
    states = [
        replace(seen_again(before[pk]), **{column: CHANGES[column]})
        for column, pk in by_column.items()
    ]
    await save(db_sessions, states, release=set(), before=before)
    for column, pk in by_column.items():
        job = await stored(db_sessions, pk)
        assert getattr(job, column) == CHANGES[column], column
        assert (job.observed_at, job.next_poll_at, job.lease_owner) == (T1, T2, "me"), column


async def test_a_full_write_puts_back_every_column_of_the_state(db_sessions: Sessions) -> None:
    """Only the poll times moved, but no `before` (or none for this job): the whole row."""
    before = await leased(db_sessions, 2)
    without, not_in_before = sorted(before)
    await write_meanwhile(db_sessions, [without, not_in_before], "written meanwhile")
    await save(db_sessions, [seen_again(before[without])], release=set(), before=None)
    others = {without: before[without]}  # `before` knows nothing of the second job
    await save(db_sessions, [seen_again(before[not_in_before])], release=set(), before=others)
    for pk in (without, not_in_before):
        job = await stored(db_sessions, pk)
        assert job.last_error_message == "HTTP 503 earlier"  # the state's, written back
        assert (job.observed_at, job.next_poll_at, job.lease_owner) == (T1, T2, "me")


async def test_both_shapes_in_one_batch_and_a_lost_lease_is_left_alone(
    db_sessions: Sessions,
) -> None:
    before = await leased(db_sessions, 4)
    slim_kept, slim_released, full_kept, full_released = sorted(before)
    (lost,) = list(await leased(db_sessions, 1, owner="other"))
    lost_before = await stored(db_sessions, lost)
    states = [
        seen_again(before[slim_kept]),
        failed(before[full_kept]),
        seen_again(before[slim_released]),
        failed(before[full_released]),
    ]
    async with db_sessions() as s:
        (lost_state,) = (await leases.leased_states(s, owner="other", ids=[lost])).values()
    everything = {**before, lost: lost_state}
    await save(
        db_sessions,
        [*states, seen_again(lost_state), failed(lost_state)],
        release={slim_released, full_released, lost},
        before=everything,
    )
    jobs = {pk: await stored(db_sessions, pk) for pk in [*before, lost]}
    assert [jobs[pk].consecutive_failures for pk in sorted(before)] == [0, 0, 1, 1]
    assert {pk: jobs[pk].next_poll_at for pk in before} == dict.fromkeys(before, T2)
    assert jobs[slim_kept].observed_at == T1 and jobs[full_kept].observed_at == NOW
    leases_now = {pk: (jobs[pk].lease_owner, jobs[pk].lease_expires_at) for pk in before}
    assert leases_now == {
        slim_kept: ("me", LEASE_UNTIL),
        slim_released: (None, None),
        full_kept: ("me", LEASE_UNTIL),
        full_released: (None, None),
    }
    # Not ours: neither statement touched it.
    after_lost = jobs[lost]
    assert (after_lost.lease_owner, after_lost.lease_expires_at) == ("other", LEASE_UNTIL)
    assert after_lost.next_poll_at == lost_before.next_poll_at == NOW
    assert after_lost.consecutive_failures == 0 and after_lost.observed_at == NOW


async def test_record_polls_writes_an_unchanged_poll_slim_and_a_change_in_full(
    db_sessions: Sessions,
) -> None:
    """The sweep's own path hands its stored states to `save_states` as `before`."""
    quiet, busy = sorted(await leased(db_sessions, 2, error=None))
    same = Progress.from_body("x", {"send_success": True, "parsed_success_number": "10"}, T1)
    more = Progress.from_body("x", {"send_success": True, "parsed_success_number": "20"}, T1)
    updates: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().startswith("UPDATE drs_polled_jobs"):
            updates.append(statement)

    sync_engine = db_sessions.kw["bind"].sync_engine
    event.listen(sync_engine, "before_cursor_execute", note)
    try:
        async with db_sessions.begin() as s:
            done: dict[int, tuple[PolledState, list[str]]] = await leases.record_polls(
                s,
                owner="me",
                records=[PollRecord(quiet, T2, progress=same), PollRecord(busy, T2, progress=more)],
                now=T1,
                plan=lambda state, views: [],
            )
    finally:
        event.remove(sync_engine, "before_cursor_execute", note)
    assert set(done) == {quiet, busy}
    full = [u for u in updates if "rows_raw" in u]
    slim = [u for u in updates if "rows_raw" not in u and "last_seen_at" in u]
    assert len(full) == 1 and len(slim) == 1, updates
    quiet_job, busy_job = await stored(db_sessions, quiet), await stored(db_sessions, busy)
    assert (quiet_job.rows, quiet_job.last_seen_at, quiet_job.last_change_at) == (10, T1, NOW)
    assert (busy_job.rows, busy_job.last_seen_at, busy_job.last_change_at) == (20, T1, T1)
    assert quiet_job.lease_owner is None and busy_job.lease_owner is None


# ---- told ------------------------------------------------------------------------------------


def test_told_is_parsed_once_per_distinct_text() -> None:
    text = json.dumps(Told(card_rows=7, stall_warned=True).to_dict())
    first = told_from_text(text)
    assert first == Told(card_rows=7, stall_warned=True)
    assert told_from_text(text) is first
    assert told_from_text("".join(list(text))) is first  # an equal text read again: same value
    other = told_from_text(json.dumps(Told(card_rows=8).to_dict()))
    assert other == Told(card_rows=8) and other is not first


def test_unreadable_told_is_an_empty_told() -> None:
    for text in (None, "null", "not json", "{", "[1, 2]", '"a string"', "{}"):
        assert told_from_text(text) == Told(), text


def test_told_stays_right_past_the_cache_size() -> None:
    texts = [json.dumps({"card_rows": n}) for n in range(5000)]
    assert [told_from_text(t).card_rows for t in texts] == list(range(5000))
    assert [told_from_text(t).card_rows for t in reversed(texts)] == list(range(4999, -1, -1))


async def test_the_sweep_plans_with_the_told_a_delivery_stored(db_sessions: Sessions) -> None:
    async with db_sessions.begin() as s:
        w, _ = await repo.get_or_create_watch(
            s,
            team_id="T1",
            channel_id="C1",
            thread_ts=None,
            project_id="p1",
            job_id="c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r",
            job_type=None,
            language="en-us",
            requested_by="U1",
            now=NOW,
            expires_at=NOW + timedelta(hours=24),
        )
    seen: list[Told] = []

    def plan(state: PolledState, views: list[WatchView]) -> list[str]:
        assert [v.id for v in views] == [w.id]
        seen.append(views[0].told)
        return []

    async def poll() -> Told:
        async with db_sessions.begin() as s:
            claims = await leases.claim_due(s, owner="me", now=NOW, lease_seconds=60, limit=1)
            assert [c.id for c in claims] == [w.polled_job_id]
            record = PollRecord(w.polled_job_id, NOW)  # due again at once
            await leases.record_polls(s, owner="me", records=[record], now=NOW, plan=plan)
        return seen[-1]

    async def deliver(told: Told) -> None:
        async with db_sessions.begin() as s:
            await repo.record_delivery(s, watch_id=w.id, told=told.to_dict(), now=NOW)

    assert await poll() == Told()
    first, second = Told(card_rows=10), Told(card_rows=10, stall_warned=True)
    await deliver(first)
    assert await poll() == first
    assert await poll() == first
    await deliver(second)
    assert await poll() == second
    await deliver(first)  # back to a text read before
    assert await poll() == first
    assert all(isinstance(told, Told) for told in seen)
