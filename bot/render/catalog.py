"""The bot's words, one catalogue per language, and `t`: a key and named values to a sentence.

Each catalogue maps a key to a whole sentence (or label) with `{named}` placeholders; a test
holds the catalogues to the same keys and the same placeholders. Values are already safe
mrkdwn (render escapes them before they are put in); the templates themselves hold no user text.
"""

from __future__ import annotations

from bot.domain.commands import DEFAULT_LANGUAGE, Language
from bot.render import (
    catalog_en_us,
    catalog_en_us_errors,
    catalog_en_us_templates,
    catalog_zh_cn,
    catalog_zh_cn_errors,
    catalog_zh_cn_templates,
)

# One catalogue per language, kept in several modules by area.
CATALOGUES: dict[Language, dict[str, str]] = {
    Language.EN_US: {
        **catalog_en_us.MESSAGES,
        **catalog_en_us_errors.MESSAGES,
        **catalog_en_us_templates.MESSAGES,
    },
    Language.ZH_CN: {
        **catalog_zh_cn.MESSAGES,
        **catalog_zh_cn_errors.MESSAGES,
        **catalog_zh_cn_templates.MESSAGES,
    },
}


def t(lang: Language, key: str, **values: object) -> str:
    """The sentence `key` in `lang` with `values` put in its placeholders."""
    return CATALOGUES[lang][key].format(**values)


def language_of(value: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The language a stored or typed value names (`zh-cn`, `zh-CN`, `zh`), else `default`."""
    given = (value or "").strip().lower().replace("_", "-")
    for lang in Language:
        if given == lang.value:
            return lang
    if given.startswith("zh"):
        return Language.ZH_CN
    if given.startswith("en"):
        return Language.EN_US
    return default
