"""The nouns every layer shares: job progress, watch and card states, what a watch was told.

Nothing here does I/O or imports another part of the bot: `drs`, `store`, `render`, `slack` and
`watcher` all build on these types, never the other way round.
"""

from bot.domain.commands import DEFAULT_COMMAND, DEFAULT_LANGUAGE, Language
from bot.domain.progress import Phase, Progress, derive_phase, parse_rows
from bot.domain.states import (
    CardState,
    EndState,
    WatchState,
    parse_card_state,
    parse_end_state,
    parse_watch_state,
)
from bot.domain.watching import (
    Note,
    Observation,
    Outcome,
    ReplyKind,
    Told,
    WatchFacts,
    initial_told,
    parse_note,
)

__all__ = [
    "DEFAULT_COMMAND",
    "DEFAULT_LANGUAGE",
    "CardState",
    "EndState",
    "Language",
    "Note",
    "Observation",
    "Outcome",
    "Phase",
    "Progress",
    "ReplyKind",
    "Told",
    "WatchFacts",
    "WatchState",
    "derive_phase",
    "initial_told",
    "parse_card_state",
    "parse_end_state",
    "parse_note",
    "parse_rows",
    "parse_watch_state",
]
