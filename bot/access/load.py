"""The gate a process starts with, from its settings (ACCESS_POLICY), logged once."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.access.gate import AccessGate
from bot.clock import Clock
from bot.config import Settings

log = logging.getLogger(__name__)


def load_access(settings: Settings, *, clock: Clock | None = None) -> AccessGate:
    """An open gate without ACCESS_POLICY; otherwise its file's rules (`PolicyError` if broken)."""
    if not settings.access_policy:
        return AccessGate(clock=clock)
    gate = AccessGate.from_file(Path(settings.access_policy), clock=clock)
    rules = gate.policy.rules if gate.policy is not None else ()
    log.info("access policy %s: %d rules", settings.access_policy, len(rules))
    return gate
