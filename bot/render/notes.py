"""The words of a card's note: the short line under a card saying why it is not moving."""

from __future__ import annotations

from typing import Protocol

from bot.domain.commands import Language
from bot.domain.watching import Note
from bot.render.catalog import t

EN = Language.EN_US


class NoteSettings(Protocol):
    """The settings a note names (the watcher's policy settings have them)."""

    @property
    def stall_minutes(self) -> float: ...

    @property
    def watch_max_hours(self) -> float: ...


def note_text(note: Note, settings: NoteSettings, *, lang: Language = EN) -> str:
    """What the card says for `note`."""
    if note is Note.UNREACHABLE:
        return t(lang, "note.unreachable")
    if note is Note.CREDENTIALS:
        return t(lang, "note.credentials")
    if note is Note.STALLED:
        return t(lang, "note.stalled", minutes=f"{settings.stall_minutes:g}")
    if note is Note.NOT_FOUND:
        return t(lang, "note.not_found")
    return t(lang, "note.expired", hours=f"{settings.watch_max_hours:g}")


def first_check_failed(detail: str, *, lang: Language = EN) -> str:
    """The note of a card posted while DRS could not be reached for the first check.

    Notes are words, not mrkdwn: the card shows them as a `literal`, DRS's detail included.
    """
    return t(lang, "note.first_check_failed", detail=detail)
