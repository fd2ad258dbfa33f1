"""The bot token scopes and bot events the app asks for (manifest.yml's scopes and bot_events)."""

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
    "usergroups:read",  # the access policy's `usergroups` rules: who is in a group
    "users:read",  # users.info with include_locale: private answers in the reader's language
    # Reading a thread back before re-sending a final reply after a crash (bot.watcher.finals).
    "channels:history",
    "groups:history",
    "mpim:history",
)

# manifest.yml's `settings.event_subscriptions.bot_events`; the two last end a workspace's watches.
BOT_EVENTS = (
    "app_mention",
    "message.im",
    "app_home_opened",
    "link_shared",
    "app_uninstalled",
    "tokens_revoked",
)
