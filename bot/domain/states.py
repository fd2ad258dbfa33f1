"""The bot's vocabulary of states: one StrEnum per question, shared by every layer.

- `WatchState`: a stored watch's lifecycle (`drs_watches.state`).
- `CardState`: what a status card says about its watch (a superset: `WATCHING`, `FINISHED`).
- `EndState`: how the watcher's policy can end a watch (a subset of `WatchState`).

Stored or received values are turned into members with `parse_*`, which return None for a value
this version does not know and never raise; the caller logs it, and a card shows an unknown
stored watch state verbatim (`bot.render.views`).
"""

from __future__ import annotations

from enum import StrEnum


class WatchState(StrEnum):
    """A watch's stored lifecycle state."""

    ACTIVE = "active"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    STOPPED = "stopped"
    EXPIRED = "expired"
    UNDELIVERABLE = "undeliverable"

    @property
    def active(self) -> bool:
        return self is WatchState.ACTIVE


class EndState(StrEnum):
    """How the watcher's policy ends a watch (each is also a `WatchState` and a `CardState`)."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    EXPIRED = "expired"

    @property
    def watch_state(self) -> WatchState:
        return WatchState(self.value)

    @property
    def card_state(self) -> CardState:
        return CardState(self.value)


class CardState(StrEnum):
    """What a status card says about its watch."""

    WATCHING = "watching"  # the watch is active
    FINISHED = "finished"  # the job had already ended when asked: shown, not watched
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    STOPPED = "stopped"
    EXPIRED = "expired"
    UNDELIVERABLE = "undeliverable"

    @classmethod
    def of_watch(cls, state: WatchState) -> CardState:
        """The card state of a stored watch: watching while active, else its end."""
        return cls.WATCHING if state is WatchState.ACTIVE else cls(state.value)


def parse_watch_state(value: object) -> WatchState | None:
    """The member named by a stored value, or None for anything unknown."""
    if not isinstance(value, str):
        return None
    try:
        return WatchState(value)
    except ValueError:
        return None


def parse_end_state(value: object) -> EndState | None:
    if not isinstance(value, str):
        return None
    try:
        return EndState(value)
    except ValueError:
        return None


def parse_card_state(value: object) -> CardState | None:
    if not isinstance(value, str):
        return None
    try:
        return CardState(value)
    except ValueError:
        return None
