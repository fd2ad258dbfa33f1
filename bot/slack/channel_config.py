"""What `config` does: show the channel's settings, or store its language or its region.

`config lang X` also moves the channel's active watches to X (the sweep asks DRS and writes
every later card edit and reply in it), and redraws their cards in it at once.
"""

from __future__ import annotations

import logging

from bot.domain.commands import Language
from bot.drs.region_factory import UNNAMED_REGION
from bot.errors import SlackError, UnknownRegion
from bot.render import answers, cards
from bot.render.catalog import language_of
from bot.render.settings import channel_settings_message, language_set, region_set
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.slack.config_command import Config
from bot.slack.languages import reader_language
from bot.slack.posting import Place, Say, channel_of, forget_channel
from bot.store import channels
from bot.store.lookups import list_active_watches

log = logging.getLogger(__name__)


async def configure(rt: Runtime, place: Place, command: Config, *, say: Say) -> None:
    """Carry out one `config` command and answer the asker."""
    if command.setting == "language" and command.value:
        await _set_language(rt, place, Language(command.value), say=say)
    elif command.setting == "region" and command.value:
        if not _servable(rt, command.value):
            served = rt.regions.names
            error = UnknownRegion(command.value, served, form="config region {}")
            await say(answers.error_message(error, lang=await reader_language(rt, place)))
            return
        async with rt.sessions.begin() as session:
            await channels.set_channel_region(
                session,
                team_id=place.team_id,
                channel_id=place.channel_id,
                region=command.value,
                user_id=place.user_id,
                now=rt.clock.now(),
            )
        forget_channel(place)
        lang = await reader_language(rt, place)
        await say(region_set(command.value, command_name=rt.command, lang=lang))
    else:
        await _show(rt, place, say=say)


async def _show(rt: Runtime, place: Place, *, say: Say) -> None:
    found = await channel_of(rt, place)  # read already for the asker's language, most often
    if found is None:  # the database could not say: asked again, its error is not "nothing set"
        async with rt.sessions() as session:
            found = await channels.channel_settings(
                session, team_id=place.team_id, channel_id=place.channel_id
            )
    answer = channel_settings_message(
        language=found.language,
        region=found.region,
        default_language=language_of(rt.settings.drs_language),
        default_region=_named(rt.regions.default_region),
        command_name=rt.command,
        lang=await reader_language(rt, place),
    )
    await say(answer)


async def _set_language(rt: Runtime, place: Place, language: Language, *, say: Say) -> None:
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        await channels.set_channel_language(
            session,
            team_id=place.team_id,
            channel_id=place.channel_id,
            language=language,
            user_id=place.user_id,
            now=now,
        )
        switched = await channels.switch_active_watches(
            session, team_id=place.team_id, channel_id=place.channel_id, language=language, now=now
        )
    forget_channel(place)
    await say(language_set(language, switched=switched, command_name=rt.command))
    if switched:
        await _redraw_cards(rt, place, language)


async def _redraw_cards(rt: Runtime, place: Place, language: Language) -> None:
    """The channel's active cards, drawn again in the new language (best effort)."""
    async with rt.sessions() as session:
        found = await list_active_watches(
            session, team_id=place.team_id, channel_id=place.channel_id
        )
    for watch, job in found:
        if not watch.card_ts:
            continue
        channel = watch.card_channel or watch.channel_id
        try:
            await rt.slack.update(
                channel, watch.card_ts, cards.watch_card(card_view(watch, job), lang=language)
            )
        except SlackError as exc:  # the next change redraws it anyway
            log.info("watch %s: card not redrawn in %s: %s", watch.id, language, exc)


def _named(region: str) -> str | None:
    """The default region's name; None when only DRS_ENDPOINT says where DRS is."""
    return None if region == UNNAMED_REGION else region


def _servable(rt: Runtime, region: str) -> bool:
    """A region this process serves (any well-shaped one when its only region has no name)."""
    return rt.regions.known(region) or _named(rt.regions.default_region) is None
