"""The stand-in's optional per-channel message limit: Slack's "about one a second" as a bucket."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The calls that put a message in a channel (Slack's per-channel limit counts these).
PACED_METHODS = frozenset({"chat.postMessage", "chat.update"})


@dataclass
class ChannelLimit:
    """A token bucket per channel: one message per `interval`, bursts of up to `burst`."""

    interval: float = 1.0
    burst: int = 1
    _tokens: dict[str, tuple[float, float]] = field(default_factory=dict)  # channel -> (n, at)
    refused: int = 0

    def refuse(self, method: str, channel: str, now: float) -> int | None:
        """None when the call may go; else the Retry-After (whole seconds) to answer with."""
        if method not in PACED_METHODS or not channel:
            return None
        tokens, at = self._tokens.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) / self.interval)
        if tokens < 1.0:
            self._tokens[channel] = (tokens, now)
            self.refused += 1
            return max(1, math.ceil((1.0 - tokens) * self.interval))
        self._tokens[channel] = (tokens - 1.0, now)
        return None
