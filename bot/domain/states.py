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
from typing import TypeVar

_E = TypeVar("_E", bound=StrEnum)


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


def _member(kind: type[_E], value: object) -> _E | None:
    """The member of `kind` named by a stored or received value, or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def parse_watch_state(value: object) -> WatchState | None:
    return _member(WatchState, value)


def parse_end_state(value: object) -> EndState | None:
    return _member(EndState, value)


def parse_card_state(value: object) -> CardState | None:
    return _member(CardState, value)
