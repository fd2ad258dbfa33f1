"""What a watch was told survives storage: enums in, the same strings out, old rows read back."""

from __future__ import annotations

import json
import logging

import pytest

from bot.domain import CardState, EndState, Note, Phase, Told, parse_note
from bot.render.notes import note_text
from bot.watcher.state import PolicyConfig


def test_told_is_stored_as_plain_strings() -> None:
    told = Told(
        card_phase=Phase.PARSING,
        card_state=CardState.WATCHING,
        card_note=Note.STALLED,
        final=True,
        end_state=EndState.NOT_FOUND,
    )
    stored = json.loads(json.dumps(told.to_dict()))
    assert stored["card_state"] == "watching" and type(told.to_dict()["card_state"]) is str
    assert stored["card_note"] == "stalled" and stored["end_state"] == "not_found"
    assert Told.from_dict(stored) == told


@pytest.mark.parametrize(
    "config", [PolicyConfig(), PolicyConfig(stall_minutes=7.5, watch_max_hours=2)]
)
@pytest.mark.parametrize("note", list(Note))
def test_a_note_stored_as_words_by_older_versions_reads_back_as_the_same_note(
    note: Note, config: PolicyConfig
) -> None:
    # Older rows hold the note's words; reading them must not make the card look changed.
    assert parse_note(note_text(note, config)) is note
    assert Told.from_dict({"card_note": note_text(note, config)}).card_note is note


def test_unknown_stored_values_are_logged_and_never_raise(caplog: pytest.LogCaptureFixture) -> None:
    data = {"card_state": "paused", "end_state": "cancelled", "card_note": "Something new."}
    with caplog.at_level(logging.WARNING, logger="bot.domain.watching"):
        told = Told.from_dict(data)
    assert (told.card_state, told.end_state, told.card_note) == (None, None, None)
    logged = caplog.text
    assert "'paused'" in logged and "'cancelled'" in logged and "'Something new.'" in logged


def test_missing_values_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.domain.watching"):
        assert Told.from_dict({}) == Told()
    assert caplog.text == ""
