"""A 401 mid-watch with IAM password login: the bot logs in again and the watch goes on.

Expectation: nothing lost (every phase reply and the final reply arrive), no repeated reply,
no operator notice about refused credentials, the job never paused.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import FakeClock
from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.credentials import IamPasswordAuth
from bot.sandbox.harness import Harness, harness_env, stand_ins
from bot.watcher.sweep import Sweeper
from tests.watcher.conftest import (
    INTERVAL,
    JOB_A,
    UPLOADING,
    add_watch,
    load_job,
    load_watch,
    parsing,
    sim_job,
    succeeded,
)
from tests.watcher.test_sweep import tick

USER, PASSWORD = "drs-operator", "iam-password-for-tests"


@asynccontextmanager
async def iam_world(db_url: str) -> AsyncIterator[Harness]:
    """The watcher world, with IAM password login against the simulator's IAM endpoint."""
    clock = FakeClock(sleep_moves=False)
    jobs = [sim_job(JOB_A, UPLOADING, parsing(5), parsing(9), succeeded(12))]
    async with stand_ins(jobs, clock=clock) as (simulator, slack):
        simulator.iam_users = {USER: PASSWORD}
        env = harness_env(
            simulator,
            slack,
            db_url,
            DRS_AUTH_TOKEN="",
            IAM_USERNAME=USER,
            IAM_PASSWORD=PASSWORD,
            IAM_DOMAIN="sandbox-domain",
            IAM_ENDPOINT=f"{simulator.url}/v3",
            POLL_INTERVAL_SECONDS=str(INTERVAL),
        )
        settings = load_settings(env)
        runtime = await build_runtime(settings, clock=clock)
        try:
            yield Harness(simulator, slack, settings, env, runtime)
        finally:
            await close_runtime(runtime)


async def test_token_voided_mid_watch_gets_one_relogin_and_nothing_lost(db_url: str) -> None:
    async with iam_world(db_url) as h:
        assert h.runtime is not None
        auth = h.runtime.drs._http.auth  # the credential built from the settings
        assert isinstance(auth, IamPasswordAuth)
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)
        await tick(h, sweep, 2)  # uploading, then parsing 5
        assert auth.logins == 1
        first = set(h.simulator.issued_tokens)

        h.simulator.issued_tokens.clear()  # IAM voids the token (password changed, revoked)
        stats = await tick(h, sweep, 2)  # parsing 9, then succeeded 12

        assert auth.logins == 2 and h.simulator.issued_tokens.isdisjoint(first)
        assert stats.failed == 0 and stats.errors == 0
        assert not (await load_job(h, JOB_A)).paused
        card = h.slack.messages("C0ALPHA")[0]
        texts = [m.text for m in h.slack.thread("C0ALPHA", card.ts)]
        assert not any("credential" in t.lower() for t in texts)
        assert sum("now parsing" in t for t in texts) == 1
        assert sum("12 rows" in t for t in texts) == 1
        assert "12" in card.text
        assert (await load_watch(h, watch_id)).state == "succeeded"
        progress = [r for r in h.simulator.requests if "progress" in r.path]
        assert len(progress) == 5  # 4 polls + the one resend after the 401


async def test_iam_refusing_the_relogin_pauses_the_job_with_one_operator_notice(
    db_url: str,
) -> None:
    async with iam_world(db_url) as h:
        assert h.runtime is not None
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)
        await tick(h, sweep, 1)
        h.simulator.issued_tokens.clear()
        h.simulator.iam_users = {USER: "a-new-password"}  # the operator changed it in IAM
        await tick(h, sweep, 3)

        job = await load_job(h, JOB_A)
        assert job.paused
        card = h.slack.messages("C0ALPHA")[0]
        notices = [m for m in h.slack.thread("C0ALPHA", card.ts) if "credential" in m.text.lower()]
        assert len(notices) == 1
        assert PASSWORD not in notices[0].text and "a-new-password" not in notices[0].text
        assert (await load_watch(h, watch_id)).state == "active"
