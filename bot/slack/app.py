"""The Bolt AsyncApp factory: one app per Runtime, listeners registered per surface."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)

from bot.proxy import Proxies
from bot.runtime import Runtime
from bot.slack.gateway import build_web_client
from bot.slack.listeners import register_listeners
from bot.slack.listeners.context import log_request_context, provide_runtime
from bot.slack.listeners.installs import register as register_installs
from bot.slack.oauth import oauth_settings
from bot.slack.replay import ReplayGuard
from bot.slack.workspaces import InstalledWorkspaces
from bot.store.seen import SharedSeen

log = logging.getLogger(__name__)

Authorize = Callable[[str | None, str | None, str | None], Awaitable[AuthorizeResult]]


def build_app(rt: Runtime) -> AsyncApp:
    """An AsyncApp that verifies Slack's signatures and answers every surface the bot has.

    Handlers find `rt` in Bolt's context. The bot's own Web API calls go through `rt.slack`;
    Bolt gets a client of its own from the same factory, for what it does itself.
    """
    secret = rt.settings.slack_signing_secret
    token = rt.settings.slack_bot_token.get_secret_value() if rt.settings.slack_bot_token else ""
    api_url = rt.settings.slack_api_url
    bolt_log = logging.getLogger("bot.slack.bolt")
    if not any(isinstance(f, QuietTokenWarnings) for f in bolt_log.filters):
        bolt_log.addFilter(QuietTokenWarnings())
    app = AsyncApp(
        client=build_web_client(
            token, api_url, proxy=Proxies.from_settings(rt.settings).for_url(api_url)
        ),
        **authorization(rt, token),
        signing_secret=secret.get_secret_value() if secret else "",
        # Listeners ack first and keep working after the HTTP answer has gone back to Slack.
        process_before_response=False,
        logger=bolt_log,
    )
    # After Bolt's signature check: a request it accepted once is refused if sent again.
    # Across replicas through the database; on SQLite (one process) memory alone suffices and
    # keeps the database write off the acknowledgement's path.
    seen = SharedSeen(rt.sessions, rt.clock)
    app.use(ReplayGuard(shared=seen if seen.shared else None))
    app.use(provide_runtime(rt))
    app.use(log_request_context)
    register_listeners(app, command=rt.command)
    register_installs(app)
    app.error(log_unhandled)
    return app


class QuietTokenWarnings(logging.Filter):
    """Drop Bolt's warnings that the token "will be unused"/"will be ignored".

    Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that `client` and
    `authorize` take precedence, which is exactly the intent here: noise at every start.
    """

    WARNINGS = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.WARNINGS


def authorization(rt: Runtime, token: str) -> dict[str, Any]:
    """AsyncApp's arguments for who a request speaks as: OAuth installs, else the one token."""
    if isinstance(rt.workspaces, InstalledWorkspaces):
        return {
            "oauth_settings": oauth_settings(rt.settings, rt.workspaces),
            "installation_store": rt.workspaces.store,
        }
    return {"authorize": token_authorizer(rt, token)}


def token_authorizer(rt: Runtime, token: str) -> Authorize:
    """Single-workspace token mode without Bolt's per-process auth.test on the first request.

    The acknowledgement never waits on Slack: serve asks auth.test once at start, for the bot's
    user ID, and carries on if Slack does not answer.
    """

    async def authorize(
        enterprise_id: str | None, team_id: str | None, user_id: str | None
    ) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=token,
            bot_user_id=rt.bot_user_id,
        )

    return authorize


async def log_unhandled(error: Exception, body: dict[str, Any]) -> None:
    """Listeners turn BotErrors into sentences; anything reaching here is a bug, logged once."""
    log.error(
        "unhandled error in a Slack listener (%s): %s",
        body.get("type") or body.get("command"),
        type(error).__name__,
        exc_info=error,
    )
