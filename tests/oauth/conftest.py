"""An OAuth-mode bot over real HTTP: installs through Bolt's pages, workspaces on the stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import select, text

from bot.clock import FakeClock
from bot.drs.sim_jobs import SimJob
from bot.runtime import Runtime
from bot.sandbox.harness import SIGNING_SECRET, harness, serving
from bot.sandbox.slack_oauth import Grant, SlackOAuth
from bot.sandbox.slack_payloads import SlackSender, slash_command_body
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import build_web
from bot.slack.app import build_app
from bot.slack.workspaces import InstalledWorkspaces
from bot.store.models import Watch
from bot.watcher.sweep import Sweeper
from tests.slack.live import live_bot  # the one-token bot, for comparison

__all__ = ["live_bot"]

RUNNING = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
ENDING = "0e0e0e0e-3333-4a5d-8dd6-cc44f78jb301"
INTERVAL = 10


def jobs() -> list[SimJob]:
    running = [{"send_success": True, "parsed_success_number": "12340"}]
    ending = [
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
    ]
    return [SimJob(RUNNING, running, step_seconds=3600), SimJob(ENDING, ending, step_seconds=5)]


@dataclass
class OAuthBot:
    url: str
    sender: SlackSender
    slack: SlackStandIn
    runtime: Runtime
    http: httpx.AsyncClient

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    @property
    def directory(self) -> InstalledWorkspaces:
        assert isinstance(self.runtime.workspaces, InstalledWorkspaces)
        return self.runtime.workspaces

    async def install(self, grant: Grant, *, code: str | None = None) -> httpx.Response:
        """The install round trip: the install page sets the state cookie; Slack redirects back."""
        page = await self.http.get(f"{self.url}/slack/install")
        assert page.status_code == 200, page.text
        state = page.cookies["slack-app-oauth-state"]
        assert f"state={state}" in page.text and f"client_id={SlackOAuth.client_id}" in page.text
        code = self.slack.install_code(code or f"code-{grant.team_id}-{grant.enterprise_id}", grant)
        self.http.cookies.clear()  # Bolt's cookie is Secure: the browser would send it back
        self.http.cookies.set("slack-app-oauth-state", state)
        return await self.http.get(
            f"{self.url}/slack/oauth_redirect",
            params={"code": code, "state": state},
        )

    async def installation(self, team: str | None, org: str | None = None) -> Installation | None:
        return await self.directory.store.async_find_installation(
            enterprise_id=org, team_id=team, is_enterprise_install=team is None
        )

    async def slash(
        self, text: str, *, team: str, channel: str, user: str = "U0USER", org: str | None = None
    ) -> str:
        """`/drs-progress text` from a workspace (of an org); the response_url's key."""
        response_url = self.slack.new_response_url(channel_id=channel, user_id=user)
        body = slash_command_body(
            text=text, response_url=response_url, team_id=team, channel_id=channel, user_id=user
        )
        if org is not None:
            fields = dict(parse_qsl(body.decode()))
            fields.update(enterprise_id=org, is_enterprise_install="true")
            body = urlencode(fields).encode()
        assert (await self.sender.send(self.events_url, body)).status_code == 200
        return response_url.rsplit("/", 1)[1]

    async def event(
        self, event: dict[str, Any], *, team: str | None, org: str | None = None
    ) -> None:
        """An Events API callback from a workspace (an org-wide one when `team` is None)."""
        envelope = {
            "team_id": team or org,
            "enterprise_id": org,
            "api_app_id": "A0DRSBOT",
            "type": "event_callback",
            "event": event,
            "event_id": f"Ev{id(event)}",
            "event_time": 1,
            "is_enterprise_install": team is None,
            "authorizations": [
                {
                    "enterprise_id": org,
                    "team_id": team,
                    "user_id": "U0DRSBOT",
                    "is_bot": True,
                    "is_enterprise_install": team is None,
                }
            ],
        }
        body = json.dumps(envelope).encode()
        assert (await self.sender.send(self.events_url, body)).status_code == 200

    async def watches(self, **where: object) -> list[Watch]:
        stmt = select(Watch).order_by(Watch.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(Watch, name) == value)
        async with self.runtime.sessions() as session:
            return list((await session.scalars(stmt)).unique().all())

    async def count(self, **where: object) -> int:
        return len(await self.watches(**where))

    async def sweep(self) -> None:
        """One poll interval passes and the watcher sweeps once."""
        clock = self.runtime.clock
        assert isinstance(clock, FakeClock)
        clock.advance(INTERVAL + 1)
        await Sweeper(self.runtime).poll_once()

    async def states_left(self) -> int:
        """OAuth states issued and not yet consumed (in the bot's own database)."""
        async with self.runtime.engine.connect() as conn:
            found = await conn.execute(text("SELECT count(*) FROM slack_oauth_states"))
            return int(found.scalar_one())


@pytest.fixture
async def oauth_bot(db_url: str) -> AsyncIterator[OAuthBot]:
    env = {
        "SLACK_CLIENT_ID": SlackOAuth.client_id,
        "SLACK_CLIENT_SECRET": SlackOAuth.client_secret,
        "SLACK_BOT_TOKEN": "",  # not needed in OAuth mode
        "SLACK_REDIRECT_URI": "https://drs-bot.example.com/slack/oauth_redirect",
        "POLL_INTERVAL_SECONDS": str(INTERVAL),
    }
    clock = FakeClock(datetime.now(UTC), sleep_moves=False)
    async with harness(jobs(), database_url=db_url, clock=clock, settings_env=env) as h:
        assert h.runtime is not None and h.runtime.workspaces is not None
        web = build_web(h.runtime, build_app(h.runtime), watcher=None)
        async with (
            serving(web) as url,
            SlackSender(SIGNING_SECRET) as sender,
            httpx.AsyncClient(timeout=10) as http,
        ):
            yield OAuthBot(url, sender, h.slack, h.runtime, http)
