"""The nouns every layer shares: job progress, watch and card states, what a watch was told.

Nothing here does I/O or imports another part of the bot: `drs`, `store`, `render`, `slack` and
`watcher` all build on these types, never the other way round.
"""

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
    CARD_STATES,
    END_STATES,
    WATCHING,
    Observation,
    Outcome,
    ReplyKind,
    Told,
    WatchFacts,
    initial_told,
)

__all__ = [
    "CARD_STATES",
    "END_STATES",
    "WATCHING",
    "CardState",
    "EndState",
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
    "parse_rows",
    "parse_watch_state",
]
