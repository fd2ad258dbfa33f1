"""Reply texts: each reads alone in a phone push, with rows, durations and mentions done right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.progress import Progress
from bot.domain.watching import Observation, Outcome, ReplyKind, WatchFacts
from bot.render.replies import render_observed, render_reply
from bot.render.text import format_duration, format_rows, mentions
from bot.watcher.state import PolicyConfig

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
FACTS = WatchFacts(
    created_at=T0, expires_at=T0 + timedelta(hours=24), requested_by="U123", joined_by=("U456",)
)
CONFIG = PolicyConfig()


def prog(send: bool | None, status: str | None, rows: int | None, minutes: float) -> Progress:
    return Progress(JOB, send, status, rows, None, T0 + timedelta(minutes=minutes))


def render(kind: ReplyKind, progress: Progress | None, **kw: object) -> str:
    kw.setdefault("facts", FACTS)
    kw.setdefault("config", CONFIG)
    kw.setdefault("now", T0 + timedelta(minutes=90))
    message = render_reply(kind, job_id=JOB, progress=progress, **kw)  # type: ignore[arg-type]
    assert message.blocks[0]["text"]["text"] == message.text
    return message.text


EXPECTED = {
    ReplyKind.PHASE: (
        prog(True, None, 1200, 3),
        "DRS c7debc9c…jb20r: upload complete, now parsing, 1,200 rows",
    ),
    ReplyKind.PROGRESS: (
        prog(True, "pending", 12340, 20),
        "DRS c7debc9c…jb20r: parsing (status pending), 12,340 rows so far",
    ),
    ReplyKind.SUCCEEDED: (
        prog(True, "success", 12340, 14),
        "DRS c7debc9c…jb20r parsed: 12,340 rows in 14 min ✅ <@U123> <@U456>",
    ),
    ReplyKind.FAILED: (
        prog(True, "failed", 1, 65),
        "DRS c7debc9c…jb20r parse failed after 1 h 05 min ❌ (1 row parsed). "
        "Download the import result to see the errors. <@U123> <@U456>",
    ),
    ReplyKind.STALLED: (
        prog(True, None, 500, 80),
        "DRS c7debc9c…jb20r: no change for 30 min (parsing, 500 rows). Still watching; "
        "if this is unexpected, check the task on the DRS console.",
    ),
    ReplyKind.EXPIRED: (
        prog(False, None, None, 80),
        "DRS c7debc9c…jb20r: stopped watching after 24 h (last seen: uploading the template). "
        f"Type `/drs-progress {JOB}` to watch it again. <@U123> <@U456>",
    ),
    ReplyKind.REACHABLE_AGAIN: (
        prog(True, None, 0, 80),
        "DRS c7debc9c…jb20r: DRS is reachable again; parsing, 0 rows.",
    ),
}


@pytest.mark.parametrize("kind", EXPECTED.keys())
def test_reply_text_reads_alone(kind: ReplyKind) -> None:
    progress, text = EXPECTED[kind]
    assert render(kind, progress) == text


def test_failed_reply_gives_the_next_step_in_blocks() -> None:
    message = render_reply(
        ReplyKind.FAILED,
        job_id=JOB,
        progress=prog(True, "failed", 40, 5),
        facts=FACTS,
        now=T0,
        config=CONFIG,
        project_id="0123abcd",
    )
    step = message.blocks[1]["text"]["text"]
    assert f"GET /v5/0123abcd/jobs/{JOB}/db-object/template/result?type=detail" in step
    assert "download the import result" in step
    assert f"/drs-progress {JOB}" in step


def test_took_counts_from_first_seen_when_known() -> None:
    text = render(
        ReplyKind.SUCCEEDED,
        prog(True, "success", 5, 125),
        first_seen_at=T0 + timedelta(minutes=5),
    )
    assert "in 2 h ✅" in text


def test_not_found_quotes_drs_escaped_and_ends_the_watch() -> None:
    text = render(ReplyKind.NOT_FOUND, None, error_message="Job <!channel> does not exist & gone")
    assert text.startswith("DRS c7debc9c…jb20r no longer exists in DRS")
    assert "&lt;!channel&gt;" in text and "&amp;" in text and "<!channel>" not in text
    assert "stopped watching" in text and text.endswith("<@U123> <@U456>")


def test_unreachable_says_still_trying_with_count_and_reason() -> None:
    text = render(
        ReplyKind.UNREACHABLE, prog(True, None, 7, 3), failures=5, error_message="HTTP 503"
    )
    assert text == (
        "DRS c7debc9c…jb20r: DRS is unreachable after 5 failed checks (HTTP 503), "
        "still trying. Last seen: parsing, 7 rows."
    )


def test_credentials_reply_tells_operators_what_to_fix() -> None:
    text = render(ReplyKind.CREDENTIALS, None, error_message="token expired " + "x" * 500)
    assert "refused the bot's credentials" in text
    assert "DRS_AUTH_TOKEN" in text and "DRS_PROJECT_ID" in text and "restart" in text
    assert "x" * 200 not in text  # DRS's words are shortened


def test_unknown_status_from_drs_is_escaped() -> None:
    text = render(ReplyKind.PROGRESS, prog(True, "<b>odd</b>", 3, 1))
    assert "status &lt;b&gt;odd&lt;/b&gt;" in text


def test_expired_hours_follow_config_and_command() -> None:
    config = PolicyConfig(watch_max_hours=1.5, command="/drs")
    text = render(ReplyKind.EXPIRED, None, config=config)
    assert "stopped watching after 1 h 30 min (last seen: no progress seen yet)" in text
    assert f"`/drs {JOB}`" in text


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=20), "under 1 min"),
        (timedelta(seconds=-5), "under 1 min"),
        (timedelta(minutes=14, seconds=59), "14 min"),
        (timedelta(minutes=65), "1 h 05 min"),
        (timedelta(hours=24), "24 h"),
        (timedelta(hours=50, minutes=1), "50 h 01 min"),
    ],
)
def test_durations_are_human(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


def test_rows_have_thousands_separators() -> None:
    assert format_rows(1234567) == "1,234,567 rows"
    assert format_rows(1) == "1 row"
    assert format_rows(None) == "no row count yet"


def test_mentions_are_deduplicated_and_only_user_ids() -> None:
    assert mentions(["U1AB", "U1AB", "W2CD", "<!here>", "", None]) == "<@U1AB> <@W2CD>"
    assert mentions([]) == ""


def test_no_mentions_leaves_no_trailing_space() -> None:
    text = render(ReplyKind.SUCCEEDED, prog(True, "success", 2, 3), facts=WatchFacts(T0, T0))
    assert text.endswith("✅")


def test_render_observed_uses_the_observation() -> None:
    obs = Observation(
        Outcome.UNAVAILABLE, prog(True, None, 9, 2), 6, None, T0, error_message="HTTP 502"
    )
    message = render_observed(
        ReplyKind.UNREACHABLE, job_id=JOB, obs=obs, facts=FACTS, now=T0, config=CONFIG
    )
    assert "after 6 failed checks (HTTP 502)" in message.text and "9 rows" in message.text
