"""The `/drs-progress` and `@bot` grammars: text as typed (often on a phone) to a typed Command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.commands import DEFAULT_COMMAND, Language
from bot.drs.jobid import clean_token, parse_job_id, quote_input
from bot.errors import InvalidJobId, UsageError

MAX_JOBS = 5
TYPES = ("column",)
LANGUAGES = tuple(lang.value for lang in Language)
_LANG_OPTIONS = " or ".join(f"`--lang {lang}`" for lang in LANGUAGES)  # `--lang en-us` or ...
_LANG_VALUES = " or ".join(f"`{lang}`" for lang in LANGUAGES)


@dataclass(frozen=True)
class Help:
    """Show usage."""


@dataclass(frozen=True)
class Watch:
    """Check now, post a card and watch each job (in the channel, or in the mention's thread)."""

    job_ids: tuple[str, ...]
    job_type: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Status:
    """A one-off private answer; nothing stored, nothing watched."""

    job_id: str
    job_type: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Stop:
    """End a watch; `job_id` None means all (slash: `stop all`; mention: this thread's)."""

    job_id: str | None


@dataclass(frozen=True)
class ListWatches:
    """This channel's active watches."""


Command = Help | Watch | Status | Stop | ListWatches

# Phones turn `--` into an em dash (or an en dash); accept any such run as the option prefix.
_OPTION_RE = re.compile(r"^(?:--|[—–]{1,2}|-[—–]|[—–]-|−−)(?P<name>[^=]*)(?:=(?P<value>.*))?$")
# Slack user mentions as they arrive in event text: <@U123> or <@U123|name>.
_MENTION_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>", re.IGNORECASE)
_VERBS = {"watch", "status", "check", "stop", "list", "help"}
_DASHES = str.maketrans({"—": "-", "–": "-", "−": "-", "_": "-"})


@dataclass(frozen=True)
class _Form:
    """How to show the right form in error messages: slash command or mention prefix."""

    prefix: str
    slash: bool

    def __call__(self, rest: str) -> str:
        return f"`{self.prefix} {rest}`"

    @property
    def usage(self) -> str:
        watch = "JOB_ID [JOB_ID ...]" if self.slash else "watch JOB_ID"
        stop = "stop JOB_ID` or `stop all" if self.slash else "stop [JOB_ID]"
        return (
            f"Usage: {self(watch)} to watch (up to {MAX_JOBS} jobs), {self('status JOB_ID')} "
            f"for a private one-off check, {self(stop)}, {self('list')}, {self('help')}. "
            f"Options for watching and status: `--type column`, {_LANG_OPTIONS}."
        )


_ENTITY_RE = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def decode_slack_text(text: str) -> str:
    """Slack's `&amp;`, `&lt;`, `&gt;` back to what was typed, in one pass (`&amp;lt;` is `&lt;`).

    Called on each word after Slack's own `<...>` markup (mentions, links) has been handled,
    so a typed `<` is read as a character, never as markup, and is escaped once on the way out.
    """
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(1)], text)


def _words(text: str) -> list[str]:
    # str.split() already splits on every Unicode space (no-break, tabs, newlines, ideographic).
    words = [decode_slack_text(clean_token(w)) for w in text.split()]
    return [w for w in words if w]


@dataclass
class _Options:
    job_type: str | None = None
    language: str | None = None
    given: bool = False


def _take_options(words: list[str], form: _Form) -> tuple[list[str], _Options]:
    """Split words into plain words and the `--type`/`--lang` options (value inline or next)."""
    rest: list[str] = []
    opts = _Options()
    i = 0
    while i < len(words):
        word = words[i]
        match = _OPTION_RE.match(word)
        if match is None:
            rest.append(word)
            i += 1
            continue
        name = match.group("name").strip().lower()
        value = match.group("value")
        if name not in ("type", "lang", "language"):
            raise UsageError(
                f"Unknown option {quote_input(word)}: the options are `--type column` and "
                f"`--lang {'|'.join(LANGUAGES)}`. "
                f"Right form: {form('JOB_ID --type column --lang zh-cn')}."
            )
        if value is None:
            if i + 1 >= len(words) or _OPTION_RE.match(words[i + 1]):
                raise UsageError(
                    f"The option {quote_input(word)} needs a value. Right form: "
                    f"{form('JOB_ID --type column --lang zh-cn')}."
                )
            value = words[i + 1]
            i += 2
        else:
            i += 1
        value = clean_token(value).lower().translate(_DASHES)
        if name == "type":
            if value not in TYPES:
                raise UsageError(
                    f"{quote_input(value)} is not a known `--type`; the only type is `column` "
                    f"(leave the option out for the default). Right form: "
                    f"{form('JOB_ID --type column')}."
                )
            _set_once(opts, "job_type", value, word)
        else:
            if value not in LANGUAGES:
                raise UsageError(
                    f"{quote_input(value)} is not a known `--lang`; use {_LANG_VALUES}. "
                    f"Right form: {form('JOB_ID --lang zh-cn')}."
                )
            _set_once(opts, "language", value, word)
        opts.given = True
    return rest, opts


def _set_once(opts: _Options, attr: str, value: str, word: str) -> None:
    current = getattr(opts, attr)
    if current is not None and current != value:
        raise UsageError(
            f"The option {quote_input(word)} is given twice with different values; give it once."
        )
    setattr(opts, attr, value)


def _no_options(opts: _Options, verb: str, form: _Form) -> None:
    if opts.given:
        raise UsageError(
            f"`{verb}` takes no options (`--type` and `--lang` apply to watching and status). "
            f"Right form: {form(verb if verb != 'stop' else 'stop JOB_ID')}."
        )


def _job_ids(words: list[str], form: _Form) -> tuple[str, ...]:
    ids: list[str] = []
    for word in words:
        job_id = parse_job_id(word)
        if job_id not in ids:
            ids.append(job_id)
            if len(ids) > MAX_JOBS:
                raise UsageError(
                    f"Too many job IDs: at most {MAX_JOBS} at a time. Right form: "
                    f"{form('JOB_ID [JOB_ID ...]')} with up to {MAX_JOBS} IDs; "
                    "send the rest in another command."
                )
    return tuple(ids)


def _looks_like_id(word: str) -> bool:
    """Whether an unknown first word was meant as a job ID (then say what is wrong with it)."""
    return (
        any(ch.isdigit() or ch in "/%.\\?#" for ch in word)
        or word.count("-") >= 2
        or len(word) >= 20
    )


def _parse(words: list[str], form: _Form) -> Command:
    if not words:
        return Help()
    verb = words[0].lower()
    args, opts = _take_options(words[1:] if verb in _VERBS else words, form)
    try:
        return _dispatch(verb, args, opts, form)
    except InvalidJobId as exc:
        hint = {"status": "status", "check": "check", "stop": "stop", "watch": "watch"}
        right = f"{hint[verb]} JOB_ID" if verb in hint else "JOB_ID"
        raise InvalidJobId(f"{exc} Right form: {form(right)}.") from None


def _dispatch(verb: str, args: list[str], opts: _Options, form: _Form) -> Command:
    if verb == "help":
        return Help()
    if verb == "list":
        _no_options(opts, "list", form)
        if args:
            raise UsageError(
                f"`list` takes nothing after it (got {quote_input(' '.join(args))}). "
                f"Right form: {form('list')}."
            )
        return ListWatches()
    if verb in ("status", "check"):
        if len(args) != 1:
            got = "no job ID" if not args else f"{len(args)} words"
            raise UsageError(
                f"`{verb}` takes exactly one job ID ({got} given). Right form: "
                f"{form('status JOB_ID')}."
            )
        return Status(parse_job_id(args[0]), opts.job_type, opts.language)
    if verb == "stop":
        _no_options(opts, "stop", form)
        if len(args) > 1:
            raise UsageError(
                f"`stop` takes one job ID or `all` ({len(args)} words given). Right form: "
                f"{form('stop JOB_ID')} or {form('stop all')}."
            )
        if not args:
            if form.slash:
                raise UsageError(
                    f"`stop` needs a job ID or `all`. Right form: {form('stop JOB_ID')} "
                    f"or {form('stop all')}."
                )
            return Stop(None)
        if args[0].lower() == "all":
            return Stop(None)
        return Stop(parse_job_id(args[0]))
    if verb == "watch":
        if not args:
            raise UsageError(f"`watch` needs a job ID. Right form: {form('watch JOB_ID')}.")
        return Watch(_job_ids(args, form), opts.job_type, opts.language)
    # No verb: the words must be job IDs (the default action is watching).
    if not args:
        # Only options were given.
        raise UsageError(f"No job ID given. Right form: {form('JOB_ID --type column')}.")
    first = args[0]
    if not _looks_like_id(first):
        raise UsageError(f"{quote_input(first)} is not a command I know. {form.usage}")
    return Watch(_job_ids(args, form), opts.job_type, opts.language)


def parse_command(text: str, *, command_name: str = DEFAULT_COMMAND) -> Command:
    """Parse the text after the slash command; raises UsageError saying what to type instead."""
    return _parse(_words(text), _Form(command_name, slash=True))


def parse_mention(
    text: str, *, command_name: str = DEFAULT_COMMAND, bot_mention: str = "@bot"
) -> Command:
    """Parse an app_mention's text (mentions removed); `stop` alone means this thread's watches.

    `command_name` is accepted for symmetry; error messages show the mention form, since
    Slack does not run slash commands inside threads.
    """
    del command_name
    return _parse(_words(_MENTION_RE.sub(" ", text)), _Form(bot_mention, slash=False))


def usage_text(command_name: str = DEFAULT_COMMAND) -> str:
    """The one-line usage summary errors end with (also handy for listeners)."""
    return _Form(command_name, slash=True).usage
