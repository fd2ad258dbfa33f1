"""Which Slack lane the running code sends in: people's own answers first, the watcher after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_BACKGROUND: ContextVar[bool] = ContextVar("slack_background", default=False)


@contextmanager
def background() -> Iterator[None]:
    """Slack messages sent inside this block queue behind interactive ones (see slack/pacing)."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


def in_background() -> bool:
    """Whether the running code is inside `background()`."""
    return _BACKGROUND.get()
