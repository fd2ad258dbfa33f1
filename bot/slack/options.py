"""Options in typed commands (`--type`, `--lang`, `--level`, `--mapping`, `--region`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.commands import Language
from bot.drs.jobid import clean_token, quote_input
from bot.drs.template_options import MAPPINGS, UPLOAD_LEVELS
from bot.errors import UsageError
from bot.render import usage

MAX_JOBS = 5
TYPES = ("column",)
LANGUAGES = tuple(lang.value for lang in Language)


# Phones turn `--` into an em dash (or an en dash); accept any such run as the option prefix.
OPTION_RE = re.compile(r"^(?:--|[—–]{1,2}|-[—–]|[—–]-|−−)(?P<name>[^=]*)(?:=(?P<value>.*))?$")
_DASHES = str.maketrans({"—": "-", "–": "-", "−": "-", "_": "-"})
_OPTION_NAMES = {
    "type": "job_type",
    "lang": "language",
    "language": "language",
    "level": "level",
    "mapping": "mapping",
    "region": "region",
}
# What each option takes, and the verbs that take it (watch and status take --type and --lang).
_OPTION_VALUES = {
    "job_type": ("--type", TYPES),
    "language": ("--lang", LANGUAGES),
    "level": ("--level", UPLOAD_LEVELS),
    "mapping": ("--mapping", MAPPINGS),
    "region": ("--region", ()),  # any region name; the service checks it is served
}
_REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


@dataclass(frozen=True)
class RightForm:
    """How to show the right form where the user typed: the slash command, or the mention."""

    prefix: str
    slash: bool
    lang: Language = Language.EN_US  # the reader's: usage errors are written in it

    def __call__(self, rest: str) -> str:
        # A mention inside a code span would not render as one, so it stays outside.
        return f"`{self.prefix} {rest}`" if self.slash else f"{self.prefix} `{rest}`"

    @property
    def usage(self) -> str:
        return usage.usage_line(self, slash=self.slash, max_jobs=MAX_JOBS, lang=self.lang)


@dataclass
class Options:
    job_type: str | None = None
    language: str | None = None
    level: str | None = None
    mapping: str | None = None
    region: str | None = None
    given: bool = False


def take_options(words: list[str], form: RightForm) -> tuple[list[str], Options]:
    """Split words into plain words and the `--type`/`--lang` options (value inline or next)."""
    rest: list[str] = []
    opts = Options()
    i = 0
    while i < len(words):
        match = OPTION_RE.match(words[i])
        if match is None:
            rest.append(words[i])
            i += 1
            continue
        name = match.group("name").strip().lower()
        if name not in _OPTION_NAMES:
            raise UsageError(
                usage.unknown_option(quote_input(words[i]), LANGUAGES, form, lang=form.lang)
            )
        value = match.group("value")
        if value is None:
            if i + 1 >= len(words) or OPTION_RE.match(words[i + 1]):
                raise UsageError(
                    usage.option_needs_value(quote_input(words[i]), form, lang=form.lang)
                )
            value = words[i + 1]
        _set_option(opts, words[i], _OPTION_NAMES[name], value, form)
        i += 1 if match.group("value") is not None else 2
    return rest, opts


def _set_option(opts: Options, word: str, attr: str, raw: str, form: RightForm) -> None:
    value = clean_token(raw).lower().translate(_DASHES)
    option, known = _OPTION_VALUES[attr]
    if attr in ("level", "mapping"):  # DRS's own spellings: `table_mapping`, `compare_key`
        value = value.replace("-", "_")
    if attr == "region" and not _REGION_RE.fullmatch(value):
        right = form("JOB_ID --region ap-southeast-3")
        raise UsageError(
            f"{quote_input(value)} is not a region name. Right form: {right}."
        ).with_key("usage.not_a_region", quoted=quote_input(value), form=right)
    if attr != "region" and value not in known:
        raise UsageError(
            usage.unknown_option_value(quote_input(value), option, known, form, lang=form.lang)
        )
    current = getattr(opts, attr)
    if current is not None and current != value:
        raise UsageError(usage.option_twice(quote_input(word), lang=form.lang))
    setattr(opts, attr, value)
    opts.given = True


def no_options(opts: Options, verb: str, form: RightForm) -> None:
    if opts.given:
        raise UsageError(usage.takes_no_options(verb, form, lang=form.lang))


def only(
    opts: Options, verb: str, allowed: tuple[str, ...], *, lang: Language = Language.EN_US
) -> None:
    """Refuse an option the verb does not take (watch and status take --type and --lang)."""
    for attr in ("job_type", "level", "mapping", "region"):
        if getattr(opts, attr) is not None and attr not in allowed:
            option = _OPTION_VALUES[attr][0]
            raise UsageError(usage.option_not_for(option, verb, lang=lang))
