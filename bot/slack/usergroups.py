"""Who is in a Slack user group (`usergroups.users.list`, scope `usergroups:read`)."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.access.gate import GroupMembers
from bot.slack.gateway import CallObserver, map_slack_errors


def usergroup_members(
    client: AsyncWebClient, *, observe: CallObserver | None = None
) -> GroupMembers:
    """A `GroupMembers` over `client`; every failure is a `SlackError` (the gate logs it)."""

    async def members(team: str, group: str) -> frozenset[str]:
        # One token serves one workspace here, so `team` only keys the gate's cache.
        with map_slack_errors("usergroups.users.list", observe):
            answer = await client.usergroups_users_list(usergroup=group)
        return frozenset(str(user) for user in answer.get("users") or ())

    return members
