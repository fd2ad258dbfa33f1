"""Link previews: valid Block Kit, both buttons, and no markup from the link or DRS."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.progress import Progress
from bot.render.message import Message
from bot.render.unfurls import (
    ACTION_UNFURL_REFRESH,
    ACTION_UNFURL_WATCH,
    unfurl_other_region,
    unfurl_problem,
    unfurl_progress,
)
from tests.render.payloads import assert_safe_payload

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def buttons(message: Message) -> list[str]:
    return [
        e["action_id"] for b in message.blocks for e in b.get("elements", []) if "action_id" in e
    ]


def test_a_progress_preview_has_watch_in_thread_and_refresh() -> None:
    progress = Progress(JOB, True, "<!here> odd", None, "<@U1>", AT)
    message = unfurl_progress(progress, checked_at=AT)
    assert_safe_payload(message)
    assert buttons(message) == [ACTION_UNFURL_WATCH, ACTION_UNFURL_REFRESH]


def test_a_problem_keeps_the_buttons_and_another_region_is_named() -> None:
    problem = unfurl_problem(JOB, Message("DRS is down", []))
    assert buttons(problem) == [ACTION_UNFURL_WATCH, ACTION_UNFURL_REFRESH]
    other = unfurl_other_region(JOB, region="ap-southeast-1", ours="cn-north-4")
    assert_safe_payload(other)
    assert "ap-southeast-1" in other.blocks[0]["text"]["text"]
