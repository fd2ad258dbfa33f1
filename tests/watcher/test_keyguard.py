"""The key-lockout guard: a refused access key is refused at most twice in a row at DRS, then
no longer signed with (across replicas, through the database), and people are told why."""

from __future__ import annotations

from sqlalchemy import select

from bot.clock import FakeClock
from bot.compose import build_runtime, close_runtime
from bot.drs.keyguard import key_hash
from bot.keyreset import reset_key
from bot.render.message import Message
from bot.sandbox.harness import Harness
from bot.slack import service
from bot.store import budget as budget_store
from bot.store import housekeeping
from bot.store.budget_models import KeyGuardRow
from bot.watcher.sweep import Sweeper

from .conftest import INTERVAL, UPLOADING, World, add_watch, load_job, sim_job

AK = "HPUAKEYGUARDTEST0001"
SK = "the-right-secret-key"


def job_ids(count: int) -> list[str]:
    return [f"{i:08x}-8e09-4a5d-8dd6-cc44f78jb{i:03d}" for i in range(count)]


def signed_requests(h: Harness, *, path_end: str = "") -> int:
    """Signed requests that reached DRS (all of them, or those to paths ending in `path_end`)."""
    return sum(
        "Authorization" in r.headers and r.path.endswith(path_end) for r in h.simulator.requests
    )


async def test_refused_key_is_tried_twice_then_never_signed_again_and_people_are_told(
    world: World,
) -> None:
    ids = job_ids(10)
    env = {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "a-wrong-secret"}
    async with world([sim_job(i, UPLOADING) for i in ids], **env) as h:
        assert h.runtime is not None
        h.simulator.ak, h.simulator.sk = AK, SK  # the gateway knows the right secret only
        for job_id in ids:
            await add_watch(h, job_id, channel=f"C0{job_id[:6].upper()}")
        await Sweeper(h.runtime).poll_once()  # ten polls at once, all signed with a bad key

        assert signed_requests(h) == 2, "refused twice in a row, then nothing more was signed"
        for job_id in ids:
            assert (await load_job(h, job_id)).paused
            channel = f"C0{job_id[:6].upper()}"
            card = h.slack.messages(channel)[0]
            replies = [m.text for m in h.slack.thread(channel, card.ts)]
            assert len(replies) == 1 and "HUAWEICLOUD_SDK_AK" in replies[0], replies

        said: list[Message] = []

        async def say(message: Message) -> None:
            said.append(message)

        await service.status(h.runtime, ids[0], job_type=None, language=None, say=say)
        assert signed_requests(h) == 2, "the status command did not call DRS"
        assert "HUAWEICLOUD_SDK_AK" in said[0].text

        async with h.runtime.sessions() as session:  # the database keeps a hash, not the key
            assert await budget_store.key_locked(session, key_hash=key_hash(AK))
            rows = (await session.execute(select(KeyGuardRow))).scalars().all()
        assert [(r.key_hash, r.refusals) for r in rows] == [(key_hash(AK), 2)]
        assert AK not in rows[0].key_hash

        # Another replica (or a restart) tries the key once more, and stops again at once.
        other = await build_runtime(h.settings, clock=h.runtime.clock)
        try:
            async with other.sessions.begin() as session:
                await housekeeping.unpause_all(session)  # what a restart does
            await Sweeper(other).poll_once()
        finally:
            await close_runtime(other)
        assert signed_requests(h) == 3


async def test_a_key_accepted_again_counts_its_refusals_from_zero(world: World) -> None:
    ids = job_ids(3)
    env = {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
    async with world([sim_job(i, UPLOADING) for i in ids], **env) as h:
        assert h.runtime is not None
        h.simulator.ak, h.simulator.sk = AK, SK
        for job_id in ids:
            await add_watch(h, job_id)
        h.simulator.faults.unauthorized_next = 1  # one refusal, then the key works again
        await Sweeper(h.runtime).poll_once()
        assert signed_requests(h, path_end="/progress") == 3
        async with h.runtime.sessions() as session:
            assert not await budget_store.key_locked(session, key_hash=key_hash(AK))
        assert [(await load_job(h, i)).paused for i in ids].count(True) == 1


async def test_key_reset_lets_replicas_sign_again_and_polls_paused_jobs(world: World) -> None:
    ids = job_ids(2)
    env = {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
    async with world([sim_job(i, UPLOADING) for i in ids], **env) as h:
        assert h.runtime is not None
        h.simulator.ak, h.simulator.sk = AK, SK
        for job_id in ids:
            await add_watch(h, job_id)
        h.simulator.faults.unauthorized_next = 2  # refused twice: the guard stops signing
        await Sweeper(h.runtime).poll_once()
        assert signed_requests(h, path_end="/progress") == 2
        async with h.runtime.sessions() as session:
            assert await budget_store.key_locked(session, key_hash=key_hash(AK))

        said = await reset_key(h.settings)  # `drs-bot key-reset`, the operator's command

        assert "2 paused job(s) polled again" in said and AK not in said
        async with h.runtime.sessions() as session:
            assert not await budget_store.key_locked(session, key_hash=key_hash(AK))
        clock = h.runtime.clock
        assert isinstance(clock, FakeClock)
        clock.advance(INTERVAL)  # the jobs are due again (and the guard looks again)
        await Sweeper(h.runtime).poll_once()
        assert signed_requests(h, path_end="/progress") == 4
        assert not any([(await load_job(h, i)).paused for i in ids])


async def test_a_replica_that_saw_no_refusal_stops_signing_too(world: World) -> None:
    ids = job_ids(4)
    env = {"DRS_AUTH_TOKEN": "", "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "a-wrong-secret"}
    async with world([sim_job(i, UPLOADING) for i in ids], **env) as h:
        assert h.runtime is not None
        h.simulator.ak, h.simulator.sk = AK, SK
        other = await build_runtime(h.settings, clock=h.runtime.clock)  # running already
        try:
            for job_id in ids[:2]:
                await add_watch(h, job_id)
            await Sweeper(h.runtime).poll_once()
            assert signed_requests(h) == 2
            for job_id in ids[2:]:
                await add_watch(h, job_id)
            await Sweeper(other).poll_once()
        finally:
            await close_runtime(other)
        assert signed_requests(h) == 2, "the other replica read the lock from the database"
        assert all([(await load_job(h, i)).paused for i in ids])
