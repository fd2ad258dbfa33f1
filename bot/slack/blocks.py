"""Block Kit pieces and formatting shared by the cards: limits, dates, rows, phases, users."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.domain.progress import Phase, Progress
from bot.slack.message import escape

# Slack's limits (FACTS.md); we stay under them with room to spare.
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_TEXT = 3000  # top-level `text`: phones show little anyway
MAX_TOTAL = 12000  # ~13k in all has failed with msg_blocks_too_long

PHASE_EMOJI = {
    Phase.UPLOADING: ":inbox_tray:",
    Phase.PARSING: ":hourglass_flowing_sand:",
    Phase.SUCCEEDED: ":white_check_mark:",
    Phase.FAILED: ":x:",
}
_USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{1,20}$")
_CHANNEL_ID_RE = re.compile(r"^[CGD][A-Z0-9]{1,20}$")


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis, so no block breaks Slack's limits."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code(text: str, limit: int = 120) -> str:
    """Untrusted text shown verbatim as inline code: escaped, no backticks, clipped."""
    safe = clip(text, limit).replace("`", "'")
    return f"`{escape(safe)}`"


def user_ref(user: str) -> str:
    """`<@U123>` for a Slack user ID (renders as a name); anything else escaped as text."""
    return f"<@{user}>" if _USER_ID_RE.match(user) else escape(clip(user, 80))


def channel_ref(channel_id: str) -> str:
    return f"<#{channel_id}>" if _CHANNEL_ID_RE.match(channel_id) else code(channel_id, 40)


def users_line(users: tuple[str, ...] | list[str], limit: int = 8) -> str:
    shown = [user_ref(u) for u in users[:limit]]
    more = len(users) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def slack_date(when: datetime) -> str:
    """Slack's date token: each reader sees their own local time; the fallback is UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    epoch = int(when.timestamp())
    fallback = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback}>"


def rows_text(progress: Progress | None) -> str:
    """`12,340` with thousands separators; DRS's odd value verbatim; `none yet` when absent."""
    if progress is None:
        return "not known yet"
    if progress.parsed_success_number is not None:
        return f"{progress.parsed_success_number:,}"
    if progress.parsed_success_raw:
        return code(progress.parsed_success_raw, 40)
    return "none yet"


def rows_plain(progress: Progress | None) -> str | None:
    """Rows for the phone-push text, or None when DRS gave no count."""
    if progress is None or progress.parsed_success_number is None:
        return None
    n = progress.parsed_success_number
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def upload_text(progress: Progress | None) -> str:
    if progress is None or progress.send_success is None:
        return "not reported"
    return "complete" if progress.send_success else "not complete yet"


def phase_text(progress: Progress) -> str:
    """Phase with emoji; a not-final DRS status we do not know is shown verbatim beside it."""
    phase = progress.phase
    text = f"{PHASE_EMOJI[phase]} {phase.value}"
    status = (progress.process_status or "").strip()
    if status and not phase.finished:
        text += f" (DRS status {code(status, 60)})"
    return text


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    # A section holds at most 10 fields.
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", MAX_FIELD)}
            for label, value in pairs[:10]
        ],
    }


def context(parts: list[str]) -> dict[str, Any]:
    parts = [p for p in parts if p][:MAX_CONTEXT_ELEMENTS]
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(p, MAX_FIELD)} for p in parts],
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def blocks_size(blocks: list[dict[str, Any]]) -> int:
    """A rough character count of all texts, the measure Slack's total limit uses."""
    total = 0
    stack: list[Any] = list(blocks)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            total += len(item)
    return total
