"""What `config` answers: the channel's settings, and the confirmations of a change."""

from __future__ import annotations

from bot.domain.commands import Language
from bot.render.blocks import section
from bot.render.catalog import t
from bot.render.message import Message, escape
from bot.render.text import EN, code

LANGUAGE_NAMES = {Language.EN_US: "language.en_us", Language.ZH_CN: "language.zh_cn"}


def language_name(language: Language, *, lang: Language = EN) -> str:
    """`English (en-us)`, `简体中文 (zh-cn)`."""
    return t(lang, LANGUAGE_NAMES[language], code=language.value)


def channel_settings_message(
    *,
    language: Language | None,
    region: str | None,
    default_language: Language,
    default_region: str | None,
    command_name: str,
    lang: Language = EN,
) -> Message:
    """`config`: this channel's language and region, each with the default when unset."""
    cmd = escape(command_name)
    if language is not None:
        shown_lang = t(lang, "config.language.set", name=language_name(language, lang=lang))
    else:
        shown_lang = t(
            lang, "config.language.default", name=language_name(default_language, lang=lang)
        )
    if region is not None:
        shown_region = t(lang, "config.region.set", region=code(region, 40))
    elif default_region:
        shown_region = t(lang, "config.region.default", region=code(default_region, 40))
    else:
        shown_region = t(lang, "config.region.none")
    body = t(lang, "config.show", language=shown_lang, region=shown_region, cmd=cmd)
    text = t(lang, "config.show.push", language=shown_lang, region=shown_region)
    return Message(text, [section(f":gear: {body}")])


def language_set(language: Language, *, switched: int, command_name: str) -> Message:
    """`config lang X` done: said in the new language, with how many watches follow it."""
    name = language_name(language, lang=language)
    cmd = escape(command_name)
    key = "config.language.changed"
    if switched:
        key += ".watch" if switched == 1 else ".watches"
    text = t(language, key, name=name, count=switched, cmd=cmd)
    return Message(text, [section(f":speech_balloon: {text}")])


def region_set(region: str, *, command_name: str, lang: Language = EN) -> Message:
    """`config region R` done."""
    text = t(lang, "config.region.changed", region=code(region, 40), cmd=escape(command_name))
    return Message(text, [section(f":globe_with_meridians: {text}")])
