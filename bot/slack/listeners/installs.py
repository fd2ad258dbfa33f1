"""`app_uninstalled` and `tokens_revoked`: the workspace's watches end unposted, its tokens go.

Other workspaces go on untouched. On Enterprise Grid an org-wide uninstall ends the watches of
every workspace of the org.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.runtime import Runtime
from bot.slack.listeners.context import runtime_of
from bot.store.workspaces import end_workspace_watches

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.event("app_uninstalled")(handle_app_uninstalled)
    app.event("tokens_revoked")(handle_tokens_revoked)


async def handle_app_uninstalled(ack: AsyncAck, context: AsyncBoltContext) -> None:
    """The app was removed from a workspace (or an org)."""
    await ack()
    await workspace_gone(runtime_of(context), context, why="app_uninstalled")


async def handle_tokens_revoked(
    ack: AsyncAck, event: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Tokens were revoked: the bot's token gone means the workspace is gone for the bot."""
    await ack()
    tokens = event.get("tokens") or {}
    if not tokens.get("bot"):
        log.info("tokens_revoked without the bot's token: nothing to end")
        return
    await workspace_gone(runtime_of(context), context, why="tokens_revoked")


async def workspace_gone(rt: Runtime, context: AsyncBoltContext, *, why: str) -> None:
    """End the workspace's active watches (nothing posted) and delete its installation."""
    team, org = context.team_id, context.enterprise_id
    whole_org = bool(context.is_enterprise_install) and org is not None
    async with rt.sessions.begin() as session:
        ended = await end_workspace_watches(
            session, team_id=team, enterprise_id=org, whole_org=whole_org, now=rt.clock.now()
        )
    if rt.workspaces is not None:
        await rt.workspaces.forget(team_id=None if whole_org else team, enterprise_id=org)
    log.info(
        "%s in %s: %d watch(es) ended, its tokens deleted",
        why,
        f"org {org}" if whole_org else f"workspace {team}",
        len(ended),
    )
