"""What the bot says around template files: the blank template, uploads, the marked result."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.commands import Language
from bot.errors import BotError, DrsError, UploadRefused
from bot.render.answers import mention_form
from bot.render.blocks import MAX_TEXT, section
from bot.render.catalog import t
from bot.render.errors import error_text
from bot.render.message import Message, escape
from bot.render.text import EN, clip, literal, short_job_id


def template_comment(job_id: str, *, bot_user_id: str | None, lang: Language = EN) -> str:
    """The one line posted with the blank template: how to fill it and send it back."""
    return t(lang, "files.template", job_id=escape(job_id), bot=mention_form(bot_user_id))


def template_not_fetched(job_id: str, error: BotError, *, lang: Language = EN) -> Message:
    """DRS did not give the blank template."""
    detail = escape(clip(error_text(error, lang), MAX_TEXT - 200))
    head = t(lang, "files.template_not_fetched", job_id=escape(job_id))
    return Message(f"{head}: {detail}", [section(f"{head}\n{detail}")])


def template_not_posted(job_id: str, error: BotError, *, lang: Language = EN) -> Message:
    """The template came from DRS but Slack did not take the file."""
    detail = escape(clip(error_text(error, lang), MAX_TEXT - 200))
    return Message(t(lang, "files.template_not_posted", job_id=escape(job_id), detail=detail))


def upload_needs_a_file(job_id: str, *, bot_user_id: str | None, lang: Language = EN) -> Message:
    """`upload` without a file (or from the slash command, which cannot carry one)."""
    bot = mention_form(bot_user_id)
    return Message(t(lang, "files.needs_a_file", bot=bot, job_id=escape(job_id)))


def one_file_at_a_time(count: int, *, lang: Language = EN) -> Message:
    return Message(t(lang, "files.one_at_a_time", count=count))


def upload_refused(name: str, error: BotError, *, lang: Language = EN) -> Message:
    """A refusal before DRS (a check, Slack's download) or DRS's own answer, in words."""
    shown = literal(name, 120)
    detail = escape(clip(error_text(error, lang), MAX_TEXT - 300))
    if isinstance(error, UploadRefused):
        head = f":x: {t(lang, 'files.refused.drs', name=shown)}"
    elif isinstance(error, DrsError):
        head = f":x: {t(lang, 'files.refused.upload', name=shown)}"
    else:
        head = f":no_entry_sign: {t(lang, 'files.refused.not_uploaded', name=shown)}"
    return Message(f"{head}: {detail}", [section(f"{head}\n{detail}")])


def upload_interrupted(name: str, job_id: str, *, lang: Language = EN) -> Message:
    """A claim left `started` by a process that stopped: it may or may not have reached DRS."""
    return Message(t(lang, "files.interrupted", name=literal(name, 120), job_id=escape(job_id)))


def result_comment(
    job_id: str,
    reasons: Sequence[tuple[int, str]],
    total: int,
    *,
    column: str | None,
    lang: Language = EN,
) -> str:
    """The comment on the marked result: the first reasons (row, text) and how many."""
    head = t(lang, "files.result", job=short_job_id(job_id))
    if total == 0:
        return head
    lines = [t(lang, "files.result.row", row=row, text=literal(text, 200)) for row, text in reasons]
    key = "files.result.errors"
    if column:
        key += ".column"
    if total > len(reasons):
        key += ".first"
    summary = t(
        lang,
        key + (".one" if total == 1 else ".many"),
        head=head,
        total=total,
        column=literal(column, 60) if column else "",
        shown=len(reasons),
    )
    return "\n".join([summary, *lines])


def result_not_fetched(job_id: str, *, lang: Language = EN) -> str:
    """The final reply's addition when the marked result could not be had."""
    return t(lang, "files.result_not_fetched", job_id=escape(job_id))
