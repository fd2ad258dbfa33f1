"""People's Slack locales (`users.info` with `include_locale`), asked once an hour per person.

Listeners and the watcher (the Home) both need them, so this sits below both.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.commands import Language
from bot.errors import SlackError
from bot.render.catalog import language_of
from bot.runtime import Runtime

log = logging.getLogger(__name__)

LOCALE_TTL = timedelta(hours=1)  # how long a user's Slack locale is trusted before asking again
_MAX_KEPT = 50_000


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
    if len(rt.locales) >= _MAX_KEPT:  # a bound on memory: everyone is simply asked again
        rt.locales.clear()
    rt.locales[key] = (locale, now)
    return locale


async def user_language(rt: Runtime, *, team_id: str, user_id: str) -> Language:
    """The user's language from their Slack locale, else DRS_LANGUAGE (no channel to ask)."""
    locale = await user_locale(rt, team_id=team_id, user_id=user_id)
    return language_of(locale or rt.settings.drs_language)
