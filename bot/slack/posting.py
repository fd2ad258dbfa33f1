"""Where a request came from, and posting a card there: shared by `watch` and finished jobs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DestinationGone, SlackError
from bot.render import answers
from bot.render.message import Message
from bot.runtime import Runtime
from bot.store import repo
from bot.store.channels import ChannelSettings, channel_settings
from bot.store.models import Watch

log = logging.getLogger(__name__)

Say = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Place:
    """Where a request came from and where its answers go."""

    team_id: str
    channel_id: str
    user_id: str
    thread_ts: str | None = None  # None: the channel itself (slash commands); else a thread
    # This request's read of the channel's `config` row (channel_of): one read per request.
    memo: dict[str, ChannelSettings | None] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )


async def channel_of(rt: Runtime, place: Place) -> ChannelSettings | None:
    """The channel's `config` settings, read once per request and kept on `place`; None when
    the database cannot say (an answer in the defaults beats no answer)."""
    if "channel" not in place.memo:
        found = None
        try:
            async with rt.sessions() as session:
                found = await channel_settings(
                    session, team_id=place.team_id, channel_id=place.channel_id
                )
        except SQLAlchemyError as exc:
            log.warning("channel %s: settings not read: %s", place.channel_id, type(exc).__name__)
        place.memo["channel"] = found
    return place.memo["channel"]


def forget_channel(place: Place) -> None:
    """After `config` changed the row: the next `channel_of` reads it again."""
    place.memo.pop("channel", None)


async def permalink(rt: Runtime, channel: str | None, ts: str | None) -> str | None:
    """A link to the message at `channel`/`ts`, or None when there is none."""
    if not channel or not ts:
        return None
    return await rt.slack.permalink(channel, ts)


async def get_or_create(
    session: AsyncSession,
    rt: Runtime,
    place: Place,
    job_id: str,
    job_type: str | None,
    language: str | None,
) -> tuple[Watch, bool]:
    """This job's watch here, created (or joined) with the asker and the runtime's timings."""
    now = rt.clock.now()
    return await repo.get_or_create_watch(
        session,
        team_id=place.team_id,
        channel_id=place.channel_id,
        thread_ts=place.thread_ts,
        project_id=rt.project_id,
        job_id=job_id,
        job_type=job_type,
        language=language or rt.settings.drs_language,
        requested_by=place.user_id,
        now=now,
        expires_at=now + rt.watch_lifetime,
        first_poll_at=now + rt.poll_interval,
        enterprise_id=rt.enterprise_id,  # OAuth mode: the org whose install holds the token
        region=rt.region,
    )


async def post_card(rt: Runtime, place: Place, message: Message) -> str | Message:
    """Post a card in the channel or thread: its ts, or what to tell the requester instead."""
    try:
        return await rt.slack.post(place.channel_id, message, thread_ts=place.thread_ts)
    except DestinationGone:
        return answers.invite_hint(rt.bot_user_id, place.channel_id)
    except SlackError as exc:
        log.warning("could not post a card in %s: %s", place.channel_id, exc)
        return answers.card_not_accepted(exc)
