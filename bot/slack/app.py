"""The Bolt AsyncApp factory: one app per Runtime, listeners registered per surface."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

from bot.runtime import Runtime
from bot.slack.listeners import actions, commands, events
from bot.slack.replay import ReplayGuard

log = logging.getLogger(__name__)


def build_app(rt: Runtime) -> AsyncApp:
    """An AsyncApp that verifies Slack's signatures and answers every surface the bot has."""
    secret = rt.settings.slack_signing_secret
    token = rt.slack.client.token or ""

    async def authorize(
        enterprise_id: str | None, team_id: str | None, user_id: str | None
    ) -> AuthorizeResult:
        # Single-workspace token mode without Bolt's per-process auth.test on the first
        # request: the acknowledgement never waits on Slack (serve asks auth.test once at
        # start, for the bot's user ID, and carries on if Slack does not answer).
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=token,
            bot_user_id=rt.bot_user_id,
        )

    app = AsyncApp(
        client=rt.slack.client,
        authorize=authorize,
        signing_secret=secret.get_secret_value() if secret else "",
        # Listeners ack first and keep working after the HTTP answer has gone back to Slack.
        process_before_response=False,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    # After Bolt's signature check: a request it accepted once is refused if sent again.
    app.use(ReplayGuard())
    commands.register(app, rt)
    events.register(app, rt)
    actions.register(app, rt)

    @app.error
    async def _on_error(error: Exception, body: dict[str, Any]) -> None:
        # Listeners turn BotErrors into sentences; anything reaching here is a bug, logged once.
        log.error(
            "unhandled error in a Slack listener (%s): %s",
            body.get("type") or body.get("command"),
            type(error).__name__,
            exc_info=error,
        )

    return app
