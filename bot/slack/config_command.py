"""The `config` words: show the channel's settings, `config lang LANG`, `config region REGION`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.commands import Language
from bot.drs.jobid import quote_input
from bot.errors import UsageError
from bot.render import usage
from bot.slack.options import Options, RightForm, no_options

# A Huawei Cloud region's shape: `ap-southeast-1`, `cn-north-4`, `la-south-2`.
REGION_SHAPE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_LANGUAGE_WORDS = ("lang", "language")


@dataclass(frozen=True)
class Config:
    """Show the channel's settings (`setting` None), or set its language or its region."""

    setting: str | None = None  # "language" | "region"
    value: str | None = None  # a `Language` value, or a region in lower case


def parse_config(args: list[str], opts: Options, form: RightForm) -> Config:
    """`config`, `config lang zh-cn|en-us`, `config region REGION`; else what to type."""
    no_options(opts, "config", form)
    if not args:
        return Config()
    what = args[0].lower()
    if what in _LANGUAGE_WORDS and len(args) == 2:
        return Config("language", _language(args[1], form))
    if what == "region" and len(args) == 2:
        return Config("region", _region(args[1], form))
    raise UsageError(usage.config_usage(quote_input(" ".join(args)), form, lang=form.lang))


def _language(word: str, form: RightForm) -> str:
    given = word.lower().replace("_", "-")
    for lang in Language:
        if given == lang.value:
            return lang.value
    known = [lang.value for lang in Language]
    raise UsageError(usage.config_unknown_language(quote_input(word), known, form, lang=form.lang))


def _region(word: str, form: RightForm) -> str:
    region = word.lower()
    if not REGION_SHAPE.match(region):
        raise UsageError(usage.config_bad_region(quote_input(word), form, lang=form.lang))
    return region
