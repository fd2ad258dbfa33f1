"""One token (SLACK_BOT_TOKEN) refused while delivering: every watch is kept (it resumes once
the token is fixed) and the log says to fix SLACK_BOT_TOKEN, not to reinstall."""

from __future__ import annotations

import logging

import pytest

from bot.watcher.sweep import Sweeper

from .conftest import JOB_A, World, add_watch, load_watch, parsing, sim_job, succeeded
from .test_sweep import tick


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth"])
async def test_one_token_refused_keeps_the_watch(
    world: World, error: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with world([sim_job(JOB_A, parsing(5), succeeded(7))]) as h:
        watch_id = await add_watch(h, JOB_A)
        sweep = Sweeper(h.runtime)  # type: ignore[arg-type]
        await tick(h, sweep, 1)
        h.slack.error_next("chat.postMessage", error)
        with caplog.at_level(logging.ERROR):
            await tick(h, sweep, 1)
        assert (await load_watch(h, watch_id)).state == "active"
        assert "fix SLACK_BOT_TOKEN" in caplog.text and "/slack/install" not in caplog.text
        await tick(h, sweep, 1)
        assert (await load_watch(h, watch_id)).state == "succeeded"
