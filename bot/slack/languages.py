"""Whose language a message is in: the channel's for what the channel sees, the reader's for
private answers (their Slack locale when known, else the channel's setting, else DRS_LANGUAGE).
"""

from __future__ import annotations

from bot.domain.commands import Language
from bot.locales import user_locale
from bot.render.catalog import language_of
from bot.runtime import Runtime
from bot.slack.posting import Place, channel_of


async def reader_language(rt: Runtime, place: Place) -> Language:
    """The language of an answer only `place.user_id` reads (ephemeral, DM, status)."""
    if locale := await user_locale(rt, team_id=place.team_id, user_id=place.user_id):
        return language_of(locale)
    return await place_language(rt, place)


async def place_language(rt: Runtime, place: Place) -> Language:
    """The language of what the channel sees: its `config lang`, else DRS_LANGUAGE."""
    found = await channel_of(rt, place)
    return found.language if found and found.language else language_of(rt.settings.drs_language)
