"""The `/drs-progress` and `@bot` grammars: text as typed (often on a phone) to a typed Command."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.commands import DEFAULT_COMMAND, MENTION_MARK, Language
from bot.drs.jobid import JobRef, clean_token, job_ids_in, job_refs, quote_input
from bot.drs.template_options import MAPPINGS, UPLOAD_LEVELS
from bot.errors import InvalidJobId, UsageError
from bot.render import answers

MAX_JOBS = 5
TYPES = ("column",)
LANGUAGES = tuple(lang.value for lang in Language)


@dataclass(frozen=True)
class Help:
    """Show usage."""


@dataclass(frozen=True)
class Watch:
    """Check now, post a card and watch each job (in the channel, or in the mention's thread)."""

    job_ids: tuple[JobRef, ...]
    job_type: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Status:
    """A one-off private answer; nothing stored, nothing watched."""

    job_id: JobRef
    job_type: str | None = None
    language: str | None = None


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


Command = Help | Watch | Status | Stop | ListWatches | Template | Upload

# Phones turn `--` into an em dash (or an en dash); accept any such run as the option prefix.
_OPTION_RE = re.compile(r"^(?:--|[—–]{1,2}|-[—–]|[—–]-|−−)(?P<name>[^=]*)(?:=(?P<value>.*))?$")
# Slack user mentions as they arrive in event text: <@U123> or <@U123|name>.
_MENTION_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>", re.IGNORECASE)
_VERBS = ("watch", "status", "check", "stop", "list", "help", "template", "upload")
_DASHES = str.maketrans({"—": "-", "–": "-", "−": "-", "_": "-"})
_OPTION_NAMES = {
    "type": "job_type",
    "lang": "language",
    "language": "language",
    "level": "level",
    "mapping": "mapping",
}
# What each option takes, and the verbs that take it (watch and status take --type and --lang).
_OPTION_VALUES = {
    "job_type": ("--type", TYPES),
    "language": ("--lang", LANGUAGES),
    "level": ("--level", UPLOAD_LEVELS),
    "mapping": ("--mapping", MAPPINGS),
}
_FILE_OPTIONS = {"template": ("level", "language"), "upload": ("level", "mapping", "language")}


@dataclass(frozen=True)
class _Form:
    """How to show the right form where the user typed: the slash command, or the mention."""

    prefix: str
    slash: bool

    def __call__(self, rest: str) -> str:
        # A mention inside a code span would not render as one, so it stays outside.
        return f"`{self.prefix} {rest}`" if self.slash else f"{self.prefix} `{rest}`"

    @property
    def usage(self) -> str:
        return answers.usage_line(self, slash=self.slash, max_jobs=MAX_JOBS)


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


@dataclass
class _Options:
    job_type: str | None = None
    language: str | None = None
    level: str | None = None
    mapping: str | None = None
    given: bool = False


def _take_options(words: list[str], form: _Form) -> tuple[list[str], _Options]:
    """Split words into plain words and the `--type`/`--lang` options (value inline or next)."""
    rest: list[str] = []
    opts = _Options()
    i = 0
    while i < len(words):
        match = _OPTION_RE.match(words[i])
        if match is None:
            rest.append(words[i])
            i += 1
            continue
        name = match.group("name").strip().lower()
        if name not in _OPTION_NAMES:
            raise UsageError(answers.unknown_option(quote_input(words[i]), LANGUAGES, form))
        value = match.group("value")
        if value is None:
            if i + 1 >= len(words) or _OPTION_RE.match(words[i + 1]):
                raise UsageError(answers.option_needs_value(quote_input(words[i]), form))
            value = words[i + 1]
        _set_option(opts, words[i], _OPTION_NAMES[name], value, form)
        i += 1 if match.group("value") is not None else 2
    return rest, opts


def _set_option(opts: _Options, word: str, attr: str, raw: str, form: _Form) -> None:
    value = clean_token(raw).lower().translate(_DASHES)
    option, known = _OPTION_VALUES[attr]
    if attr in ("level", "mapping"):  # DRS's own spellings: `table_mapping`, `compare_key`
        value = value.replace("-", "_")
    if value not in known:
        raise UsageError(answers.unknown_option_value(quote_input(value), option, known, form))
    current = getattr(opts, attr)
    if current is not None and current != value:
        raise UsageError(answers.option_twice(quote_input(word)))
    setattr(opts, attr, value)
    opts.given = True


def _no_options(opts: _Options, verb: str, form: _Form) -> None:
    if opts.given:
        raise UsageError(answers.takes_no_options(verb, form))


def _only(opts: _Options, verb: str, allowed: tuple[str, ...]) -> None:
    """Refuse an option the verb does not take (watch and status take --type and --lang)."""
    for attr in ("job_type", "level", "mapping"):
        if getattr(opts, attr) is not None and attr not in allowed:
            option = _OPTION_VALUES[attr][0]
            raise UsageError(answers.option_not_for(option, verb))


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


def _parse(words: list[str], form: _Form) -> Command:
    if not words:
        return Help()
    verb = words[0].lower()
    if verb not in _VERBS:
        if (meant := _suggestion(verb)) is not None:
            raise UsageError(answers.did_you_mean(quote_input(words[0]), meant, form))
        verb = ""
    args, opts = _take_options(words[1:] if verb else words, form)
    _only(opts, verb, _FILE_OPTIONS.get(verb, ("job_type", "language")))
    try:
        return _VERB_PARSERS[verb](args, opts, form)
    except InvalidJobId as exc:
        right = f"{verb} JOB_ID" if verb else "JOB_ID"
        raise InvalidJobId(f"{exc} Right form: {form(right)}.") from None


def _help(args: list[str], opts: _Options, form: _Form) -> Command:
    return Help()


def _list(args: list[str], opts: _Options, form: _Form) -> Command:
    _no_options(opts, "list", form)
    if args:
        raise UsageError(
            f"`list` takes nothing after it (got {quote_input(' '.join(args))}). "
            f"Right form: {form('list')}."
        )
    return ListWatches()


def _one_job(verb: str, args: list[str], form: _Form) -> JobRef:
    refs = job_refs(args) if args else []
    if len(refs) != 1:
        got = "no job ID" if not args else f"{len(refs) or len(args)} given"
        raise UsageError(
            f"`{verb}` takes exactly one job ID ({got}). Right form: {form(f'{verb} JOB_ID')}."
        )
    return refs[0]


def _status(verb: str) -> Callable[[list[str], _Options, _Form], Command]:
    def parse(args: list[str], opts: _Options, form: _Form) -> Command:
        return Status(_one_job(verb, args, form), opts.job_type, opts.language)

    return parse


def _template(args: list[str], opts: _Options, form: _Form) -> Command:
    return Template(_one_job("template", args, form), opts.level, opts.language)


def _upload(args: list[str], opts: _Options, form: _Form) -> Command:
    return Upload(_one_job("upload", args, form), opts.level, opts.mapping, opts.language)


def _stop(args: list[str], opts: _Options, form: _Form) -> Command:
    _no_options(opts, "stop", form)
    if args and args[0].lower() == "all" and len(args) == 1:
        return Stop(None)
    if not args and not form.slash:
        return Stop(None)  # a mention's `stop`: this thread's watches
    if not args:
        raise UsageError(
            f"`stop` needs a job ID or `all`. Right form: {form('stop JOB_ID')} "
            f"or {form('stop all')}."
        )
    refs = job_refs(args)
    if len(refs) != 1:
        got = f"{len(refs) or len(args)} job IDs"
        raise UsageError(
            f"`stop` takes one job ID or `all` ({got} given). Right form: "
            f"{form('stop JOB_ID')} or {form('stop all')}."
        )
    return Stop(refs[0])


def _watch(args: list[str], opts: _Options, form: _Form) -> Command:
    if not args:
        raise UsageError(f"`watch` needs a job ID. Right form: {form('watch JOB_ID')}.")
    return Watch(_many(args, form), opts.job_type, opts.language)


def _default(args: list[str], opts: _Options, form: _Form) -> Command:
    """No verb: the words must name jobs (the default action is watching)."""
    if not args:  # only options were given
        raise UsageError(f"No job ID given. Right form: {form('JOB_ID --type column')}.")
    if not _looks_like_id(args[0]) and not job_ids_in(" ".join(args)):
        raise UsageError(f"{quote_input(args[0])} is not a command I know. {form.usage}")
    return Watch(_many(args, form), opts.job_type, opts.language)


def _many(args: list[str], form: _Form) -> tuple[JobRef, ...]:
    refs = job_refs(args)
    if len(refs) > MAX_JOBS:
        raise UsageError(
            f"Too many job IDs: at most {MAX_JOBS} at a time. Right form: "
            f"{form('JOB_ID [JOB_ID ...]')} with up to {MAX_JOBS} IDs; "
            "send the rest in another command."
        )
    return tuple(refs)


_VERB_PARSERS: dict[str, Callable[[list[str], _Options, _Form], Command]] = {
    "help": _help,
    "list": _list,
    "status": _status("status"),
    "check": _status("check"),
    "stop": _stop,
    "watch": _watch,
    "template": _template,
    "upload": _upload,
    "": _default,
}


def parse_command(text: str, *, command_name: str = DEFAULT_COMMAND) -> Command:
    """Parse the text after the slash command; raises UsageError saying what to type instead."""
    return _parse(_words(text), _Form(command_name, slash=True))


def parse_mention(
    text: str, *, command_name: str = DEFAULT_COMMAND, bot_mention: str = MENTION_MARK
) -> Command:
    """Parse an app_mention's text (mentions removed); `stop` alone means this thread's watches.

    Error messages show the mention form (Slack does not run slash commands inside threads);
    `bot_mention` defaults to the mark the renderer replaces with the bot's real mention.
    """
    del command_name
    return _parse(_words(_MENTION_RE.sub(" ", text)), _Form(bot_mention, slash=False))


def usage_text(command_name: str = DEFAULT_COMMAND) -> str:
    """The one-line usage summary errors end with (also handy for listeners)."""
    return _Form(command_name, slash=True).usage
