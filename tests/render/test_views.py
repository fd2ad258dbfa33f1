"""A card's view from stored rows: any object with their attributes will do; unknown states show."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.domain import CardState, Progress
from bot.render.cards import watch_card
from bot.render.views import card_view

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


@dataclass
class Row:
    id: int = 7
    state: str = "active"
    requested_by: str = "U0ASKER1"
    joined_by: list[str] = field(default_factory=list)
    job_type: str = ""


@dataclass
class Job:
    job_id: str = JOB
    stored: Progress | None = None
    job_name: str | None = None
    engine_type: str | None = None
    job_direction: str | None = None

    def progress(self) -> Progress | None:
        return self.stored


def test_an_active_watch_is_watching_with_its_buttons() -> None:
    view = card_view(Row(), Job())
    assert view.state is CardState.WATCHING and view.watch_id == 7 and view.state_raw is None


@pytest.mark.parametrize("state", ["stopped", "expired", "undeliverable", "not_found"])
def test_an_ended_watch_shows_its_end_and_no_buttons(state: str) -> None:
    view = card_view(Row(state=state), Job())
    assert view.state == state and view.watch_id is None


def test_a_given_state_wins_over_the_stored_one() -> None:
    assert card_view(Row(), Job(), state=CardState.STOPPED).state is CardState.STOPPED


def test_an_unknown_stored_state_is_logged_and_shown_verbatim(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.render.views"):
        view = card_view(Row(state="paused<&>"), Job())
    assert "'paused<&>'" in caplog.text
    assert view.state is None and view.state_raw == "paused<&>" and view.watch_id is None
    card = watch_card(view)
    blob = str(card.blocks)
    assert "Watch state `paused&lt;&amp;&gt;`" in blob
    assert not any(b["type"] == "actions" for b in card.blocks)
