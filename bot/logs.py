"""Logging setup: text or one JSON object a line, every configured secret masked in both."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from bot.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What a JSON line may carry besides level, logger and message, where it is known: set for a
# stretch of work by `log_context`, or for one line by `extra=`.
CONTEXT_FIELDS = (
    "job_id",
    "watch_id",
    "team",
    "channel",
    "request_id",  # DRS's X-Request-Id
    "event_id",  # Slack's Events API event ID
    "trigger_id",  # Slack's ID of a command, action or shortcut
)
_CONTEXT: ContextVar[Mapping[str, object]] = ContextVar(
    "drs_bot_log_context", default=MappingProxyType({})
)


class log_context:
    """Within the block (and tasks started in it), JSON lines carry `fields` (None ones skipped).

    A small class rather than a generator-based context manager: the sweep enters one per poll.
    """

    __slots__ = ("_fields", "_token")

    def __init__(self, **fields: object) -> None:
        self._fields = fields
        self._token: Token[Mapping[str, object]] | None = None

    def __enter__(self) -> None:
        known = {name: value for name, value in self._fields.items() if value not in (None, "")}
        self._token = _CONTEXT.set({**_CONTEXT.get(), **known})

    def __exit__(self, *_: object) -> None:
        if self._token is not None:
            _CONTEXT.reset(self._token)
            self._token = None


def start_log_context(**fields: object) -> None:
    """From here to the end of the current task (and tasks it starts), JSON lines carry
    `fields` and nothing set before: for one request handled in a task of its own."""
    _CONTEXT.set({name: value for name, value in fields.items() if value not in (None, "")})


class Masker:
    """Replaces secret values with `[redacted]`, longest first (one may contain another)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


class SecretFilter(logging.Filter):
    """Replace secret values in log records with `[redacted]` (defence in depth)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._mask = Masker(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._mask.secrets:
            return True
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True


class TextFormatter(logging.Formatter):
    """The text line, masked once more as a whole (a traceback is formatted after filters ran)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__(TEXT_FORMAT)
        self._mask = Masker(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._mask(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the known context, a traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._mask = Masker(secrets)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_CONTEXT.get())
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        # Masked before encoding: JSON escapes could otherwise hide a secret from the mask.
        masked = {k: self._mask(v) if isinstance(v, str) else v for k, v in entry.items()}
        return self._mask(json.dumps(masked, ensure_ascii=False, default=str))


def secret_values(settings: Settings) -> list[str]:
    """Every secret setting's value, and the password inside a proxy URL on its own."""
    values = []
    for value in settings.model_dump().values():
        if isinstance(value, SecretStr):
            values.append(value.get_secret_value())
    for proxy in (settings.https_proxy, settings.http_proxy):
        if proxy is not None:
            password = urlsplit(proxy.get_secret_value()).password
            values += [password, unquote(password)] if password else []
    return values


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> None:
    """Root logging to stderr (or `stream`) at LOG_LEVEL in LOG_FORMAT, secrets masked."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    secrets = secret_values(settings)
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonFormatter(secrets) if json_lines else TextFormatter(secrets))
    handler.addFilter(SecretFilter(secrets))
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Third-party chatter that would log request details (proxy URLs too) at DEBUG/INFO, and
    # APScheduler's line for every run of every job.
    for noisy in ("httpx", "httpcore", "apscheduler", "slack_sdk"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
