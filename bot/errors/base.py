"""The root of the error tree and the errors of settings, usage and the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self


@dataclass(frozen=True)
class Phrase:
    """A catalogue phrase inside an error's sentence (a name, a list), written in its language."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


class BotError(Exception):
    """Base of every error the bot raises on purpose.

    `user_message()` is English (logs, the CLI); `catalogued()` gives the same sentence as a key
    of the render catalogues and its values, so a reply can be written in the reader's language.
    A value that is itself a `BotError` stands for that error's sentence in the same language.
    """

    key: str | None = None
    values: dict[str, Any] | None = None

    def user_message(self) -> str:
        """A sentence for a person: what went wrong and what to do next."""
        return str(self)

    def catalogued(self) -> tuple[str, dict[str, Any]] | None:
        """The catalogue key and values of `user_message()`; None: English only (logs)."""
        return (self.key, dict(self.values or {})) if self.key else None

    def with_key(self, key: str, **values: Any) -> Self:
        """This error, its sentence known to the catalogues as `key` with `values`."""
        self.key, self.values = key, values
        return self


class ConfigError(BotError):
    """Settings are missing or bad; `problems` holds one line per problem, each with its fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.user_message())

    def user_message(self) -> str:
        lines = ["drs-bot cannot start; fix these settings (environment variables):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class PolicyError(ConfigError):
    """The access policy file (ACCESS_POLICY) does not parse; names the file and the line."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        self.source, self.line, self.reason = source, line, reason
        super().__init__([f"ACCESS_POLICY: {self.where()}: {reason}"])

    def where(self) -> str:
        return f"{self.source}, line {self.line}" if self.line else self.source


class UsageError(BotError):
    """The user typed something the bot does not understand; the message shows the right form."""


class InvalidJobId(UsageError):
    """Text that is not a DRS job ID."""


class InvalidOption(UsageError):
    """An option value outside the fixed set DRS takes (checked before anything is sent)."""


class StoreError(BotError):
    """The database failed or is not usable."""


class SchemaBehind(StoreError):
    """The database schema is older than this code's newest migration."""
