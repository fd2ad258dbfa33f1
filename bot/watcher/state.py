"""The policy's own types: its settings, one delivery (`Action`) and a whole `Decision`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.domain.commands import DEFAULT_COMMAND
from bot.domain.states import CardState, EndState
from bot.domain.watching import Note, ReplyKind, Told

if TYPE_CHECKING:
    from bot.config import Settings


@dataclass(frozen=True)
class PolicyConfig:
    progress_reply_minutes: float = 10.0
    stall_minutes: float = 30.0
    failure_notice_after: int = 5
    final_broadcast: bool = True
    watch_max_hours: float = 24.0
    # A card whose only change is its row count is edited at most this often (phase changes,
    # notes and final states are shown at once): a fast-moving parse must not spam edits.
    card_refresh_seconds: float = 60.0
    command: str = DEFAULT_COMMAND  # named in replies that say how to watch again

    @classmethod
    def from_settings(cls, settings: Settings) -> PolicyConfig:
        return cls(
            progress_reply_minutes=settings.progress_reply_minutes,
            stall_minutes=settings.stall_minutes,
            failure_notice_after=settings.failure_notice_after,
            final_broadcast=settings.final_broadcast,
            watch_max_hours=settings.watch_max_hours,
            card_refresh_seconds=settings.card_refresh_seconds,
            command=settings.slack_command,
        )


class ActionKind(StrEnum):
    CARD = "card"  # edit the card
    REPLY = "reply"  # post in the watch's thread
    REACTION = "reaction"  # react on the card


@dataclass(frozen=True)
class Action:
    """One delivery; the sweep performs actions in order and records `told_after` after each."""

    kind: ActionKind
    told_after: Told
    reply: ReplyKind | None = None
    broadcast: bool = False  # reply_broadcast, for final SUCCEEDED/FAILED replies
    reaction: str | None = None  # an emoji name: "white_check_mark" / "x"
    card_state: CardState | None = None  # for CARD
    card_note: Note | None = None  # for CARD


@dataclass(frozen=True)
class Decision:
    actions: tuple[Action, ...]
    end_state: EndState | None  # None: keep watching
    told: Told  # what to record once every action is delivered
