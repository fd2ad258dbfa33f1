"""Whose language a message is in: the channel's for what the channel sees, the reader's for
private answers (their Slack locale when known, else the channel's setting, else DRS_LANGUAGE).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.commands import Language
from bot.errors import SlackError
from bot.render.catalog import language_of
from bot.runtime import Runtime
from bot.slack.posting import Place
from bot.store.channels import channel_settings

log = logging.getLogger(__name__)

LOCALE_TTL = timedelta(hours=1)  # how long a user's Slack locale is trusted before asking again


async def channel_language(rt: Runtime, *, team_id: str, channel_id: str) -> Language | None:
    """The language set with `config lang` in this channel, if any."""
    async with rt.sessions() as session:
        found = await channel_settings(session, team_id=team_id, channel_id=channel_id)
    return found.language


async def user_locale(rt: Runtime, *, team_id: str, user_id: str) -> str | None:
    """The user's Slack locale, asked at most once per `LOCALE_TTL`; None when unknown."""
    key = (team_id, user_id)
    now = rt.clock.now()
    if (cached := rt.locales.get(key)) is not None and now - cached[1] < LOCALE_TTL:
        return cached[0]
    try:
        locale = await rt.slack.user_locale(user_id)
    except SlackError as exc:  # e.g. missing_scope before the reinstall: fall back, quietly
        log.info("no Slack locale for %s: %s", user_id, exc)
        locale = None
    rt.locales[key] = (locale, now)
    return locale


async def reader_language(rt: Runtime, place: Place) -> Language:
    """The language of an answer only `place.user_id` reads (ephemeral, DM, status)."""
    if locale := await user_locale(rt, team_id=place.team_id, user_id=place.user_id):
        return language_of(locale)
    return await place_language(rt, place)


async def place_language(rt: Runtime, place: Place) -> Language:
    """The language of what the channel sees: its `config lang`, else DRS_LANGUAGE."""
    found = await channel_language(rt, team_id=place.team_id, channel_id=place.channel_id)
    return found or language_of(rt.settings.drs_language)
