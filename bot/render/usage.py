"""Usage lines and "right form" sentences, in the form that works where the user typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.domain.commands import MENTION_MARK, Language
from bot.render.catalog import t
from bot.render.message import escape
from bot.render.text import EN, USER_ID, or_list

Form = Callable[[str], str]  # `rest` -> the whole command as the user would type it there


def usage_line(form: Form, *, slash: bool, max_jobs: int, lang: Language = EN) -> str:
    """The one-line usage summary errors end with, in the form that works where typed."""
    watch = "JOB_ID [JOB_ID ...]" if slash else "watch JOB_ID"
    if slash:
        stop = t(lang, "usage.stop.slash", one=form("stop JOB_ID"), all=form("stop all"))
    else:
        stop = form("stop [JOB_ID]")
    langs = or_list([f"`--lang {language}`" for language in Language], lang=lang)
    return t(
        lang,
        "usage.line",
        watch=form(watch),
        max_jobs=max_jobs,
        status=form("status JOB_ID"),
        stop=stop,
        list=form("list"),
        help=form("help"),
        langs=langs,
    )


def did_you_mean(quoted: str, verb: str, form: Form, *, lang: Language = EN) -> str:
    """A mistyped command: the command it most resembles, in the right form."""
    rest = {"list": "list", "help": "help", "watch": "watch JOB_ID"}.get(verb, f"{verb} JOB_ID")
    return t(lang, "usage.did_you_mean", quoted=quoted, verb=verb, form=form(rest))


def option_needs_value(quoted: str, form: Form, *, lang: Language = EN) -> str:
    right = form("JOB_ID --type column --lang zh-cn")
    return t(lang, "usage.option_needs_value", quoted=quoted, form=right)


def unknown_option(
    quoted: str, languages: Sequence[str], form: Form, *, lang: Language = EN
) -> str:
    right = form("JOB_ID --type column --lang zh-cn")
    known = "|".join(languages)
    return t(lang, "usage.unknown_option", quoted=quoted, languages=known, form=right)


def unknown_option_value(
    quoted: str, option: str, known: Sequence[str], form: Form, *, lang: Language = EN
) -> str:
    if option == "--type":
        return t(lang, "usage.unknown_type", quoted=quoted, form=form("JOB_ID --type column"))
    values = or_list([f"`{value}`" for value in known], lang=lang)
    right = form(
        "JOB_ID --lang zh-cn" if option == "--lang" else f"upload JOB_ID {option} {known[0]}"
    )
    return t(lang, "usage.unknown_value", quoted=quoted, option=option, values=values, form=right)


def option_not_for(option: str, verb: str, *, lang: Language = EN) -> str:
    key = {"template": "usage.takes.template", "upload": "usage.takes.upload"}.get(
        verb, "usage.takes.watch"
    )
    return t(lang, key, option=option, verb=verb or "watch")


def option_twice(quoted: str, *, lang: Language = EN) -> str:
    return t(lang, "usage.option_twice", quoted=quoted)


def takes_no_options(verb: str, form: Form, *, lang: Language = EN) -> str:
    right = form(verb if verb != "stop" else "stop JOB_ID")
    return t(lang, "usage.no_options", verb=verb, form=right)


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


def config_usage(quoted: str, form: Form, *, lang: Language = EN) -> str:
    """`config` followed by something it does not take."""
    return t(
        lang,
        "usage.config",
        quoted=quoted,
        show=form("config"),
        language=form("config lang zh-cn"),
        region=form("config region ap-southeast-1"),
    )


def config_unknown_language(
    quoted: str, known: Sequence[str], form: Form, *, lang: Language = EN
) -> str:
    values = or_list([f"`{value}`" for value in known], lang=lang)
    right = form("config lang zh-cn")
    return t(lang, "usage.config.language", quoted=quoted, values=values, form=right)


def config_bad_region(quoted: str, form: Form, *, lang: Language = EN) -> str:
    right = form("config region ap-southeast-1")
    return t(lang, "usage.config.region", quoted=quoted, form=right)
