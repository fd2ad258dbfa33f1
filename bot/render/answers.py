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
from bot.render.message import Message, escape
from bot.render.text import channel_ref, clip, link, short_job_id
from bot.render.usage import Form, command_form, with_mention
from bot.render.usage import mention_form as mention_form  # where render.files takes it

EXAMPLE_JOB_ID = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def checking_message(job_ids: Sequence[str]) -> Message:
    """The instant acknowledgement while DRS is asked."""
    shown = ", ".join(f"`{short_job_id(j)}`" for j in job_ids)
    return Message(f":hourglass_flowing_sand: Checking {shown} with DRS…")


def _help_commands(cmd: str) -> str:
    return "\n".join(
        [
            "*Watch DRS object-import template parses*",
            f"`{cmd} {EXAMPLE_JOB_ID}`: check now, post a card here and update it until the "
            "parse ends (up to 5 job IDs at once).",
            f"`{cmd} status JOB_ID` (or `check`): check once; only you see the answer.",
            f"`{cmd} stop JOB_ID` or `{cmd} stop all`: stop watching in this channel.",
            f"`{cmd} list`: what this channel watches.",
            f"`{cmd} help`: this message.",
        ]
    )


def _help_options(cmd: str) -> str:
    others = ", ".join(f"`--lang {lang}`" for lang in Language if lang is not Language.EN_US)
    return (
        "*Options* (for watching and `status`): `--type column` for a column-processing "
        f"import, {others} for DRS messages in Chinese (default `{Language.EN_US}`). "
        f"A phone turning `--` into `—` is fine: `{cmd} {EXAMPLE_JOB_ID} —type column`."
    )


def _help_threads(bot: str) -> str:
    return (
        "*Inside a thread* Slack does not run slash commands in threads, so mention me there: "
        f"{bot} `watch JOB_ID` (or just {bot} `JOB_ID`), {bot} `status JOB_ID`, "
        f"{bot} `stop` (this thread's watches). Updates then go to that thread. "
        "You can also use the message shortcut *Watch DRS job in thread* on a message "
        "that contains a job ID."
    )


def help_message(command_name: str, *, bot_user_id: str | None = None) -> Message:
    """Usage with examples: commands, options, threads (mentions) and the shortcut."""
    cmd = escape(command_name)
    bot = mention_form(bot_user_id)
    text = (
        f"How to use {cmd}: `{cmd} JOB_ID` watches a DRS template parse, "
        f"`{cmd} status JOB_ID` checks once, `{cmd} help` shows more."
    )
    blocks = [
        section(_help_commands(cmd)),
        section(_help_options(cmd)),
        section(_help_threads(bot)),
    ]
    return Message(clip(text, MAX_TEXT), blocks)


def help_in_thread(command_name: str, *, bot_user_id: str | None = None) -> Message:
    """Usage with examples for someone in a thread, where only mentions work."""
    bot = mention_form(bot_user_id)
    text = (
        f"How to use me in a thread: {bot} JOB_ID watches a DRS template parse here, "
        f"{bot} status JOB_ID checks once, {bot} help shows more."
    )
    commands = "\n".join(
        [
            "*Watch DRS object-import template parses in this thread*",
            f"{bot} `{EXAMPLE_JOB_ID}` (or {bot} `watch JOB_ID`): check now, post a card in "
            "this thread and update it until the parse ends (up to 5 job IDs at once).",
            f"{bot} `status JOB_ID` (or `check`): check once; only you see the answer.",
            f"{bot} `stop` or {bot} `stop JOB_ID`: stop this thread's watches.",
            f"{bot} `template JOB_ID`: the job's blank import template as a file here; "
            f"{bot} `upload JOB_ID` with the filled file attached uploads it and watches it.",
            f"{bot} `list`: what this channel watches.",
            f"{bot} `help`: this message.",
        ]
    )
    others = ", ".join(f"`--lang {lang}`" for lang in Language if lang is not Language.EN_US)
    options = (
        "*Options* (for watching and `status`): `--type column` for a column-processing "
        f"import, {others} for DRS messages in Chinese (default `{Language.EN_US}`): "
        f"{bot} `{EXAMPLE_JOB_ID} --type column`."
    )
    channel = (
        f"*In the channel itself* use `{escape(command_name)} JOB_ID`; Slack does not run slash "
        "commands in threads."
    )
    return Message(clip(text, MAX_TEXT), [section(commands), section(options), section(channel)])


def usage_error_message(
    message: str, command_name: str, *, bot_user_id: str | None = None, in_thread: bool = False
) -> Message:
    """A private answer to bad input: what was wrong and the right form (from the grammar)."""
    form = command_form(command_name, bot_user_id=bot_user_id, in_thread=in_thread)
    blocks = [
        section(f":warning: {with_mention(escape(message), bot_user_id)}"),
        context([f"Type {form('help')} for every command with examples."]),
    ]
    return Message(with_mention(escape(clip(message, MAX_TEXT)), bot_user_id), blocks)


def drs_error_message(job_id: str, error: DrsError) -> Message:
    """A DRS error about one job, in words that say what to do next."""
    emoji = ":grey_question:" if isinstance(error, JobNotFound) else ":x:"
    detail = error.user_message()
    blocks = [section(f"{emoji} *Could not check* `{escape(job_id)}`\n{escape(detail)}")]
    text = f"DRS {short_job_id(job_id)}: {detail}"
    return Message(escape(clip(text, MAX_TEXT)), blocks)


def error_message(error: BotError) -> Message:
    """Any other error a person's request ran into, as its sentence."""
    return Message(escape(clip(error.user_message(), MAX_TEXT)))


def stale_button() -> Message:
    return Message("That button is not one of mine any more; use the command.")


def watch_gone() -> Message:
    return Message("This watch no longer exists; start a new one with the command.")


def watch_already_ended() -> Message:
    return Message("This watch has already ended.")


def card_not_accepted(error: SlackError) -> Message:
    """Slack refused the new card, so nothing is watched."""
    return Message(f"Slack did not accept the card ({escape(str(error))}). Try again in a minute.")


def card_not_updated(error: SlackError) -> Message:
    """Slack refused the Refresh button's edit of the card."""
    return Message(f"Could not update the card ({escape(str(error))}); try again in a minute.")


def invite_hint(bot_user_id: str | None, channel_id: str) -> Message:
    """Why the bot cannot post here and how to invite it (nothing was stored)."""
    bot = f"<@{bot_user_id}>" if bot_user_id else "@DRS bot"
    text = (
        f"I can't post in this channel because I'm not a member. Type /invite {bot} in "
        "the channel, then run the command again."
    )
    body = (
        f":wave: I can't post in {channel_ref(channel_id)} because I'm not a member of it, "
        "so nothing was watched.\n"
        f"Type `/invite` {bot} in that channel (or open the channel details, *Integrations*, "
        "*Add apps*), then run your command again.\n"
        "Private channels need the invite too; in a direct message between other people I "
        "can't post at all, so use a channel."
    )
    return Message(text, [section(body)])


def already_watching(job_id: str, permalink: str | None) -> Message:
    """The job is already watched here: point at the existing card instead of a second one."""
    see = f" {link(permalink, 'See its card')}." if permalink else ""
    body = f":eyes: `{escape(job_id)}` is already watched here.{see}"
    return Message(f"DRS {short_job_id(job_id)}: already watched here", [section(body)])


def stopped_message(job_ids: list[str], command_name: str = DEFAULT_COMMAND) -> Message:
    """Confirmation that watches ended."""
    if not job_ids:
        return nothing_to_stop(None, command_name)
    count = f"{len(job_ids)} DRS job{'s' if len(job_ids) != 1 else ''}"
    shown = job_ids[:40]
    lines = "\n".join(f"• `{escape(j)}`" for j in shown)
    if len(job_ids) > len(shown):
        lines += f"\n…and {len(job_ids) - len(shown)} more"
    names = ", ".join(short_job_id(j) for j in job_ids[:5])
    more = f" and {len(job_ids) - 5} more" if len(job_ids) > 5 else ""
    return Message(
        clip(f"Stopped watching {count}: {names}{more}", MAX_TEXT),
        [section(f":octagonal_sign: Stopped watching {count}:\n{lines}")],
    )


def nothing_to_stop(
    job_id: str | None, command_name: str = DEFAULT_COMMAND, *, form: Form | None = None
) -> Message:
    """`stop` found no matching watch; say how to see what is watched (where it was typed)."""
    list_form = (form or command_form(command_name, bot_user_id=None, in_thread=False))("list")
    if job_id:
        text = f"DRS {short_job_id(job_id)} is not watched here, so there is nothing to stop."
        body = f"`{escape(job_id)}` is not watched here, so there is nothing to stop."
    else:
        text = "Nothing is watched here, so there is nothing to stop."
        body = text
    body += f" {list_form} shows what this channel watches."
    return Message(text, [section(body)])


def short_form_unresolved(shown: str, matches: Sequence[str], form: Form) -> Message:
    """A short form (`c7debc9c…jb20r`, a prefix) that names no single job watched here."""
    quoted = f"`{escape(shown)}`"
    if matches:
        listed = "\n".join(f"• `{escape(j)}`" for j in matches[:10])
        more = f"\n…and {len(matches) - 10} more" if len(matches) > 10 else ""
        text = f"{shown} matches {len(matches)} watched jobs here; give the full job ID."
        body = (
            f":mag: {quoted} matches {len(matches)} jobs watched in this channel:\n{listed}{more}"
            f"\nGive the one you mean in full, e.g. {form('status ' + matches[0])}."
        )
    else:
        text = f"No job watched here matches {shown}; give the full job ID."
        body = (
            f":grey_question: No job watched in this channel matches {quoted}. A short form "
            "works only for a job watched here; give the full job ID (36 characters, like "
            f"`{EXAMPLE_JOB_ID}`), e.g. {form('status JOB_ID')}."
        )
    return Message(clip(text, MAX_TEXT), [section(body)])


def no_job_id_in_message(command_name: str, bot_user_id: str | None) -> Message:
    """The message shortcut found no job ID: what one looks like and the forms that work."""
    in_thread = command_form(command_name, bot_user_id=bot_user_id, in_thread=True)
    in_channel = command_form(command_name, bot_user_id=bot_user_id, in_thread=False)
    return Message(
        "I found no DRS job ID in that message. A job ID is 36 characters in groups "
        f"of 8-4-4-4-12, like {EXAMPLE_JOB_ID}; mention me in the thread with "
        f"{in_thread('watch JOB_ID')}, or use {in_channel('JOB_ID')} in the channel."
    )


def already_finished(job_id: str, permalink: str | None) -> Message:
    """Asked again for a job whose final card is already here: a link, not a second card."""
    see = f" {link(permalink, 'See its final card')}." if permalink else ""
    body = f":information_source: `{escape(job_id)}` has already finished; its card is here.{see}"
    return Message(f"DRS {short_job_id(job_id)}: already finished, card above", [section(body)])


def upload_needs_one_job(found: int, bot_user_id: str | None) -> Message:
    """*Upload as DRS template* on a message that names no job, or several."""
    got = "no DRS job ID" if not found else f"{found} DRS job IDs"
    return Message(
        f":paperclip: That message names {got}; *Upload as DRS template* needs exactly one, "
        f"beside the file. Or attach the file to {mention_form(bot_user_id)} `upload JOB_ID`. "
        "Nothing was sent to DRS."
    )
