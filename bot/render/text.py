"""Formatting every message shares: clipping, users and channels, dates, rows, phases, durations.

Everything from a user or from DRS passes through `literal` (or `code`, always a code span) here
before it reaches mrkdwn, so it is shown as text and can never ping, link or format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from bot.domain.commands import Language
from bot.domain.progress import Phase, Progress
from bot.domain.quoting import quote_untrusted
from bot.render.catalog import t
from bot.render.message import escape

EN = Language.EN_US

PHASE_EMOJI = {
    Phase.UPLOADING: ":inbox_tray:",
    Phase.PARSING: ":hourglass_flowing_sand:",
    Phase.SUCCEEDED: ":white_check_mark:",
    Phase.FAILED: ":x:",
}
# Slack user IDs start with U (or W in Enterprise Grid); anything else is shown as text.
USER_ID = re.compile(r"^[UW][A-Z0-9]{1,30}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,20}$")
_MAX_DRS_TEXT = 200  # DRS error messages can be long; a push shows a line or two
# The start of an entity (`&amp;`) or of a `<...>` token the cut would leave unfinished.
_OPEN_AT_END = re.compile(r"&[a-z]{0,3}$|<[^<>]{0,400}$")


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis, so no block breaks Slack's limits.

    The cut never leaves half an entity or half a link, mention or date: it backs off to
    before it, so clipping escaped mrkdwn is as safe as clipping before escaping.
    """
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 0)]
    if unfinished := _OPEN_AT_END.search(head, max(len(head) - 410, 0)):
        head = head[: unfinished.start()]
    return head + "…"


def short_job_id(job_id: str) -> str:
    """`c7debc9c…jb20r`: enough to recognise a job in a phone notification."""
    if len(job_id) <= 16:
        return job_id
    return f"{job_id[:8]}…{job_id[-5:]}"


def literal(text: str, limit: int = _MAX_DRS_TEXT) -> str:
    """Untrusted text (a user's, DRS's) shown as it reads: one line, clipped, then escaped;
    plain words stay plain, anything that could format becomes an inline code span."""
    return escape(quote_untrusted(text, limit))


def code(text: str, limit: int = 120) -> str:
    """Untrusted text always shown as inline code: one line, clipped, no backticks, escaped."""
    return escape(quote_untrusted(text, limit, code=True))


def drs_text(text: str | None) -> str:
    """DRS's own words as a `literal`, shortened so a push still reads."""
    return literal(text or "", _MAX_DRS_TEXT)


def link(url: str, label: str) -> str:
    """A mrkdwn link; the characters that would end or split it are dropped from the URL."""
    safe = url.replace("<", "").replace(">", "").replace("|", "")
    return f"<{safe}|{label}>"


def user_ref(user: str) -> str:
    """`<@U123>` for a Slack user ID (renders as a name); anything else escaped as text."""
    return f"<@{user}>" if USER_ID.match(user) else literal(user, 80)


def channel_ref(channel_id: str) -> str:
    return f"<#{channel_id}>" if _CHANNEL_ID.match(channel_id) else code(channel_id, 40)


def users_line(users: Sequence[str], limit: int = 8, *, lang: Language = EN) -> str:
    shown = ", ".join(user_ref(u) for u in users[:limit])
    more = len(users) - limit
    return t(lang, "users.more", users=shown, more=more) if more > 0 else shown


def or_list(items: Sequence[str], *, lang: Language = EN) -> str:
    """`a or b or c` (`a 或 b 或 c`): a list of alternatives, joined by the language's word."""
    if not items:
        return ""
    joined = items[0]
    for item in items[1:]:
        joined = t(lang, "list.or", first=joined, second=item)
    return joined


def mentions(users: Iterable[str | None]) -> str:
    """`<@U1> <@U2>`, each user once; anything not a user ID is dropped (it would not ping)."""
    seen: list[str] = []
    for user in users:
        if user and USER_ID.match(user) and user not in seen:
            seen.append(user)
    return " ".join(f"<@{u}>" for u in seen)


def plain_date(when: datetime, *, lang: Language = EN) -> str:
    """A date and time in UTC as plain text: `2026-11-29 11:28 UTC`, `2026年11月29日 11:28 UTC`."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    utc = when.astimezone(UTC)
    return t(
        lang,
        "date.plain",
        year=utc.year,
        month=utc.month,
        day=utc.day,
        time=utc.strftime("%H:%M"),
    )


def slack_date(when: datetime, *, lang: Language = EN) -> str:
    """Slack's date token: each reader sees their own local time; the fallback is UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    epoch = int(when.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{plain_date(when, lang=lang)}>"


def format_number(number: int, *, lang: Language = EN) -> str:
    """`12,340` in both languages (Chinese software writes thousands this way too)."""
    del lang
    return f"{number:,}"


def format_rows(rows: int | None, *, lang: Language = EN) -> str:
    """`12,340 rows`, `1 row`, or `no row count yet` (`12,340 行` in Chinese)."""
    if rows is None:
        return t(lang, "rows.unknown")
    key = "rows.one" if rows == 1 else "rows.many"
    return t(lang, key, count=format_number(rows, lang=lang))


def format_duration(delta: timedelta, *, lang: Language = EN) -> str:
    """Human durations: `under 1 min`, `14 min`, `1 h 05 min`, `24 h` (`3 分钟` in Chinese)."""
    minutes = int(max(delta, timedelta(0)) / timedelta(minutes=1))
    if minutes < 1:
        return t(lang, "duration.under_minute")
    if minutes < 60:
        return t(lang, "duration.minutes", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return t(lang, "duration.hours", hours=hours)
    return t(lang, "duration.hours_minutes", hours=hours, minutes=f"{rest:02d}")


def rows_field(progress: Progress | None, *, lang: Language = EN) -> str:
    """The card's rows: `12,340`; DRS's odd value verbatim; `none yet` when absent."""
    if progress is None:
        return t(lang, "rows.field_unknown")
    if progress.parsed_success_number is not None:
        return format_number(progress.parsed_success_number, lang=lang)
    if progress.parsed_success_raw:
        return code(progress.parsed_success_raw, 40)
    return t(lang, "rows.field_none")


def upload_text(progress: Progress | None, *, lang: Language = EN) -> str:
    if progress is None or progress.send_success is None:
        return t(lang, "upload.not_reported")
    return t(lang, "upload.complete" if progress.send_success else "upload.incomplete")


def phase_word(phase: Phase, *, lang: Language = EN) -> str:
    """`parsing`, `解析中`: the phase in words."""
    return t(lang, f"phase.{phase.value}")


def phase_text(progress: Progress, *, lang: Language = EN) -> str:
    """Phase with emoji; a not-final DRS status we do not know is shown verbatim beside it."""
    phase = progress.phase
    text = f"{PHASE_EMOJI[phase]} {phase_word(phase, lang=lang)}"
    status = (progress.process_status or "").strip()
    if status and not phase.finished:
        text = t(lang, "phase.with_status", phase=text, status=code(status, 60))
    return text
