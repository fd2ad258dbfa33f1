"""Watches and polled jobs through the store's functions, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.progress import Progress
from bot.store import housekeeping, leases, repo
from bot.store.models import PolledJob, Watch
from bot.store.rows import PolledState, PollRecord

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
JOB2 = "11111111-2222-3333-4444-555555555555"
Sessions = async_sessionmaker[AsyncSession]


def place(**over: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "team_id": "T1",
        "channel_id": "C1",
        "thread_ts": None,
        "project_id": "p1",
        "job_id": JOB,
        "job_type": None,
        "language": "en-us",
        "requested_by": "U1",
        "now": NOW,
        "expires_at": NOW + timedelta(hours=24),
    }
    args.update(over)
    return args


async def watch(sessions: Sessions, **over: Any) -> tuple[Watch, bool]:
    async with sessions.begin() as s:
        return await repo.get_or_create_watch(s, **place(**over))


async def count(sessions: Sessions, model: type[Any]) -> int:
    async with sessions() as s:
        return int((await s.execute(select(func.count()).select_from(model))).scalar_one())


async def test_watching_again_in_the_same_place_returns_the_same_watch(
    db_sessions: Sessions,
) -> None:
    first, created = await watch(db_sessions)
    assert created and first.active and first.thread_key == "" and first.told == {}
    again, created_again = await watch(db_sessions, requested_by="U2")
    assert not created_again and again.id == first.id
    assert again.joined_by == ["U2"]
    same_user, _ = await watch(db_sessions, requested_by="U2")
    assert same_user.joined_by == ["U2"]  # not added twice
    assert await count(db_sessions, Watch) == 1


async def test_another_thread_or_type_is_another_watch_of_one_polled_job(
    db_sessions: Sessions,
) -> None:
    a, _ = await watch(db_sessions)
    b, created = await watch(db_sessions, thread_ts="1700000000.000100")
    assert created and b.id != a.id and b.thread_ts == "1700000000.000100"
    assert b.polled_job_id == a.polled_job_id
    c, created_c = await watch(db_sessions, job_type="column")
    assert created_c and c.polled_job_id != a.polled_job_id
    assert await count(db_sessions, PolledJob) == 2


async def test_new_watch_schedules_the_job_and_timestamps_come_back_aware_utc(
    db_sessions: Sessions,
) -> None:
    w, _ = await watch(db_sessions, first_poll_at=NOW + timedelta(seconds=5))
    async with db_sessions() as s:
        job = await s.get(PolledJob, w.polled_job_id)
        loaded = await repo.get_watch(s, watch_id=w.id)
    assert job is not None and loaded is not None
    assert job.next_poll_at == NOW + timedelta(seconds=5)
    assert job.next_poll_at.tzinfo is not None and job.next_poll_at.utcoffset() == timedelta(0)
    assert loaded.expires_at == NOW + timedelta(hours=24)
    assert loaded.polled_job.job_id == JOB  # loaded with the watch, no lazy load
    assert job.progress() is None


async def test_concurrent_creates_for_one_place_end_with_one_watch(db_sessions: Sessions) -> None:
    results = await asyncio.gather(*(watch(db_sessions, requested_by=f"U{i}") for i in range(6)))
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert len({w.id for w, _ in results}) == 1
    assert await count(db_sessions, Watch) == 1
    assert await count(db_sessions, PolledJob) == 1
    async with db_sessions() as s:
        final = await repo.get_watch(s, watch_id=results[0][0].id)
    assert final is not None
    assert sorted([final.requested_by, *final.joined_by]) == [f"U{i}" for i in range(6)]


async def test_list_and_stop_one_then_all(db_sessions: Sessions) -> None:
    a, _ = await watch(db_sessions)
    b, _ = await watch(db_sessions, job_id=JOB2)
    t, _ = await watch(db_sessions, thread_ts="1700000000.000100")
    await watch(db_sessions, channel_id="C2")
    async with db_sessions() as s:
        listed = await repo.list_active_watches(s, team_id="T1", channel_id="C1")
        in_thread = await repo.list_active_watches(
            s, team_id="T1", channel_id="C1", thread_ts="1700000000.000100"
        )
    assert [w.id for w, _ in listed] == [a.id, b.id, t.id]
    assert [job.job_id for _, job in listed] == [JOB, JOB2, JOB]
    assert [w.id for w, _ in in_thread] == [t.id]

    later = NOW + timedelta(minutes=1)
    async with db_sessions.begin() as s:
        stopped = await repo.stop_watches(s, team_id="T1", channel_id="C1", now=later, job_id=JOB2)
    assert [w.id for w in stopped] == [b.id]
    assert stopped[0].state == "stopped" and stopped[0].ended_at == later
    async with db_sessions() as s:
        job2 = await s.get(PolledJob, b.polled_job_id)
        assert job2 is not None and job2.next_poll_at is None  # nobody watches it any more
        job1 = await s.get(PolledJob, a.polled_job_id)
        assert job1 is not None and job1.next_poll_at is not None

    async with db_sessions.begin() as s:
        stopped = await repo.stop_watches(s, team_id="T1", channel_id="C1", now=later)
    assert sorted(w.id for w in stopped) == sorted([a.id, t.id])
    async with db_sessions() as s:
        assert await repo.list_active_watches(s, team_id="T1", channel_id="C1") == []
        assert len(await repo.list_active_watches(s, team_id="T1", channel_id="C2")) == 1
        job1 = await s.get(PolledJob, a.polled_job_id)
        assert job1 is not None and job1.next_poll_at is not None  # C2 still watches it


async def test_a_stopped_place_can_be_watched_afresh(db_sessions: Sessions) -> None:
    a, _ = await watch(db_sessions)
    async with db_sessions.begin() as s:
        await repo.stop_watches(s, team_id="T1", channel_id="C1", now=NOW)
    b, created = await watch(db_sessions, now=NOW + timedelta(minutes=5))
    assert created and b.id != a.id
    async with db_sessions() as s:
        job = await s.get(PolledJob, b.polled_job_id)
    assert job is not None and job.next_poll_at == NOW + timedelta(minutes=5)


async def test_record_delivery_keeps_told_and_ends_once(db_sessions: Sessions) -> None:
    w, _ = await watch(db_sessions)
    async with db_sessions.begin() as s:
        await repo.set_card(s, watch_id=w.id, card_channel="C1", card_ts="1.2", now=NOW)
        await repo.record_delivery(
            s, watch_id=w.id, told={"phase": "parsing", "rows": 10}, now=NOW, thread_ts="1.2"
        )
    async with db_sessions.begin() as s:
        got = await repo.get_watch(s, watch_id=w.id)
        assert got is not None
        assert (got.card_channel, got.card_ts, got.thread_ts) == ("C1", "1.2", "1.2")
        assert got.told == {"phase": "parsing", "rows": 10} and got.active
        assert [x.id for x in await repo.active_watches_for_job(s, polled_job_id=w.polled_job_id)]
        await repo.record_delivery(
            s, watch_id=w.id, told={"phase": "succeeded"}, now=NOW, state="succeeded"
        )
    async with db_sessions.begin() as s:
        await repo.end_watch(s, watch_id=w.id, state="expired", now=NOW + timedelta(hours=1))
    async with db_sessions() as s:
        got = await repo.get_watch(s, watch_id=w.id)
        assert got is not None and got.state == "succeeded" and got.ended_at == NOW
        assert await repo.active_watches_for_job(s, polled_job_id=w.polled_job_id) == []
        job = await s.get(PolledJob, w.polled_job_id)
        assert job is not None and job.next_poll_at is None


async def test_record_poll_moves_last_change_only_on_change(db_sessions: Sessions) -> None:
    w, _ = await watch(db_sessions)
    jid = w.polled_job_id

    def progress(at: datetime, rows: str | None, status: str | None = None) -> Progress:
        body = {"send_success": True, "parsed_success_number": rows, "process_status": status}
        return Progress.from_body(JOB, body, at)

    async def poll(at: datetime, **kw: Any) -> PolledState:
        async with db_sessions.begin() as s:
            await leases.claim_due(s, owner="me", now=at, lease_seconds=60, limit=10)
            done = await leases.record_polls(
                s, owner="me", records=[PollRecord(jid, at, **kw)], now=at, plan=lambda s, v: []
            )
            return done[jid][0]

    t1, t2, t3 = NOW, NOW + timedelta(seconds=30), NOW + timedelta(seconds=60)
    job = await poll(t1, progress=progress(t1, "10"))
    assert (job.rows, job.first_seen_at, job.last_change_at) == (10, t1, t1)
    job = await poll(t2, progress=progress(t2, "10"))
    assert job.last_change_at == t1 and job.last_seen_at == t2
    job = await poll(t3, error_kind="DrsUnavailable", error_message="HTTP 503")
    assert job.consecutive_failures == 1 and job.last_error_kind == "DrsUnavailable"
    assert job.rows == 10 and job.last_change_at == t1
    t4 = t3 + timedelta(seconds=30)
    job = await poll(t4, progress=progress(t4, "500", "success"))
    assert job.last_change_at == t4 and job.consecutive_failures == 0
    assert job.last_error_kind is None
    seen = job.progress()
    assert seen is not None and seen.finished and seen.parsed_success_number == 500
    async with db_sessions() as s:
        row = await s.get(PolledJob, jid)
    assert row is not None and row.lease_owner is None and row.rows == 500


async def test_a_progress_seen_by_a_listener_is_kept_only_when_newer(
    db_sessions: Sessions,
) -> None:
    w, _ = await watch(db_sessions)
    jid = w.polled_job_id

    def progress(at: datetime, rows: str) -> Progress:
        return Progress.from_body(JOB, {"send_success": True, "parsed_success_number": rows}, at)

    async def note(seen: Progress, at: datetime) -> PolledJob:
        async with db_sessions.begin() as s:
            await leases.note_progress(s, polled_job_id=jid, progress=seen, now=at)
        async with db_sessions() as s:
            job = await s.get(PolledJob, jid)
        assert job is not None
        return job

    t1, t2 = NOW, NOW + timedelta(seconds=30)
    job = await note(progress(t1, "10"), t1)
    assert (job.rows, job.first_seen_at, job.last_change_at, job.observed_at) == (10, t1, t1, t1)
    job = await note(progress(t1 - timedelta(seconds=1), "3"), t2)  # older: ignored
    assert (job.rows, job.last_seen_at) == (10, t1)
    job = await note(progress(t2, "10"), t2)  # same rows: seen again, no change
    assert (job.last_seen_at, job.last_change_at) == (t2, t1)
    assert job.consecutive_failures == 0 and job.next_poll_at == NOW  # the sweep's, untouched


async def test_purge_deletes_old_ended_watches_and_orphan_jobs(db_sessions: Sessions) -> None:
    old, _ = await watch(db_sessions)
    keep, _ = await watch(db_sessions, job_id=JOB2)
    async with db_sessions.begin() as s:
        await repo.end_watch(s, watch_id=old.id, state="stopped", now=NOW)
        await repo.end_watch(s, watch_id=keep.id, state="stopped", now=NOW + timedelta(days=20))
    async with db_sessions.begin() as s:
        assert await housekeeping.purge_ended(s, before=NOW + timedelta(days=10)) == 1
    async with db_sessions() as s:
        assert await repo.get_watch(s, watch_id=old.id) is None
        assert await s.get(PolledJob, old.polled_job_id) is None
        assert await repo.get_watch(s, watch_id=keep.id) is not None
        assert await s.get(PolledJob, keep.polled_job_id) is not None


async def test_orphans_and_paused_jobs(db_sessions: Sessions) -> None:
    w, _ = await watch(db_sessions)
    refused = PollRecord(w.polled_job_id, NOW, error_kind="CredentialsRefused", paused=True)
    async with db_sessions.begin() as s:
        await leases.claim_due(s, owner="me", now=NOW, lease_seconds=60, limit=1)
        await leases.record_polls(s, owner="me", records=[refused], now=NOW, plan=lambda s, v: [])
    async with db_sessions.begin() as s:
        assert await leases.claim_due(s, owner="me", now=NOW, lease_seconds=60, limit=5) == []
        assert await housekeeping.unpause_all(s) == 1
    async with db_sessions.begin() as s:
        assert len(await leases.claim_due(s, owner="me", now=NOW, lease_seconds=60, limit=5)) == 1
        await leases.release_lease(s, polled_job_id=w.polled_job_id, owner="me")
        # A watch ended behind the store's back (e.g. by hand) leaves an orphan.
        got = await repo.get_watch(s, watch_id=w.id)
        assert got is not None
        got.state = "expired"
    async with db_sessions.begin() as s:
        assert await housekeeping.deactivate_orphans(s) == 1
        assert await leases.claim_due(s, owner="me", now=NOW, lease_seconds=60, limit=5) == []


async def test_deleting_a_new_watch_frees_the_place_and_idles_the_job(
    db_sessions: Sessions,
) -> None:
    w, _ = await watch(db_sessions)
    async with db_sessions.begin() as s:
        await repo.delete_watch(s, watch_id=w.id)
        await repo.delete_watch(s, watch_id=w.id)  # gone already: nothing to do
    async with db_sessions() as s:
        assert await repo.get_watch(s, watch_id=w.id) is None
        job = await s.get(PolledJob, w.polled_job_id)
        assert job is not None and job.next_poll_at is None
    again, created = await watch(db_sessions)
    assert created and again.id != w.id
