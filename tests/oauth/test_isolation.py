"""Isolation between installed workspaces, each with its own token: workspace A cannot list,
stop, refresh or see B's watch by any surface, even with B's channel, user and watch IDs."""

from __future__ import annotations

from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.sandbox.slack_interactions import block_action_body
from bot.sandbox.slack_oauth import Grant
from bot.sandbox.slack_payloads import (
    app_home_opened_body,
    app_mention_body,
    direct_message_body,
)

from .conftest import RUNNING, OAuthBot
from .test_workspaces import CB, A, B, watch

SUFFIX = RUNNING[-5:]


async def _answer(bot: OAuthBot, key: str) -> str:
    await bot.slack.wait_for(lambda: any(p.key == key for p in bot.slack.responses))
    return " ".join(p.text + str(p.blocks) for p in bot.slack.responses if p.key == key)


async def _press(bot: OAuthBot, action: str, watch_id: int, card_ts: str) -> str:
    response_url = bot.slack.new_response_url(channel_id=CB)
    body = block_action_body(
        action_id=action,
        value=str(watch_id),
        team_id=A,
        channel_id=CB,
        message_ts=card_ts,
        response_url=response_url,
    )
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200
    return await _answer(bot, response_url.rsplit("/", 1)[1])


async def test_workspace_a_cannot_reach_bs_watch_by_any_surface(oauth_bot: OAuthBot) -> None:
    await oauth_bot.install(Grant(A))
    await oauth_bot.install(Grant(B))
    [token_a], [token_b] = oauth_bot.slack.tokens_of(A), oauth_bot.slack.tokens_of(B)
    await watch(oauth_bot, RUNNING, team=B, channel=CB)  # only B watches the job
    [mine] = await oauth_bot.watches(team_id=B)
    assert mine.card_ts is not None
    card = next(m for m in oauth_bot.slack.messages(CB) if m.ts == mine.card_ts)

    assert SUFFIX not in await _answer(oauth_bot, await oauth_bot.slash("list", team=A, channel=CB))
    for text in ("stop all", f"stop {RUNNING}"):
        key = await oauth_bot.slash(text, team=A, channel=CB)
        assert "nothing to stop" in await _answer(oauth_bot, key), text
    for action in (ACTION_REFRESH, ACTION_STOP):
        await _press(oauth_bot, action, mine.id, mine.card_ts)
    events = [
        app_mention_body(
            text="<@U0DRSBOT> stop all", ts="1700000001.000001", team_id=A, channel_id=CB
        ),
        direct_message_body(text="list", ts="1700000002.000001", team_id=A),
        app_home_opened_body(team_id=A),
    ]
    for body in events:
        assert (await oauth_bot.sender.send(oauth_bot.events_url, body)).status_code == 200
    await oauth_bot.slack.wait_for(lambda: bool(oauth_bot.slack.calls_to("views.publish")))
    await oauth_bot.slack.wait_for(  # the mention was answered, in CB, with A's token
        lambda: any(
            c.token == token_a and c.params.get("channel") == CB for c in oauth_bot.slack.calls
        )
    )
    await oauth_bot.slack.wait_for(
        lambda: any(c.params.get("channel") == "D0SANDBOX" for c in oauth_bot.slack.calls)
    )

    [home] = oauth_bot.slack.calls_to("views.publish")
    assert home.token == token_a and SUFFIX not in str(home.params)  # A's Home, without B's job
    dm = [c for c in oauth_bot.slack.calls if c.params.get("channel") == "D0SANDBOX"]
    assert dm and all(c.token == token_a and SUFFIX not in str(c.params) for c in dm)
    assert await oauth_bot.count(team_id=B, state="active") == 1
    assert card.history == []  # never edited, refreshed or marked stopped
    assert all(c.token == token_b for c in oauth_bot.slack.calls if c.method == "chat.update")
