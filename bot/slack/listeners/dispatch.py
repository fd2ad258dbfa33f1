"""One dispatch for every surface that takes commands: parse, acknowledge, then act.

The slash command and `@bot` mentions share the grammar's `Command` types and this one path to
the service; what differs between them is data, a `Surface`: how its text is parsed, how the
first answer goes back (in the slash command's acknowledgement, or privately in the mention's
thread), whether watch and status are acknowledged with "Checking …", and how the answers that
follow reach the asker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.access.rules import Action
from bot.domain.commands import Language
from bot.errors import BotError, UsageError
from bot.render import answers
from bot.render.errors import error_text
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import control, files, regional, service
from bot.slack.channel_config import configure
from bot.slack.files import Attached
from bot.slack.grammar import (
    Command,
    Config,
    Help,
    ListWatches,
    Status,
    Stop,
    Template,
    Upload,
    Watch,
    parse_mention,
)
from bot.slack.guard import action_of, early_scope, permitted
from bot.slack.languages import place_language, reader_language
from bot.slack.service import Place, Say

Acknowledge = Callable[[Message | None], Awaitable[None]]
Work = Watch | Status | Stop | ListWatches | Template | Upload | Config


class Parse(Protocol):
    def __call__(self, text: str, *, command_name: str, lang: Language) -> Command: ...


@dataclass(frozen=True)
class Surface:
    """What differs between the surfaces that take commands."""

    parse: Parse
    acknowledge: Acknowledge  # called exactly once, first; None: nothing to say yet
    say: Say  # every later answer, to the asker only
    settle: Say  # the first answer after "Checking …": replaces it where that was shown
    shows_checking: bool  # whether watch and status are acknowledged with "Checking …"
    clear: Callable[[], Awaitable[None]] | None = None  # removes "Checking …" nothing replaced
    in_thread: bool = False  # right forms are the mention, not the slash command
    bot_user_id: str | None = None  # the bot's mention in right forms (else the runtime's)
    attached: Attached = field(default_factory=Attached)  # a mention's files, for `upload`


def conversation_surface(
    say: Say, *, bot_user_id: str | None = None, attached: Attached | None = None
) -> Surface:
    """Mentions and DMs: the mention's grammar, every answer (help and usage included) through
    `say`, no "Checking …"."""

    async def acknowledge(message: Message | None) -> None:
        if message is not None:
            await say(message)

    return Surface(
        parse=parse_mention,
        acknowledge=acknowledge,
        say=say,
        settle=say,
        shows_checking=False,
        in_thread=True,
        bot_user_id=bot_user_id,
        attached=attached or Attached(),
    )


async def dispatch(rt: Runtime, text: str, place: Place, surface: Surface) -> None:
    """Parse `text`, acknowledge, then do what it asks; a `BotError` becomes a sentence."""
    bot = surface.bot_user_id or rt.bot_user_id
    lang = await reader_language(rt, place)
    try:
        command = surface.parse(text, command_name=rt.command, lang=lang)
    except UsageError as exc:
        await surface.acknowledge(
            answers.usage_error_message(
                error_text(exc, lang),
                rt.command,
                bot_user_id=bot,
                in_thread=surface.in_thread,
                lang=lang,
            )
        )
        return
    if isinstance(command, Help):
        helper = answers.help_in_thread if surface.in_thread else answers.help_message
        await surface.acknowledge(helper(rt.command, bot_user_id=bot, lang=lang))
        return
    shown = checking(command, lang=lang) if surface.shows_checking else None
    await surface.acknowledge(shown)
    if shown is None:
        await perform(rt, command, place, say=surface.say, attached=surface.attached, lang=lang)
        return
    settling = Settling(surface.settle, surface.say)
    await perform(rt, command, place, say=settling, lang=lang)
    if not settling.settled and surface.clear is not None:
        await surface.clear()  # the answer was public (a card): nothing private is left


class Settling:
    """A `Say` whose first message replaces "Checking …"; the rest follow it."""

    def __init__(self, settle: Say, say: Say) -> None:
        self.settle = settle
        self.say = say
        self.settled = False

    async def __call__(self, message: Message) -> None:
        if self.settled:
            await self.say(message)
        else:
            self.settled = True
            await self.settle(message)


def checking(command: Work, *, lang: Language = Language.EN_US) -> Message | None:
    """The instant answer while DRS is asked (watch, status); None for the others."""
    if isinstance(command, Watch | Status):
        refs = command.job_ids if isinstance(command, Watch) else (command.job_id,)
        return answers.checking_message([str(ref) for ref in refs], lang=lang)
    return None


async def perform(
    rt: Runtime,
    command: Work,
    place: Place,
    *,
    say: Say,
    settle: Say | None = None,
    attached: Attached | None = None,
    lang: Language | None = None,
) -> None:
    """Call the service for one parsed command; a `BotError` is told to the asker.

    `lang`: the asker's language (their Slack locale, else the channel's), found when not given.
    """
    if not await permitted(rt, place, action_of(command), say=say, **early_scope(command)):
        return  # the asker was told privately which rule refused it
    if lang is None:
        lang = await reader_language(rt, place)
    try:
        if isinstance(command, Config):
            await configure(rt, place, command, say=say)
        elif isinstance(command, Template):
            await files.send_template(rt, place, command, say=say)
        elif isinstance(command, Upload):
            await files.upload(rt, place, command, attached or Attached(), say=say)
        else:
            await _call_service(rt, command, place, say=say, settle=settle or say, lang=lang)
    except BotError as exc:
        await say(answers.error_message(exc, lang=lang))


async def _call_service(
    rt: Runtime,
    command: Watch | Status | Stop | ListWatches,
    place: Place,
    *,
    say: Say,
    settle: Say,
    lang: Language,
) -> None:
    if isinstance(command, Status):
        job_id = await control.resolve(rt, place, command.job_id, say=settle, lang=lang)
        if job_id is not None:
            await service.status(
                rt,
                job_id,
                job_type=command.job_type,
                language=command.language or lang.value,  # the reader's, unless `--lang`
                say=settle,
                in_thread=place.thread_ts is not None,
                region=command.region,
                preferred=await regional.channel_region(rt, place),  # `config region`
                asker=(place, Action.STATUS),  # checked again in the job's region
            )
    elif isinstance(command, Watch):
        # A new watch takes the channel's language (`config lang`) unless `--lang` is given.
        language = command.language or (await place_language(rt, place)).value
        for ref in command.job_ids:
            job_id = await control.resolve(rt, place, ref, say=say, lang=lang)
            if job_id is not None:
                await service.watch(
                    rt,
                    place,
                    job_id,
                    job_type=command.job_type,
                    language=language,
                    say=say,
                    region=command.region,
                )
    elif isinstance(command, Stop):
        if command.job_id is None:
            await control.stop(rt, place, None, say=say, lang=lang)
        elif (
            job_id := await control.resolve(rt, place, command.job_id, say=say, lang=lang)
        ) is not None and await regional.stop_permitted(rt, place, job_id, say=say):
            await control.stop(rt, place, job_id, say=say, lang=lang)
    else:
        await control.list_watches(rt, place, say=say, lang=lang)
