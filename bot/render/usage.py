"""Usage lines and "right form" sentences, in the form that works where the user typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.domain.commands import MENTION_MARK, Language
from bot.render.message import escape
from bot.render.text import USER_ID

Form = Callable[[str], str]  # `rest` -> the whole command as the user would type it there


def usage_line(form: Form, *, slash: bool, max_jobs: int) -> str:
    """The one-line usage summary errors end with, in the form that works where typed."""
    watch = "JOB_ID [JOB_ID ...]" if slash else "watch JOB_ID"
    stop = f"{form('stop JOB_ID')} or {form('stop all')}" if slash else form("stop [JOB_ID]")
    langs = " or ".join(f"`--lang {lang}`" for lang in Language)
    return (
        f"Usage: {form(watch)} to watch (up to {max_jobs} jobs), {form('status JOB_ID')} "
        f"for a private one-off check, {stop}, {form('list')}, {form('help')}. "
        f"Options for watching and status: `--type column`, {langs}."
    )


def did_you_mean(quoted: str, verb: str, form: Form) -> str:
    """A mistyped command: the command it most resembles, in the right form."""
    rest = {"list": "list", "help": "help", "watch": "watch JOB_ID"}.get(verb, f"{verb} JOB_ID")
    return f"{quoted} is not a command I know; did you mean `{verb}`? Right form: {form(rest)}."


def option_needs_value(quoted: str, form: Form) -> str:
    right = form("JOB_ID --type column --lang zh-cn")
    return f"The option {quoted} needs a value. Right form: {right}."


def unknown_option(quoted: str, languages: Sequence[str], form: Form) -> str:
    return (
        f"Unknown option {quoted}: the options are `--type column` and "
        f"`--lang {'|'.join(languages)}` (and `--level`, `--mapping` for `template` and "
        f"`upload`). Right form: {form('JOB_ID --type column --lang zh-cn')}."
    )


def unknown_option_value(quoted: str, option: str, known: Sequence[str], form: Form) -> str:
    if option == "--type":
        return (
            f"{quoted} is not a known `--type`; the only type is `column` (leave the option "
            f"out for the default). Right form: {form('JOB_ID --type column')}."
        )
    values = " or ".join(f"`{value}`" for value in known)
    right = form(
        "JOB_ID --lang zh-cn" if option == "--lang" else f"upload JOB_ID {option} {known[0]}"
    )
    return f"{quoted} is not a known `{option}`; use {values}. Right form: {right}."


def option_not_for(option: str, verb: str) -> str:
    takes = {"template": "`--level` and `--lang`", "upload": "`--level`, `--mapping`, `--lang`"}
    return (
        f"`{option}` does not apply to `{verb or 'watch'}`; it takes "
        f"{takes.get(verb, '`--type` and `--lang`')}."
    )


def option_twice(quoted: str) -> str:
    return f"The option {quoted} is given twice with different values; give it once."


def takes_no_options(verb: str, form: Form) -> str:
    right = form(verb if verb != "stop" else "stop JOB_ID")
    return (
        f"`{verb}` takes no options (`--type` and `--lang` apply to watching and status). "
        f"Right form: {right}."
    )


def mention_form(bot_user_id: str | None) -> str:
    """How to mention the bot in a right-form line: its real mention, else its display name."""
    return f"<@{bot_user_id}>" if bot_user_id and USER_ID.match(bot_user_id) else "@drs-progress"


def command_form(command_name: str, *, bot_user_id: str | None, in_thread: bool) -> Form:
    """The form that works where the user is: the mention in a thread, else the slash command."""
    if in_thread:
        bot = mention_form(bot_user_id)
        return lambda rest: f"{bot} `{rest}`"
    cmd = escape(command_name)
    return lambda rest: f"`{cmd} {rest}`"


def with_mention(mrkdwn: str, bot_user_id: str | None) -> str:
    """Put the bot's mention where a usage line marked it (`MENTION_MARK`), after escaping."""
    return mrkdwn.replace(MENTION_MARK, mention_form(bot_user_id))


def config_usage(quoted: str, form: Form) -> str:
    """`config` followed by something it does not take."""
    return (
        f"`config` does not take {quoted}. Right form: {form('config')} to see this channel's "
        f"settings, {form('config lang zh-cn')} (or `en-us`), or "
        f"{form('config region ap-southeast-1')}."
    )


def config_unknown_language(quoted: str, known: Sequence[str], form: Form) -> str:
    values = " or ".join(f"`{value}`" for value in known)
    return (
        f"{quoted} is not a language I write; use {values}. "
        f"Right form: {form('config lang zh-cn')}."
    )


def config_bad_region(quoted: str, form: Form) -> str:
    return (
        f"{quoted} is not a region: a region looks like `ap-southeast-1` or `cn-north-4`. "
        f"Right form: {form('config region ap-southeast-1')}."
    )
