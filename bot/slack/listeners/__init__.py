"""Bolt listeners, one module per surface, each with `register(app)` and plain named handlers."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack.listeners import actions, commands, events, home, messages, shortcuts, unfurls


def register_listeners(app: AsyncApp, *, command: str) -> None:
    """Every surface the bot answers; `command` is the slash command's name (SLACK_COMMAND)."""
    commands.register(app, command=command)
    events.register(app)
    actions.register(app)
    shortcuts.register(app)
    messages.register(app)
    home.register(app)
    unfurls.register(app)
