"""A delivery refused for its token (token_revoked, invalid_auth) with no event from Slack: in
OAuth mode only that workspace's watches end, with advice to install again (one-token mode
keeps every watch and says to fix SLACK_BOT_TOKEN: tests/watcher)."""

from __future__ import annotations

import logging

import pytest

from .conftest import ENDING, OAuthBot
from .test_workspaces import CA, CB, A, B, tokens_used, two_workspaces


async def test_a_revoked_token_ends_only_its_workspaces_watches(
    oauth_bot: OAuthBot, caplog: pytest.LogCaptureFixture
) -> None:
    _, token_b = await two_workspaces(oauth_bot, ENDING)
    oauth_bot.slack.revoke(A)  # no app_uninstalled or tokens_revoked event arrives

    with caplog.at_level(logging.ERROR, logger="bot.watcher.revoked"):
        await oauth_bot.sweep()

    assert [w.state for w in await oauth_bot.watches(team_id=A)] == ["undeliverable"]
    assert [w.state for w in await oauth_bot.watches(team_id=B)] == ["succeeded"]
    assert "500" in oauth_bot.slack.messages(CB)[-1].text  # B's final reply went out
    assert tokens_used(oauth_bot, CB) == {token_b}
    assert not any("500" in m.text for m in oauth_bot.slack.messages(CA))
    said = caplog.text
    assert f"workspace {A}" in said and "/slack/install" in said
    assert "SLACK_BOT_TOKEN" not in said

    await oauth_bot.sweep()  # nothing more is tried in A
    assert [w.state for w in await oauth_bot.watches(team_id=A)] == ["undeliverable"]
