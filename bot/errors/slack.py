"""Errors of the Slack Web API edge, including files shared in Slack."""

from __future__ import annotations

from typing import Any

from bot.domain.quoting import quote_untrusted
from bot.errors.base import BotError


class SlackError(BotError):
    """A Slack Web API call failed."""

    def __init__(self, message: str, *, error: str | None = None) -> None:
        self.error = error
        super().__init__(message)


class DestinationGone(SlackError):
    """Slack says the destination can never receive messages again (archived, deleted, ...)."""


_REINSTALL = (
    "The bot's Slack app needs the scopes `files:read` and `files:write`: ask a workspace admin "
    "to reinstall it (Slack app settings > Install App > Reinstall)."
)


class MissingScope(SlackError):
    """Slack refused a call for a scope the installed app lacks."""

    def user_message(self) -> str:
        return f"Slack refused the call for a missing permission. {_REINSTALL}"

    def catalogued(self) -> tuple[str, dict[str, Any]]:
        return "slack.missing_scope", {}


class SlackFileError(SlackError):
    """A file shared in Slack that the bot could not fetch as Slack announced it."""

    def __init__(self, message: str, *, name: str = "the file") -> None:
        self.name = quote_untrusted(name, 80)
        super().__init__(message, error=None)
        self.values = {"name": self.name}


class FileNotReadable(SlackFileError):
    """Slack answered the download with its sign-in page (status 200): `files:read` is missing."""

    key = "slack.file.not_readable"

    def user_message(self) -> str:
        return f"Slack would not hand over {self.name}. {_REINSTALL} Nothing was sent to DRS."


class FileNotVisible(SlackFileError):
    """The bot cannot see the file (not shared where it is a member, or deleted)."""

    key = "slack.file.not_visible"

    def user_message(self) -> str:
        return (
            f"The bot cannot see {self.name}: share the file in this channel (where the bot "
            "is a member) and try again. Nothing was sent to DRS."
        )


class FileSizeMismatch(SlackFileError):
    """The downloaded bytes differ in size from what Slack announced."""

    key = "slack.file.size_mismatch"

    def user_message(self) -> str:
        return (
            f"{self.name} did not arrive whole from Slack (its size differs from what Slack "
            "announced); send it again. Nothing was sent to DRS."
        )


class SlackFileTooLarge(SlackFileError):
    """Slack sent more bytes than the largest template DRS takes."""

    key = "slack.file.too_large"

    def user_message(self) -> str:
        return f"{self.name} is larger than any template DRS takes. Nothing was sent to DRS."
