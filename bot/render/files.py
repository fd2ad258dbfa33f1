"""What the bot says around template files: the blank template, uploads, the marked result."""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import BotError, DrsError, UploadRefused
from bot.render.answers import mention_form
from bot.render.blocks import MAX_TEXT, section
from bot.render.message import Message, escape
from bot.render.text import clip, literal, short_job_id

CONSOLE_RESULT = (
    "DRS console: the job > Object import > Import result > Download (the file with each error "
    "marked)"
)


def template_comment(job_id: str, *, bot_user_id: str | None) -> str:
    """The one line posted with the blank template: how to fill it and send it back."""
    bot = mention_form(bot_user_id)
    return (
        f"Blank object import template for `{escape(job_id)}`. Fill it in, then send it back "
        f"here: attach the file to a message saying {bot} `upload {escape(job_id)}`."
    )


def template_not_fetched(job_id: str, error: BotError) -> Message:
    """DRS did not give the blank template."""
    detail = escape(clip(error.user_message(), MAX_TEXT - 200))
    head = f":x: Could not get the template of `{escape(job_id)}`"
    return Message(f"{head}: {detail}", [section(f"{head}\n{detail}")])


def template_not_posted(job_id: str, error: BotError) -> Message:
    """The template came from DRS but Slack did not take the file."""
    detail = escape(clip(error.user_message(), MAX_TEXT - 200))
    return Message(f":x: Could not post the template of `{escape(job_id)}` here: {detail}")


def upload_needs_a_file(job_id: str, *, bot_user_id: str | None) -> Message:
    """`upload` without a file (or from the slash command, which cannot carry one)."""
    bot = mention_form(bot_user_id)
    return Message(
        f":paperclip: Attach the filled template to the message that says {bot} "
        f"`upload {escape(job_id)}` (one file: .xlsx, .xls, .json, .txt or .zip). "
        "Nothing was sent to DRS."
    )


def one_file_at_a_time(count: int) -> Message:
    return Message(
        f":paperclip: That message carries {count} files; DRS takes one template at a time. "
        "Send each in its own message. Nothing was sent to DRS."
    )


def upload_refused(name: str, error: BotError) -> Message:
    """A refusal before DRS (a check, Slack's download) or DRS's own answer, in words."""
    shown = literal(name, 120)
    detail = escape(clip(error.user_message(), MAX_TEXT - 300))
    if isinstance(error, UploadRefused):
        head = f":x: DRS did not take {shown}"
    elif isinstance(error, DrsError):
        head = f":x: Could not upload {shown} to DRS"
    else:
        head = f":no_entry_sign: {shown} was not uploaded"
    return Message(f"{head}: {detail}", [section(f"{head}\n{detail}")])


def upload_interrupted(name: str, job_id: str) -> Message:
    """A claim left `started` by a process that stopped: it may or may not have reached DRS."""
    return Message(
        f":warning: The upload of {literal(name, 120)} to `{escape(job_id)}` was interrupted "
        "(the bot restarted) and is not repeated: it may or may not have reached DRS. Check "
        f"with `status {escape(job_id)}`, and upload the file again if DRS did not get it."
    )


def result_comment(
    job_id: str, reasons: Sequence[tuple[int, str]], total: int, *, column: str | None
) -> str:
    """The comment on the marked result: the first reasons (row, text) and how many."""
    head = f"Import result of `{short_job_id(job_id)}`, with each error marked."
    if total == 0:
        return head
    lines = [f"• row {row}: {literal(text, 200)}" for row, text in reasons]
    more = f" (first {len(reasons)} shown)" if total > len(reasons) else ""
    where = f" in {literal(column, 60)}" if column else ""
    rows = "1 row carries" if total == 1 else f"{total} rows carry"
    return "\n".join([f"{head} {rows} an error{where}{more}:", *lines])


def result_not_fetched(job_id: str) -> str:
    """The final reply's addition when the marked result could not be had."""
    return (
        f"The marked result of `{escape(job_id)}` could not be fetched; get it from the "
        f"{CONSOLE_RESULT}."
    )
