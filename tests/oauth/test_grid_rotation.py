"""Enterprise Grid org-wide installs and token rotation, over real HTTP.

An org-wide install serves every workspace of the org; each watch belongs to the workspace it
was made in and speaks with the org's token. Rotating tokens are renewed before they expire,
by Bolt for requests and by the watcher for deliveries, and the renewed token is used."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.sandbox.slack_oauth import Grant
from bot.store.slack_tables import slack_metadata

from .conftest import ENDING, RUNNING, OAuthBot
from .test_workspaces import CB, B, tokens_used, watch

ORG = "E0ORG"
G1, G2 = "T0GRID1", "T0GRID2"
C1, C2 = "C0GRID1", "C0GRID2"


async def test_org_wide_install_serves_each_workspace_and_uninstalls_as_one(
    oauth_bot: OAuthBot,
) -> None:
    await oauth_bot.install(Grant(None, enterprise_id=ORG, enterprise_install=True))
    await oauth_bot.install(Grant(B))
    [org_token], [token_b] = oauth_bot.slack.tokens_of(None, ORG), oauth_bot.slack.tokens_of(B)
    assert (await oauth_bot.installation(None, ORG)) is not None
    await watch(oauth_bot, ENDING, team=G1, channel=C1, org=ORG)
    await watch(oauth_bot, RUNNING, team=G2, channel=C2, org=ORG)
    await watch(oauth_bot, RUNNING, team=B, channel=CB)

    [w1] = await oauth_bot.watches(channel_id=C1)
    assert (w1.team_id, w1.enterprise_id) == (G1, ORG)  # the workspace it was made in
    await oauth_bot.sweep()
    assert "500" in oauth_bot.slack.messages(C1)[-1].text  # final reply, with the org's token
    assert tokens_used(oauth_bot, C1) == tokens_used(oauth_bot, C2) == {org_token}

    await oauth_bot.event({"type": "app_uninstalled"}, team=None, org=ORG)
    for _ in range(200):  # the event is acknowledged first, handled after
        if await oauth_bot.installation(None, ORG) is None:
            break
        await asyncio.sleep(0.02)
    assert [w.state for w in await oauth_bot.watches(channel_id=C2)] == ["undeliverable"]
    assert await oauth_bot.installation(None, ORG) is None
    assert await oauth_bot.count(team_id=B, state="active") == 1  # outside the org: goes on
    assert tokens_used(oauth_bot, CB) == {token_b}


async def _expire_soon(bot: OAuthBot, team: str) -> None:
    """The stored token now expires in a minute (as if 12 hours had passed)."""
    soon = (datetime.now(UTC) + timedelta(minutes=1)).replace(tzinfo=None)
    tables = slack_metadata().tables
    async with bot.runtime.engine.begin() as conn:
        for name in ("slack_installations", "slack_bots"):
            table = tables[name]
            await conn.execute(
                update(table).where(table.c.team_id == team).values(bot_token_expires_at=soon)
            )


async def test_rotating_tokens_are_renewed_before_use(oauth_bot: OAuthBot) -> None:
    await oauth_bot.install(Grant("T0ROT", rotate=True, expires_in=60))
    await watch(oauth_bot, ENDING, team="T0ROT", channel="C0ROT")  # Bolt renews it first
    _, second = oauth_bot.slack.tokens_of("T0ROT")
    assert tokens_used(oauth_bot, "C0ROT") == {second}

    await _expire_soon(oauth_bot, "T0ROT")
    await oauth_bot.sweep()  # the watcher renews it before the final reply

    *_, third = oauth_bot.slack.tokens_of("T0ROT")
    assert len(oauth_bot.slack.tokens_of("T0ROT")) == 3
    final = [
        c for c in oauth_bot.slack.calls_to("chat.postMessage") if c.params["channel"] == "C0ROT"
    ]
    assert final[-1].token == third and "500" in oauth_bot.slack.messages("C0ROT")[-1].text
    stored = await oauth_bot.installation("T0ROT")
    assert stored is not None and stored.bot_token == third
    refreshes = [
        c for c in oauth_bot.slack.calls_to("oauth.v2.access") if "refresh_token" in c.params
    ]
    assert len(refreshes) == 2
