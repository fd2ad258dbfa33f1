"""Answers to one person's command: help, usage and DRS errors, stop confirmations, invites.

Every sentence here is escaped once, in `text` exactly as in the blocks; the untrusted parts of
error sentences (a user's input, DRS's words) were already made unable to format where they
were quoted (`quote_input`, `DrsError`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.commands import DEFAULT_COMMAND, Language
from bot.errors import BotError, DrsError, JobNotFound, SlackError
from bot.render.blocks import MAX_TEXT, context, section
from bot.render.catalog import t
from bot.render.errors import error_text
from bot.render.message import Message, escape
from bot.render.text import EN, channel_ref, clip, link, short_job_id
from bot.render.usage import Form, command_form, with_mention
from bot.render.usage import mention_form as mention_form  # where render.files takes it

EXAMPLE_JOB_ID = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def checking_message(job_ids: Sequence[str], *, lang: Language = EN) -> Message:
    """The instant acknowledgement while DRS is asked."""
    shown = ", ".join(f"`{short_job_id(j)}`" for j in job_ids)
    return Message(t(lang, "answer.checking", jobs=shown))


def _others() -> str:
    return ", ".join(f"`--lang {lang}`" for lang in Language if lang is not Language.EN_US)


def _help_commands(cmd: str, lang: Language) -> str:
    return t(lang, "help.commands", cmd=cmd, example=EXAMPLE_JOB_ID)


def _help_options(cmd: str, lang: Language) -> str:
    return t(
        lang,
        "help.options",
        others=_others(),
        default=Language.EN_US.value,
        cmd=cmd,
        example=EXAMPLE_JOB_ID,
    )


def _help_threads(bot: str, lang: Language) -> str:
    return t(lang, "help.threads", bot=bot)


def help_message(
    command_name: str, *, bot_user_id: str | None = None, lang: Language = EN
) -> Message:
    """Usage with examples: commands, options, threads (mentions) and the shortcut."""
    cmd = escape(command_name)
    bot = mention_form(bot_user_id)
    text = t(lang, "help.text", cmd=cmd)
    blocks = [
        section(_help_commands(cmd, lang)),
        section(_help_options(cmd, lang)),
        section(_help_threads(bot, lang)),
        section(t(lang, "help.config", cmd=cmd)),
    ]
    return Message(clip(text, MAX_TEXT), blocks)


def help_in_thread(
    command_name: str, *, bot_user_id: str | None = None, lang: Language = EN
) -> Message:
    """Usage with examples for someone in a thread, where only mentions work."""
    bot = mention_form(bot_user_id)
    text = t(lang, "help.thread.text", bot=bot)
    commands = t(lang, "help.thread.commands", bot=bot, example=EXAMPLE_JOB_ID)
    options = t(
        lang,
        "help.thread.options",
        others=_others(),
        default=Language.EN_US.value,
        bot=bot,
        example=EXAMPLE_JOB_ID,
    )
    channel = t(lang, "help.thread.channel", cmd=escape(command_name))
    config = t(lang, "help.thread.config", bot=bot)
    blocks = [section(commands), section(options), section(config), section(channel)]
    return Message(clip(text, MAX_TEXT), blocks)


def usage_error_message(
    message: str,
    command_name: str,
    *,
    bot_user_id: str | None = None,
    in_thread: bool = False,
    lang: Language = EN,
) -> Message:
    """A private answer to bad input: what was wrong and the right form (from the grammar)."""
    form = command_form(command_name, bot_user_id=bot_user_id, in_thread=in_thread)
    blocks = [
        section(f":warning: {with_mention(escape(message), bot_user_id)}"),
        context([t(lang, "usage.see_help", form=form("help"))]),
    ]
    return Message(with_mention(escape(clip(message, MAX_TEXT)), bot_user_id), blocks)


def drs_error_message(job_id: str, error: DrsError, *, lang: Language = EN) -> Message:
    """A DRS error about one job, in words that say what to do next."""
    emoji = ":grey_question:" if isinstance(error, JobNotFound) else ":x:"
    detail = error_text(error, lang)
    head = t(lang, "answer.could_not_check", job_id=escape(job_id))
    blocks = [section(f"{emoji} {head}\n{escape(detail)}")]
    text = t(lang, "answer.drs_error", job=short_job_id(job_id), detail=detail)
    return Message(escape(clip(text, MAX_TEXT)), blocks)


def error_message(error: BotError, *, lang: Language = EN) -> Message:
    """Any other error a person's request ran into, as its sentence (in `lang` when known)."""
    return Message(escape(clip(error_text(error, lang), MAX_TEXT)))


def stale_button(*, lang: Language = EN) -> Message:
    return Message(t(lang, "answer.stale_button"))


def watch_gone(*, lang: Language = EN) -> Message:
    return Message(t(lang, "answer.watch_gone"))


def watch_already_ended(*, lang: Language = EN) -> Message:
    return Message(t(lang, "answer.watch_already_ended"))


def card_not_accepted(error: SlackError, *, lang: Language = EN) -> Message:
    """Slack refused the new card, so nothing is watched."""
    return Message(t(lang, "answer.card_not_accepted", error=escape(str(error))))


def card_not_updated(error: SlackError, *, lang: Language = EN) -> Message:
    """Slack refused the Refresh button's edit of the card."""
    return Message(t(lang, "answer.card_not_updated", error=escape(str(error))))


def invite_hint(bot_user_id: str | None, channel_id: str, *, lang: Language = EN) -> Message:
    """Why the bot cannot post here and how to invite it (nothing was stored)."""
    bot = f"<@{bot_user_id}>" if bot_user_id else "@DRS bot"
    text = t(lang, "invite.text", bot=bot)
    body = t(lang, "invite.body", bot=bot, channel=channel_ref(channel_id))
    return Message(text, [section(body)])


def already_watching(job_id: str, permalink: str | None, *, lang: Language = EN) -> Message:
    """The job is already watched here: point at the existing card instead of a second one."""
    if permalink:
        see = link(permalink, t(lang, "answer.see_card"))
        body = t(lang, "answer.already_watching.link", job_id=escape(job_id), link=see)
    else:
        body = t(lang, "answer.already_watching", job_id=escape(job_id))
    text = t(lang, "answer.already_watching.push", job=short_job_id(job_id))
    return Message(text, [section(f":eyes: {body}")])


def stopped_message(
    job_ids: list[str], command_name: str = DEFAULT_COMMAND, *, lang: Language = EN
) -> Message:
    """Confirmation that watches ended."""
    if not job_ids:
        return nothing_to_stop(None, command_name, lang=lang)
    key = "list.count_one" if len(job_ids) == 1 else "list.count_many"
    count = t(lang, key, count=len(job_ids))
    shown = job_ids[:40]
    lines = "\n".join(f"• `{escape(j)}`" for j in shown)
    if len(job_ids) > len(shown):
        lines += "\n" + t(lang, "answer.and_more", more=len(job_ids) - len(shown))
    names = ", ".join(short_job_id(j) for j in job_ids[:5])
    if len(job_ids) > 5:
        text = t(lang, "stopped.push_more", count=count, names=names, more=len(job_ids) - 5)
    else:
        text = t(lang, "stopped.push", count=count, names=names)
    body = t(lang, "stopped.body", count=count, lines=lines)
    return Message(clip(text, MAX_TEXT), [section(f":octagonal_sign: {body}")])


def nothing_to_stop(
    job_id: str | None,
    command_name: str = DEFAULT_COMMAND,
    *,
    form: Form | None = None,
    lang: Language = EN,
) -> Message:
    """`stop` found no matching watch; say how to see what is watched (where it was typed)."""
    list_form = (form or command_form(command_name, bot_user_id=None, in_thread=False))("list")
    if job_id:
        text = t(lang, "stop.nothing.job.push", job=short_job_id(job_id))
        body = t(lang, "stop.nothing.job", job_id=escape(job_id), form=list_form)
    else:
        text = t(lang, "stop.nothing.push")
        body = t(lang, "stop.nothing", form=list_form)
    return Message(text, [section(body)])


def short_form_unresolved(
    shown: str, matches: Sequence[str], form: Form, *, lang: Language = EN
) -> Message:
    """A short form (`c7debc9c…jb20r`, a prefix) that names no single job watched here."""
    quoted = f"`{escape(shown)}`"
    if matches:
        listed = "\n".join(f"• `{escape(j)}`" for j in matches[:10])
        if len(matches) > 10:
            listed += "\n" + t(lang, "answer.and_more", more=len(matches) - 10)
        count = len(matches)
        text = t(lang, "short.many.push", shown=shown, count=count)
        right = form("status " + matches[0])
        body = t(lang, "short.many", quoted=quoted, count=count, listed=listed, form=right)
        return Message(clip(text, MAX_TEXT), [section(f":mag: {body}")])
    text = t(lang, "short.none.push", shown=shown)
    body = t(lang, "short.none", quoted=quoted, example=EXAMPLE_JOB_ID, form=form("status JOB_ID"))
    return Message(clip(text, MAX_TEXT), [section(f":grey_question: {body}")])


def no_job_id_in_message(
    command_name: str, bot_user_id: str | None, *, lang: Language = EN
) -> Message:
    """The message shortcut found no job ID: what one looks like and the forms that work."""
    in_thread = command_form(command_name, bot_user_id=bot_user_id, in_thread=True)
    in_channel = command_form(command_name, bot_user_id=bot_user_id, in_thread=False)
    return Message(
        t(
            lang,
            "answer.no_job_id",
            example=EXAMPLE_JOB_ID,
            thread_form=in_thread("watch JOB_ID"),
            channel_form=in_channel("JOB_ID"),
        )
    )


def already_finished(job_id: str, permalink: str | None, *, lang: Language = EN) -> Message:
    """Asked again for a job whose final card is already here: a link, not a second card."""
    if permalink:
        see = link(permalink, t(lang, "answer.see_final_card"))
        body = t(lang, "answer.already_finished.link", job_id=escape(job_id), link=see)
    else:
        body = t(lang, "answer.already_finished", job_id=escape(job_id))
    text = t(lang, "answer.already_finished.push", job=short_job_id(job_id))
    return Message(text, [section(f":information_source: {body}")])


def upload_needs_one_job(found: int, bot_user_id: str | None, *, lang: Language = EN) -> Message:
    """*Upload as DRS template* on a message that names no job, or several."""
    bot = mention_form(bot_user_id)
    if not found:
        return Message(t(lang, "upload.needs_one.none", bot=bot))
    return Message(t(lang, "upload.needs_one.many", bot=bot, found=found))
