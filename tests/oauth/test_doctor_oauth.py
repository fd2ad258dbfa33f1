"""`drs-bot doctor` in OAuth mode checks the client credentials and the installation store."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.config import load_settings
from bot.doctor import run_checks
from bot.sandbox.harness import harness_env, stand_ins
from bot.sandbox.slack_oauth import SlackOAuth
from bot.slack.oauth import installation_store
from bot.store.db import make_engine

OAUTH = {
    "SLACK_CLIENT_ID": SlackOAuth.client_id,
    "SLACK_CLIENT_SECRET": SlackOAuth.client_secret,
    "SLACK_BOT_TOKEN": "",
}


async def test_doctor_reads_the_installation_store_instead_of_one_token(
    sqlite_url: str, tmp_path: object
) -> None:
    async with stand_ins([]) as (simulator, slack):
        env = harness_env(simulator, slack, sqlite_url, **OAUTH)
        checks = {c.name: c for c in await run_checks(load_settings(env))}
        assert "slack token" not in checks  # no single token to auth.test
        assert checks["slack oauth"].ok
        assert checks["slack installations"].ok
        assert "no workspace" in checks["slack installations"].detail
        assert slack.calls_to("auth.test") == []

        settings = load_settings(env)
        engine = make_engine(sqlite_url)
        try:
            store = installation_store(settings, engine)
            for team in ("T0A", "T0B"):
                await store.async_save(
                    Installation(app_id="A1", team_id=team, bot_token=f"xoxb-{team}", user_id="U1")
                )
        finally:
            await engine.dispose()
        found = {c.name: c for c in await run_checks(settings)}
        assert found["slack installations"].detail.startswith("2 workspace(s) installed")

        half = {
            c.name: c for c in await run_checks(load_settings({**env, "SLACK_CLIENT_SECRET": ""}))
        }
        assert not half["slack oauth"].ok and "SLACK_CLIENT_SECRET" in half["slack oauth"].detail

        empty = harness_env(simulator, slack, f"sqlite:///{tmp_path}/none.sqlite3", **OAUTH)
        Path(f"{tmp_path}/none.sqlite3").touch()  # exists, never migrated  # noqa: ASYNC240
        bare = {c.name: c for c in await run_checks(load_settings(empty))}
        assert (
            not bare["slack installations"].ok and "db upgrade" in bare["slack installations"].fix
        )
