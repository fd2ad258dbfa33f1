"""OAuth mode is opt-in: without SLACK_CLIENT_ID/SECRET the one-token mode is unchanged (no
install pages); with them SLACK_BOT_TOKEN is not needed; half of them is refused by name."""

from __future__ import annotations

import httpx
import pytest

from bot.config import load_settings
from bot.errors import ConfigError
from tests.slack.live import LiveBot

SERVE = {
    "SLACK_SIGNING_SECRET": "s",
    "DRS_REGION": "ap-southeast-1",
    "DRS_PROJECT_ID": "p",
    "DRS_AUTH_TOKEN": "t",
}


def test_oauth_mode_needs_no_bot_token_but_both_client_settings() -> None:
    settings = load_settings(
        {**SERVE, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs-9f8e7d"},
        drs=True,
        slack=True,
    )
    assert settings.oauth_enabled and settings.slack_bot_token is None
    assert "cs-9f8e7d" not in repr(settings)  # the client secret is a secret
    with pytest.raises(ConfigError) as half:
        load_settings({**SERVE, "SLACK_CLIENT_ID": "1.2"}, drs=True, slack=True)
    assert "SLACK_CLIENT_SECRET is not set" in str(half.value)
    assert "SLACK_BOT_TOKEN" not in str(half.value)
    with pytest.raises(ConfigError) as one_token:
        load_settings(SERVE, drs=True, slack=True)
    assert "SLACK_BOT_TOKEN is not set" in str(one_token.value)  # the default mode, unchanged
    assert not load_settings({**SERVE, "SLACK_BOT_TOKEN": "xoxb-1"}).oauth_enabled


async def test_one_token_mode_serves_no_install_pages(live_bot: LiveBot) -> None:
    assert live_bot.runtime.workspaces is None
    async with httpx.AsyncClient() as client:
        for path in ("/slack/install", "/slack/oauth_redirect"):
            assert (await client.get(f"{live_bot.url}{path}")).status_code == 404
