"""The bot token scopes the app asks for (manifest.yml's `oauth_config.scopes.bot`)."""

from __future__ import annotations

# A test holds this equal to manifest.yml: a scope added there is added here too.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "app_mentions:read",
    "reactions:write",
    "files:read",
    "files:write",
    "im:history",
    "links:read",
    "links:write",
    # Reading a thread back before re-sending a final reply after a crash (bot.watcher.finals).
    "channels:history",
    "groups:history",
    "mpim:history",
)
