"""Whose language a message is in: the channel's for what the channel sees, the reader's for
private answers (their Slack locale when known, else the channel's setting, else DRS_LANGUAGE).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.domain.commands import Language
from bot.locales import user_locale
from bot.render.catalog import language_of
from bot.runtime import Runtime
from bot.slack.posting import Place
from bot.store.channels import channel_settings

log = logging.getLogger(__name__)


async def channel_language(rt: Runtime, *, team_id: str, channel_id: str) -> Language | None:
    """The language set with `config lang` in this channel, if any (None, too, when the
    database cannot say: an answer in the default language beats no answer)."""
    try:
        async with rt.sessions() as session:
            found = await channel_settings(session, team_id=team_id, channel_id=channel_id)
    except SQLAlchemyError as exc:
        log.warning("channel %s: language not read: %s", channel_id, type(exc).__name__)
        return None
    return found.language


async def reader_language(rt: Runtime, place: Place) -> Language:
    """The language of an answer only `place.user_id` reads (ephemeral, DM, status)."""
    if locale := await user_locale(rt, team_id=place.team_id, user_id=place.user_id):
        return language_of(locale)
    return await place_language(rt, place)


async def place_language(rt: Runtime, place: Place) -> Language:
    """The language of what the channel sees: its `config lang`, else DRS_LANGUAGE."""
    found = await channel_language(rt, team_id=place.team_id, channel_id=place.channel_id)
    return found or language_of(rt.settings.drs_language)
