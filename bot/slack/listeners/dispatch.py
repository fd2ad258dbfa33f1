"""One dispatch for every surface that takes commands: parse, acknowledge, then act.

The slash command and `@bot` mentions share the grammar's `Command` types and this one path to
the service; what differs between them is data, a `Surface`: how its text is parsed, how the
first answer goes back (in the slash command's acknowledgement, or privately in the mention's
thread), whether watch and status are acknowledged with "Checking …", and how the answers that
follow reach the asker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.errors import BotError, UsageError
from bot.render import answers
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import control, service
from bot.slack.grammar import Command, Help, ListWatches, Status, Stop, Watch
from bot.slack.service import Place, Say

Acknowledge = Callable[[Message | None], Awaitable[None]]
Work = Watch | Status | Stop | ListWatches


class Parse(Protocol):
    def __call__(self, text: str, *, command_name: str) -> Command: ...


@dataclass(frozen=True)
class Surface:
    """What differs between the surfaces that take commands."""

    parse: Parse
    acknowledge: Acknowledge  # called exactly once, first; None: nothing to say yet
    say: Say  # every later answer, to the asker only
    settle: Say  # the status answer: replaces "Checking …" where that was shown
    shows_checking: bool  # whether watch and status are acknowledged with "Checking …"


async def dispatch(rt: Runtime, text: str, place: Place, surface: Surface) -> None:
    """Parse `text`, acknowledge, then do what it asks; a `BotError` becomes a sentence."""
    try:
        command = surface.parse(text, command_name=rt.command)
    except UsageError as exc:
        await surface.acknowledge(answers.usage_error_message(exc.user_message(), rt.command))
        return
    if isinstance(command, Help):
        await surface.acknowledge(answers.help_message(rt.command, bot_user_id=rt.bot_user_id))
        return
    await surface.acknowledge(checking(command) if surface.shows_checking else None)
    await perform(rt, command, place, say=surface.say, settle=surface.settle)


def checking(command: Work) -> Message | None:
    """The instant answer while DRS is asked (watch, status); None for the others."""
    if isinstance(command, Watch | Status):
        ids = command.job_ids if isinstance(command, Watch) else (command.job_id,)
        return answers.checking_message(ids)
    return None


async def perform(
    rt: Runtime, command: Work, place: Place, *, say: Say, settle: Say | None = None
) -> None:
    """Call the service for one parsed command; a `BotError` is told to the asker."""
    try:
        await _call_service(rt, command, place, say=say, settle=settle or say)
    except BotError as exc:
        await say(answers.error_message(exc))


async def _call_service(rt: Runtime, command: Work, place: Place, *, say: Say, settle: Say) -> None:
    if isinstance(command, Status):
        await service.status(
            rt, command.job_id, job_type=command.job_type, language=command.language, say=settle
        )
    elif isinstance(command, Watch):
        for job_id in command.job_ids:
            await service.watch(
                rt, place, job_id, job_type=command.job_type, language=command.language, say=say
            )
    elif isinstance(command, Stop):
        await control.stop(rt, place, command.job_id, say=say)
    else:
        await control.list_watches(rt, place, say=say)
