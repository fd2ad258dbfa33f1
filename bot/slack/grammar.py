"""The `/drs-progress` and `@bot` grammars: text as typed (often on a phone) to a typed Command."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.commands import DEFAULT_COMMAND, MENTION_MARK, Language
from bot.drs.jobid import JobRef, clean_token, job_ids_in, job_refs, quote_input
from bot.errors import InvalidJobId, UsageError
from bot.render import usage
from bot.slack.config_command import Config as Config
from bot.slack.config_command import parse_config
from bot.slack.options import LANGUAGES as LANGUAGES
from bot.slack.options import MAX_JOBS as MAX_JOBS
from bot.slack.options import TYPES as TYPES
from bot.slack.options import Options, RightForm, no_options, only, take_options


@dataclass(frozen=True)
class Help:
    """Show usage."""


@dataclass(frozen=True)
class Watch:
    """Check now, post a card and watch each job (in the channel, or in the mention's thread)."""

    job_ids: tuple[JobRef, ...]
    job_type: str | None = None
    language: str | None = None
    region: str | None = None  # --region: ask only this region


@dataclass(frozen=True)
class Status:
    """A one-off private answer; nothing stored, nothing watched."""

    job_id: JobRef
    job_type: str | None = None
    language: str | None = None
    region: str | None = None  # --region: ask only this region


@dataclass(frozen=True)
class Stop:
    """End a watch; `job_id` None means all (slash: `stop all`; mention: this thread's)."""

    job_id: JobRef | None


@dataclass(frozen=True)
class ListWatches:
    """This channel's active watches."""


@dataclass(frozen=True)
class Template:
    """Post the job's blank object import template as a file in the thread."""

    job_id: JobRef
    level: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Upload:
    """Upload the file attached to the message as the job's filled template, then watch it."""

    job_id: JobRef
    level: str | None = None
    mapping: str | None = None
    language: str | None = None


Command = Help | Watch | Status | Stop | ListWatches | Template | Upload | Config

# Slack user mentions as they arrive in event text: <@U123> or <@U123|name>.
_MENTION_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>", re.IGNORECASE)
_VERBS = ("watch", "status", "check", "stop", "list", "help", "template", "upload", "config")
_FILE_OPTIONS = {"template": ("level", "language"), "upload": ("level", "mapping", "language")}

_ENTITY_RE = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def decode_slack_text(text: str) -> str:
    """Slack's `&amp;`, `&lt;`, `&gt;` back to what was typed, in one pass (`&amp;lt;` is `&lt;`).

    Called on each word after Slack's own `<...>` markup (mentions, links) has been handled,
    so a typed `<` is read as a character, never as markup, and is escaped once on the way out.
    """
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(1)], text)


def _words(text: str) -> list[str]:
    # str.split() already splits on every Unicode space; commas separate pasted ID lists.
    words = [decode_slack_text(clean_token(w)) for w in text.replace(",", " ").split()]
    return [w for w in words if w]


def _looks_like_id(word: str) -> bool:
    """Whether an unknown word was meant as a job ID (then say what is wrong with it)."""
    return (
        any(ch.isdigit() or ch in "/%.\\?#—–" for ch in word)
        or word.count("-") >= 2
        or len(word) >= 20
    )


def _suggestion(word: str) -> str | None:
    close = difflib.get_close_matches(word, _VERBS, n=1, cutoff=0.7)
    return close[0] if close else None


def _parse(words: list[str], form: RightForm) -> Command:
    if not words:
        return Help()
    verb = words[0].lower()
    if verb not in _VERBS:
        if (meant := _suggestion(verb)) is not None:
            raise UsageError(usage.did_you_mean(quote_input(words[0]), meant, form, lang=form.lang))
        verb = ""
    args, opts = take_options(words[1:] if verb else words, form)
    only(opts, verb, _FILE_OPTIONS.get(verb, ("job_type", "language", "region")), lang=form.lang)
    try:
        return _VERB_PARSERS[verb](args, opts, form)
    except InvalidJobId as exc:
        right = f"{verb} JOB_ID" if verb else "JOB_ID"
        raise InvalidJobId(f"{exc} Right form: {form(right)}.").with_key(
            "usage.right_form", sentence=exc, form=form(right)
        ) from None


def _help(args: list[str], opts: Options, form: RightForm) -> Command:
    return Help()


def _list(args: list[str], opts: Options, form: RightForm) -> Command:
    no_options(opts, "list", form)
    if args:
        got = quote_input(" ".join(args))
        raise UsageError(
            f"`list` takes nothing after it (got {got}). Right form: {form('list')}."
        ).with_key("usage.list_args", got=got, form=form("list"))
    return ListWatches()


def _one_job(verb: str, args: list[str], form: RightForm) -> JobRef:
    refs = job_refs(args) if args else []
    if len(refs) != 1:
        got = "no job ID" if not args else f"{len(refs) or len(args)} given"
        right = form(f"{verb} JOB_ID")
        key = "usage.one_job.many" if args else "usage.one_job.none"
        raise UsageError(
            f"`{verb}` takes exactly one job ID ({got}). Right form: {right}."
        ).with_key(key, verb=verb, count=len(refs) or len(args), form=right)
    return refs[0]


def _status(verb: str) -> Callable[[list[str], Options, RightForm], Command]:
    def parse(args: list[str], opts: Options, form: RightForm) -> Command:
        return Status(_one_job(verb, args, form), opts.job_type, opts.language, opts.region)

    return parse


def _template(args: list[str], opts: Options, form: RightForm) -> Command:
    return Template(_one_job("template", args, form), opts.level, opts.language)


def _upload(args: list[str], opts: Options, form: RightForm) -> Command:
    return Upload(_one_job("upload", args, form), opts.level, opts.mapping, opts.language)


def _stop(args: list[str], opts: Options, form: RightForm) -> Command:
    no_options(opts, "stop", form)
    if args and args[0].lower() == "all" and len(args) == 1:
        return Stop(None)
    if not args and not form.slash:
        return Stop(None)  # a mention's `stop`: this thread's watches
    if not args:
        raise UsageError(
            f"`stop` needs a job ID or `all`. Right form: {form('stop JOB_ID')} "
            f"or {form('stop all')}."
        ).with_key("usage.stop.none", one=form("stop JOB_ID"), all=form("stop all"))
    refs = job_refs(args)
    if len(refs) != 1:
        got = f"{len(refs) or len(args)} job IDs"
        raise UsageError(
            f"`stop` takes one job ID or `all` ({got} given). Right form: "
            f"{form('stop JOB_ID')} or {form('stop all')}."
        ).with_key(
            "usage.stop.many",
            count=len(refs) or len(args),
            one=form("stop JOB_ID"),
            all=form("stop all"),
        )
    return Stop(refs[0])


def _watch(args: list[str], opts: Options, form: RightForm) -> Command:
    if not args:
        raise UsageError(f"`watch` needs a job ID. Right form: {form('watch JOB_ID')}.").with_key(
            "usage.watch.none", form=form("watch JOB_ID")
        )
    return Watch(_many(args, form), opts.job_type, opts.language, opts.region)


def _default(args: list[str], opts: Options, form: RightForm) -> Command:
    """No verb: the words must name jobs (the default action is watching)."""
    if not args:  # only options were given
        right = form("JOB_ID --type column")
        raise UsageError(f"No job ID given. Right form: {right}.").with_key(
            "usage.no_job_id", form=right
        )
    if not _looks_like_id(args[0]) and not job_ids_in(" ".join(args)):
        quoted = quote_input(args[0])
        raise UsageError(f"{quoted} is not a command I know. {form.usage}").with_key(
            "usage.unknown_command", quoted=quoted, usage=form.usage
        )
    return Watch(_many(args, form), opts.job_type, opts.language, opts.region)


def _many(args: list[str], form: RightForm) -> tuple[JobRef, ...]:
    refs = job_refs(args)
    if len(refs) > MAX_JOBS:
        raise UsageError(
            f"Too many job IDs: at most {MAX_JOBS} at a time. Right form: "
            f"{form('JOB_ID [JOB_ID ...]')} with up to {MAX_JOBS} IDs; "
            "send the rest in another command."
        ).with_key("usage.too_many", max=MAX_JOBS, form=form("JOB_ID [JOB_ID ...]"))
    return tuple(refs)


_VERB_PARSERS: dict[str, Callable[[list[str], Options, RightForm], Command]] = {
    "help": _help,
    "list": _list,
    "status": _status("status"),
    "check": _status("check"),
    "stop": _stop,
    "watch": _watch,
    "template": _template,
    "upload": _upload,
    "config": parse_config,
    "": _default,
}


def parse_command(
    text: str, *, command_name: str = DEFAULT_COMMAND, lang: Language = Language.EN_US
) -> Command:
    """Parse the text after the slash command; raises UsageError saying what to type instead
    (in `lang`, the reader's language)."""
    return _parse(_words(text), RightForm(command_name, slash=True, lang=lang))


def parse_mention(
    text: str,
    *,
    command_name: str = DEFAULT_COMMAND,
    bot_mention: str = MENTION_MARK,
    lang: Language = Language.EN_US,
) -> Command:
    """Parse an app_mention's text (mentions removed); `stop` alone means this thread's watches.

    Error messages show the mention form (Slack does not run slash commands inside threads);
    `bot_mention` defaults to the mark the renderer replaces with the bot's real mention.
    """
    del command_name
    return _parse(
        _words(_MENTION_RE.sub(" ", text)), RightForm(bot_mention, slash=False, lang=lang)
    )


def usage_text(command_name: str = DEFAULT_COMMAND) -> str:
    """The one-line usage summary errors end with (also handy for listeners)."""
    return RightForm(command_name, slash=True).usage
