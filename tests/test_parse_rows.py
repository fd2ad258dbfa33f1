"""`parse_rows`: a count that fits a 64-bit column, or None (the raw text is shown instead)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.progress import MAX_ROWS, Progress, parse_rows


@pytest.mark.parametrize(
    ("raw", "rows"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("000000000042", 42),
        ("0", 0),
        ("1,234", 1234),
        (str(MAX_ROWS), MAX_ROWS),
        (str(MAX_ROWS + 1), None),
        ("9" * 25, None),
        ("0" * 100 + "7", 7),
        ("9" * 5000, None),
        ("1e9", None),
        ("-5", None),
        ("１２", None),
        ("", None),
        (",", None),
        (2**63, None),
        (-1, None),
        (True, None),
        (1.5, None),
    ],
)
def test_counts_that_fit_are_parsed_the_rest_give_none(raw: object, rows: int | None) -> None:
    assert parse_rows(raw) == rows


def test_a_count_too_large_keeps_its_raw_text() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    progress = Progress.from_body("j", {"parsed_success_number": str(2**64)}, now)
    assert progress.parsed_success_number is None
    assert progress.parsed_success_raw == str(2**64)
