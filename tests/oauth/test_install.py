"""OAuth install round trip over real HTTP: Bolt's install page and redirect, oauth.v2.access on
the stand-in, the installation stored in the bot's own database (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.sandbox.slack_oauth import Grant

from .conftest import OAuthBot


async def test_install_round_trip_stores_the_workspace_token(oauth_bot: OAuthBot) -> None:
    answer = await oauth_bot.install(Grant("T0ALPHA"))

    assert answer.status_code == 200, answer.text
    [token] = oauth_bot.slack.tokens_of("T0ALPHA")
    [access] = oauth_bot.slack.calls_to("oauth.v2.access")
    assert access.ok and access.params["code"] == "code-T0ALPHA-None"
    found = await oauth_bot.installation("T0ALPHA")
    assert found is not None and found.bot_token == token and found.bot_user_id == "U0DRSBOT"
    assert await oauth_bot.states_left() == 0  # the state was consumed


async def test_a_replayed_or_forged_state_installs_nothing(oauth_bot: OAuthBot) -> None:
    page = await oauth_bot.http.get(f"{oauth_bot.url}/slack/install")
    state = page.cookies["slack-app-oauth-state"]
    oauth_bot.slack.install_code("c1", Grant("T0EVIL"))
    oauth_bot.http.cookies.clear()
    oauth_bot.http.cookies.set("slack-app-oauth-state", state)
    forged = await oauth_bot.http.get(
        f"{oauth_bot.url}/slack/oauth_redirect",
        params={"code": "c1", "state": "not-the-state"},
    )
    assert forged.status_code >= 400
    assert oauth_bot.slack.calls_to("oauth.v2.access") == []
    assert await oauth_bot.installation("T0EVIL") is None
