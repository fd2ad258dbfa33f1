"""The catalogues: every key in every language, the same placeholders, whole sentences."""

from __future__ import annotations

import string

import pytest

from bot.domain.commands import Language
from bot.render.catalog import CATALOGUES, language_of, t


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_language_has_a_catalogue() -> None:
    assert set(CATALOGUES) == set(Language)


def test_every_key_exists_in_every_language() -> None:
    english = set(CATALOGUES[Language.EN_US])
    for lang, catalogue in CATALOGUES.items():
        assert set(catalogue) == english, (lang, set(catalogue) ^ english)


@pytest.mark.parametrize("key", sorted(CATALOGUES[Language.EN_US]))
def test_placeholders_match_exactly(key: str) -> None:
    english = _placeholders(CATALOGUES[Language.EN_US][key])
    for lang, catalogue in CATALOGUES.items():
        assert _placeholders(catalogue[key]) == english, (lang, key)


def _words(template: str) -> str:
    """The template's own text, placeholders and mrkdwn/emoji markup left out."""
    literal = "".join(text for text, *_ in string.Formatter().parse(template))
    for name in ("DRS", "Slack", "UTC", "API"):  # names, the same in both languages
        literal = literal.replace(name, "")
    return "".join(c for c in literal if c.isalpha() and c.isascii())


def test_chinese_sentences_are_translated() -> None:
    """Parity alone would pass a key copied untranslated: every Chinese sentence with words
    holds Chinese, and no English one does."""
    for key, text in CATALOGUES[Language.ZH_CN].items():
        english = CATALOGUES[Language.EN_US][key]
        has_chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
        assert has_chinese or not _words(english), key
    for text in CATALOGUES[Language.EN_US].values():
        assert not any("\u4e00" <= c <= "\u9fff" for c in text)


def test_lookup_fills_named_values() -> None:
    assert t(Language.ZH_CN, "duration.minutes", minutes=3) == "3 分钟"
    assert t(Language.EN_US, "duration.minutes", minutes=3) == "3 min"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh-cn", Language.ZH_CN),
        ("zh-CN", Language.ZH_CN),
        ("zh_TW", Language.ZH_CN),
        ("en-GB", Language.EN_US),
        ("fr-FR", Language.EN_US),
        (None, Language.EN_US),
    ],
)
def test_language_of_a_locale(given: str | None, expected: Language) -> None:
    assert language_of(given) is expected
