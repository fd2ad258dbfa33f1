"""Logging setup, with a filter that masks every configured secret wherever it appears."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from bot.config import Settings


class SecretFilter(logging.Filter):
    """Replace secret values in log records with `[redacted]` (defence in depth)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, "[redacted]")
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, "[redacted]")
        return True


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


def configure_logging(settings: Settings) -> None:
    """Root logging to stderr at LOG_LEVEL, secrets masked in every handler."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(secret_values(settings)))
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Third-party chatter that would log request details (proxy URLs too) at DEBUG/INFO, and
    # APScheduler's line for every run of every job.
    for noisy in ("httpx", "httpcore", "apscheduler", "slack_sdk"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
