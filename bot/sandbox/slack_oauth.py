"""The Slack stand-in's OAuth: `oauth.v2.access` (install codes, token rotation), one token per
workspace, `auth.test` per token, and revocation, so tests see which token each call used."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.sandbox.slack_files import SlackFiles
from bot.slack.scopes import BOT_SCOPES

ROTATED_LIFETIME = 43200  # what Slack gives a rotated token: 12 hours


@dataclass
class Grant:
    """A workspace's (or an org's) installation of the app, as Slack issued it."""

    team_id: str | None
    enterprise_id: str | None = None
    enterprise_install: bool = False
    rotate: bool = False  # token rotation on: access tokens expire, refresh tokens renew them
    expires_in: int = ROTATED_LIFETIME  # the first token's lifetime when `rotate`
    bot_user_id: str = "U0DRSBOT"
    installer: str = "U0INSTALLER"


def basic_auth(request: web.Request) -> tuple[str, str] | None:
    """client_id and client_secret of an `Authorization: Basic ...` header, if any."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


class SlackOAuth(SlackFiles):
    """Install codes handed out by tests, the tokens they buy, and which tokens are still good."""

    client_id = "111.222"
    client_secret = "sandbox-client-secret"
    app_id = "A0DRSBOT"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._codes: dict[str, Grant] = {}
        self.tokens: dict[str, Grant] = {}  # every bot token issued, good until revoked
        self.revoked: set[str] = set()
        self._refresh: dict[str, Grant] = {}
        self._serial = itertools.count(1)

    def install_code(self, code: str, grant: Grant) -> str:
        """`code` will buy a bot token for `grant`'s workspace (once); returns the code."""
        self._codes[code] = grant
        return code

    def grant_of(self, token: str) -> Grant | None:
        """The installation a token was issued for (None: the one-workspace token)."""
        return None if token in self.revoked else self.tokens.get(token)

    def tokens_of(self, team_id: str | None, enterprise_id: str | None = None) -> list[str]:
        """Every token issued to that workspace (or org), oldest first."""
        return [
            t
            for t, g in self.tokens.items()
            if g.team_id == team_id and g.enterprise_id == enterprise_id
        ]

    def revoke(self, team_id: str | None, enterprise_id: str | None = None) -> None:
        """The workspace's tokens stop working (`token_revoked`), as after an uninstall."""
        self.revoked.update(self.tokens_of(team_id, enterprise_id))

    def token_error(self, token: str) -> str | None:
        """Slack's error for a call with an issued token; None when it is good."""
        if token in self.revoked:
            return "token_revoked"
        return None if token in self.tokens else "invalid_auth"

    def oauth_v2_access(
        self, params: dict[str, Any], basic: tuple[str, str] | None
    ) -> dict[str, Any]:
        given = basic or (str(params.get("client_id", "")), str(params.get("client_secret", "")))
        if given[0] != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if given[1] != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        if params.get("grant_type") == "refresh_token":
            grant = self._refresh.pop(str(params.get("refresh_token") or ""), None)
            if grant is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            return self._issue(grant, lifetime=ROTATED_LIFETIME)
        grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        return self._issue(grant, lifetime=grant.expires_in)

    def _issue(self, grant: Grant, *, lifetime: int) -> dict[str, Any]:
        n = next(self._serial)
        token = f"xoxb-{grant.enterprise_id or 'E'}-{grant.team_id or 'org'}-{n}"
        self.tokens[token] = grant
        answer: dict[str, Any] = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(BOT_SCOPES),
            "bot_user_id": grant.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": grant.team_id, "name": f"Team {grant.team_id}"}
            if grant.team_id
            else None,
            "enterprise": {"id": grant.enterprise_id, "name": f"Org {grant.enterprise_id}"}
            if grant.enterprise_id
            else None,
            "is_enterprise_install": grant.enterprise_install,
            "authed_user": {"id": grant.installer},
        }
        if grant.rotate:
            refresh = f"xoxe-1-{n}"
            self._refresh[refresh] = grant
            answer.update(refresh_token=refresh, expires_in=lifetime)
        return answer

    def auth_test_for(self, token: str) -> dict[str, Any] | None:
        """auth.test's answer for an issued token (None: the one-workspace token)."""
        grant = self.grant_of(token)
        if grant is None:
            return None
        return {
            "ok": True,
            "url": "https://stand-in.slack.test/",
            "team": f"Team {grant.team_id}",
            "user": "drs-bot",
            "team_id": grant.team_id or grant.enterprise_id,
            "enterprise_id": grant.enterprise_id,
            "user_id": grant.bot_user_id,
            "bot_id": "B0DRSBOT",
            "is_enterprise_install": grant.enterprise_install,
        }
