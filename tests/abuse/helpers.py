"""Helpers for the abuse suite: signed slash commands and mentions against the live bot."""

from __future__ import annotations

import httpx

from bot.sandbox.slack_payloads import slash_command_body
from tests.slack.live import CHANNEL, LiveBot

# A well-formed ID the simulator does not know: it answers DRS.10000010 for it.
UNKNOWN = "deadbeef-0000-4a5d-8dd6-cc44f78jb999"


async def slash(
    bot: LiveBot,
    text: str,
    *,
    team: str = "T0SANDBOX",
    channel: str = CHANNEL,
    user: str = "U0USER",
) -> tuple[httpx.Response, str]:
    """Send `/drs-progress text`; the HTTP answer and the response_url's key."""
    response_url = bot.slack.new_response_url(channel_id=channel, user_id=user)
    body = slash_command_body(
        text=text, response_url=response_url, team_id=team, channel_id=channel, user_id=user
    )
    return await bot.sender.send(bot.events_url, body), response_url.rsplit("/", 1)[1]


def answered(bot: LiveBot, response: httpx.Response, key: str) -> bool:
    """The requester got a sentence: in the acknowledgement or through the response_url."""
    is_json = response.headers.get("content-type", "").startswith("application/json")
    if response.content and is_json and str(response.json().get("text") or "").strip():
        return True
    return any(p.key == key and p.text.strip() for p in bot.slack.responses)
