"""Slack's interactivity requests to the bot (button presses, shortcuts), shaped like Slack's."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.slack_payloads import APP_ID, VERIFICATION_TOKEN, _next_id


def _payload(data: dict[str, Any]) -> bytes:
    # Interactivity arrives form-encoded with one field, `payload`, holding JSON.
    return urlencode({"payload": json.dumps(data)}).encode()


def _button_press(
    *,
    team_id: str,
    user_id: str,
    container: dict[str, Any],
    where: dict[str, Any],
    action_id: str,
    block_id: str,
    value: str,
    action_ts: str,
) -> bytes:
    """A `block_actions` payload for one button; `where` holds the keys that place it."""
    return _payload(
        {
            "type": "block_actions",
            "user": {"id": user_id, "username": "sandbox-user", "team_id": team_id},
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "container": container,
            "trigger_id": _next_id("trigger."),
            "team": {"id": team_id, "domain": "sandbox"},
            **where,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "text": {"type": "plain_text", "text": action_id},
                    "action_ts": action_ts,
                }
            ],
        }
    )


def block_action_body(
    *,
    action_id: str,
    value: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    message_ts: str,
    response_url: str,
    thread_ts: str | None = None,
    block_id: str = "actions",
) -> bytes:
    """A button press on a message (`block_actions`)."""
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    message: dict[str, Any] = {"type": "message", "ts": message_ts, "text": ""}
    if thread_ts is not None:
        container["thread_ts"] = thread_ts
        message["thread_ts"] = thread_ts
    where = {
        "channel": {"id": channel_id, "name": "sandbox"},
        "message": message,
        "response_url": response_url,
    }
    return _button_press(
        team_id=team_id,
        user_id=user_id,
        container=container,
        where=where,
        action_id=action_id,
        block_id=block_id,
        value=value,
        action_ts=message_ts,
    )


def unfurl_action_body(
    *,
    action_id: str,
    value: str,
    url: str,
    message_ts: str,
    response_url: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    thread_ts: str | None = None,
) -> bytes:
    """A button press on a link's preview (an app unfurl under someone's message)."""
    container: dict[str, Any] = {
        "type": "message_attachment",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": False,
        "is_app_unfurl": True,
        "app_unfurl_url": url,
    }
    if thread_ts is not None:
        container["thread_ts"] = thread_ts
    where = {"channel": {"id": channel_id, "name": "sandbox"}, "response_url": response_url}
    return _button_press(
        team_id=team_id,
        user_id=user_id,
        container=container,
        where=where,
        action_id=action_id,
        block_id="drs_unfurl_actions",
        value=value,
        action_ts=message_ts,
    )


def home_action_body(
    *, action_id: str, value: str, team_id: str = "T0SANDBOX", user_id: str = "U0USER"
) -> bytes:
    """A button press in the App Home: no channel, no message and no response_url."""
    view = {"id": "V0HOME", "type": "home", "team_id": team_id, "blocks": []}
    return _button_press(
        team_id=team_id,
        user_id=user_id,
        container={"type": "view", "view_id": "V0HOME"},
        where={"view": view},
        action_id=action_id,
        block_id="home",
        value=value,
        action_ts="1700000000.000001",
    )


def message_shortcut_body(
    *,
    callback_id: str,
    team_id: str = "T0SANDBOX",
    channel_id: str = "C0SANDBOX",
    user_id: str = "U0USER",
    message_ts: str,
    message_text: str,
    thread_ts: str | None = None,
    response_url: str,
    message_user: str = "U0OTHER",
    message_blocks: list[dict[str, Any]] | None = None,
    message_files: list[dict[str, Any]] | None = None,
) -> bytes:
    """A message shortcut (`message_action`) chosen on a message (its blocks, files if any)."""
    message: dict[str, Any] = {
        "type": "message",
        "user": message_user,
        "ts": message_ts,
        "text": message_text,
    }
    if message_blocks:
        message["blocks"] = message_blocks
    if message_files:
        message["files"] = message_files
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    return _payload(
        {
            "type": "message_action",
            "token": VERIFICATION_TOKEN,
            "action_ts": message_ts,
            "team": {"id": team_id, "domain": "sandbox"},
            "user": {"id": user_id, "name": "sandbox-user"},
            "channel": {"id": channel_id, "name": "sandbox"},
            "callback_id": callback_id,
            "trigger_id": _next_id("trigger."),
            "message_ts": message_ts,
            "message": message,
            "response_url": response_url,
        }
    )
