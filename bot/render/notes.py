"""The words of a card's note: the short line under a card saying why it is not moving."""

from __future__ import annotations

from typing import Protocol

from bot.domain.watching import Note


class NoteSettings(Protocol):
    """The settings a note names (the watcher's policy settings have them)."""

    @property
    def stall_minutes(self) -> float: ...

    @property
    def watch_max_hours(self) -> float: ...


def note_text(note: Note, settings: NoteSettings) -> str:
    """What the card says for `note`."""
    if note is Note.UNREACHABLE:
        return "DRS is not answering; still trying."
    if note is Note.CREDENTIALS:
        return "DRS refused the bot's credentials; an operator must fix them."
    if note is Note.STALLED:
        return f"No change for {settings.stall_minutes:g} min."
    if note is Note.NOT_FOUND:
        return "DRS no longer knows this job; stopped watching."
    return f"Stopped watching after {settings.watch_max_hours:g} h."


def first_check_failed(detail: str) -> str:
    """The note of a card posted while DRS could not be reached for the first check.

    Notes are words, not mrkdwn: the card shows them as a `literal`, DRS's detail included.
    """
    return f"DRS could not be reached yet ({detail}); I keep trying."
