"""Many workspaces over real HTTP: each watch speaks with its own workspace's token; an
uninstall or a token revocation ends only that workspace's watches, without posting."""

from __future__ import annotations

import asyncio

import pytest

from bot.sandbox.slack_oauth import Grant

from .conftest import ENDING, RUNNING, OAuthBot

A, B = "T0ALPHA", "T0BRAVO"
CA, CB = "C0ALPHA", "C0BRAVO"


def tokens_used(bot: OAuthBot, channel: str) -> set[str]:
    """The tokens of every Web API call made about `channel`."""
    return {c.token for c in bot.slack.calls if c.params.get("channel") == channel}


async def watch(
    bot: OAuthBot, job: str, *, team: str, channel: str, org: str | None = None
) -> None:
    """A watch made by slash command in that workspace, its card posted."""
    before = len(bot.slack.messages(channel))
    await bot.slash(job, team=team, channel=channel, org=org)
    await bot.slack.wait_for(lambda: len(bot.slack.messages(channel)) > before)
    for _ in range(100):
        if any(w.card_ts for w in await bot.watches(channel_id=channel, state="active")):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no watch with a card in {channel}")


async def two_workspaces(bot: OAuthBot, job: str) -> tuple[str, str]:
    await bot.install(Grant(A))
    await bot.install(Grant(B))
    [token_a], [token_b] = bot.slack.tokens_of(A), bot.slack.tokens_of(B)
    await watch(bot, job, team=A, channel=CA)
    await watch(bot, job, team=B, channel=CB)
    return token_a, token_b


async def test_each_watch_is_delivered_with_its_workspaces_token(oauth_bot: OAuthBot) -> None:
    token_a, token_b = await two_workspaces(oauth_bot, ENDING)

    await oauth_bot.sweep()

    assert await oauth_bot.count(state="succeeded") == 2
    final_b = oauth_bot.slack.messages(CB)[-1]
    assert "500" in final_b.text and final_b.reply_broadcast
    posts_b = [c for c in oauth_bot.slack.calls_to("chat.postMessage") if c.params["channel"] == CB]
    assert posts_b[-1].token == token_b  # B's final reply, with B's token
    assert tokens_used(oauth_bot, CA) == {token_a}
    assert tokens_used(oauth_bot, CB) == {token_b}


@pytest.mark.parametrize("gone", ["app_uninstalled", "tokens_revoked"])
async def test_uninstall_ends_only_that_workspaces_watches_unposted(
    oauth_bot: OAuthBot, gone: str
) -> None:
    token_a, token_b = await two_workspaces(oauth_bot, RUNNING)
    calls_before = len(oauth_bot.slack.calls)
    oauth_bot.slack.revoke(A)
    event = {"type": gone, "event_ts": "1700000000.000100"}
    if gone == "tokens_revoked":
        event["tokens"] = {"oauth": [], "bot": ["U0DRSBOT"]}  # type: ignore[assignment]

    await oauth_bot.event(event, team=A)

    for _ in range(200):  # the event is acknowledged first, handled after
        if await oauth_bot.installation(A) is None:
            break
        await asyncio.sleep(0.02)
    assert await oauth_bot.count(team_id=A, state="undeliverable") == 1
    assert await oauth_bot.count(team_id=B, state="active") == 1
    later = oauth_bot.slack.calls[calls_before:]
    assert not [c for c in later if c.token == token_a or c.params.get("channel") == CA]  # unposted
    assert await oauth_bot.installation(A) is None
    assert (await oauth_bot.installation(B)) is not None

    await oauth_bot.sweep()  # B goes on, with B's token; A's token is never used again
    assert all(c.token != token_a for c in oauth_bot.slack.calls[calls_before:])
    assert tokens_used(oauth_bot, CB) == {token_b}
