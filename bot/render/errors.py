"""An error's sentence in the reader's language (its catalogue key), else as it was raised."""

from __future__ import annotations

from typing import Any

from bot.domain.commands import Language
from bot.errors import BotError
from bot.errors.base import Phrase
from bot.render.catalog import t
from bot.render.text import EN


def error_text(error: BotError, lang: Language = EN) -> str:
    """`error.user_message()` in `lang` (plain text: the caller escapes it)."""
    found = error.catalogued()
    if found is None:
        return error.user_message()
    key, values = found
    return t(lang, key, **_values(values, lang))


def _values(values: dict[str, Any], lang: Language) -> dict[str, Any]:
    return {name: _value(value, lang) for name, value in values.items()}


def _value(value: Any, lang: Language) -> Any:
    if isinstance(value, BotError):
        return error_text(value, lang)
    if isinstance(value, Phrase):
        return t(lang, value.key, **_values(value.values, lang))
    if isinstance(value, list):
        return " ".join(str(_value(item, lang)) for item in value)
    return value
