"""The access policy in OAuth mode: user groups asked with the asking workspace's own token
(cached per workspace), and `teams` rules naming an Enterprise Grid org ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.clock import FakeClock
from bot.sandbox.harness import SIGNING_SECRET, harness, serving
from bot.sandbox.slack_oauth import Grant, SlackOAuth
from bot.sandbox.slack_payloads import SlackSender
from bot.server import build_web
from bot.slack.app import build_app

from .conftest import INTERVAL, OAuthBot, jobs
from .test_workspaces import A, B

ORG, GRID = "E0ORG", "T0GRID1"
CA, CB, CG = "C0ALPHA", "C0BRAVO", "C0GRID1"
OPS, INTERN = "U0OPS", "U0INTERN"

POLICY = f"""
[[rules]]
name = "ops-may-stop-all"
effect = "allow"
usergroups = ["S0OPS"]
actions = ["stop_all"]

[[rules]]
name = "nobody-else-stops-all"
effect = "deny"
actions = ["stop_all"]

[[rules]]
name = "our-workspaces"
effect = "allow"
teams = ["{B}", "{ORG}"]

[[rules]]
name = "the-rest"
effect = "deny"
"""


@pytest.fixture
async def guarded(sqlite_url: str, tmp_path: Path) -> AsyncIterator[OAuthBot]:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    env = {
        "SLACK_CLIENT_ID": SlackOAuth.client_id,
        "SLACK_CLIENT_SECRET": SlackOAuth.client_secret,
        "SLACK_BOT_TOKEN": "",
        "SLACK_REDIRECT_URI": "https://drs-bot.example.com/slack/oauth_redirect",
        "POLL_INTERVAL_SECONDS": str(INTERVAL),
        "ACCESS_POLICY": str(path),
    }
    clock = FakeClock(datetime.now(UTC), sleep_moves=False)
    async with harness(jobs(), database_url=sqlite_url, clock=clock, settings_env=env) as h:
        assert h.runtime is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with (
            serving(web) as url,
            SlackSender(SIGNING_SECRET) as sender,
            httpx.AsyncClient(timeout=10) as http,
        ):
            yield OAuthBot(url, sender, h.slack, h.runtime, http)


async def ask(bot: OAuthBot, text: str, **where: str) -> str:
    """The private answer to `/drs-progress text` sent from `where` (team, channel, user, org)."""
    key = await bot.slash(text, **where)  # type: ignore[arg-type]
    await bot.slack.wait_for(lambda: any(p.key == key for p in bot.slack.responses))
    return " ".join(p.text + str(p.blocks) for p in bot.slack.responses if p.key == key)


def group_lookups(bot: OAuthBot) -> list[str]:
    """The token of every `usergroups.users.list` call, in order."""
    return [c.token for c in bot.slack.calls if c.method == "usergroups.users.list"]


async def test_a_user_group_is_asked_with_the_asking_workspaces_token(guarded: OAuthBot) -> None:
    await guarded.install(Grant(A))
    await guarded.install(Grant(B))
    [token_a], [token_b] = guarded.slack.tokens_of(A), guarded.slack.tokens_of(B)
    guarded.slack.usergroups["S0OPS"] = [OPS]

    allowed = await ask(guarded, "stop all", team=B, channel=CB, user=OPS)
    assert "ops-may-stop-all" not in allowed and "nobody-else" not in allowed
    assert group_lookups(guarded) == [token_b]  # B's own token, not a single bot token
    refused = await ask(guarded, "stop all", team=B, channel=CB, user=INTERN)
    assert "nobody-else-stops-all" in refused
    assert group_lookups(guarded) == [token_b]  # kept for workspace B

    assert "nobody-else" not in await ask(guarded, "stop all", team=A, channel=CA, user=OPS)
    assert group_lookups(guarded) == [token_b, token_a]  # asked again, for A, with A's token
    assert "the-rest" in await ask(guarded, "list", team=A, channel=CA)  # A is not ours
    assert "the-rest" not in await ask(guarded, "list", team=B, channel=CB)


async def test_a_teams_rule_naming_the_org_matches_an_org_wide_install(guarded: OAuthBot) -> None:
    await guarded.install(Grant(None, enterprise_id=ORG, enterprise_install=True))
    await guarded.install(Grant(A))
    answer = await ask(guarded, "list", team=GRID, channel=CG, org=ORG)
    assert "the-rest" not in answer and "policy" not in answer.lower()
    assert "the-rest" in await ask(guarded, "list", team=A, channel=CA)
