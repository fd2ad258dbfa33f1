"""A channel's settings (`config`): the language of its messages and its DRS region.

Store functions take the session first and keywords after; none commits (the caller's
transaction does). Setting one value leaves the other as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.commands import Language
from bot.store.models import ChannelSetting, PolledJob, Watch
from bot.store.sql import ACTIVE, insert


@dataclass(frozen=True)
class ChannelSettings:
    """What `config` stores for one channel; None where nothing was set."""

    team_id: str
    channel_id: str
    language: Language | None
    region: str | None


def _language(value: str | None) -> Language | None:
    try:
        return Language(value) if value else None
    except ValueError:  # a value this version does not know: as if unset
        return None


async def channel_settings(
    session: AsyncSession, *, team_id: str, channel_id: str
) -> ChannelSettings:
    """The channel's settings; all None when it has none."""
    row = await session.scalar(
        select(ChannelSetting).where(
            ChannelSetting.team_id == team_id, ChannelSetting.channel_id == channel_id
        )
    )
    if row is None:
        return ChannelSettings(team_id, channel_id, None, None)
    return ChannelSettings(team_id, channel_id, _language(row.language), row.region)


async def _set(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    now: datetime,
    **value: Any,
) -> None:
    """Insert the channel's row with `value`, or update that one column of the row there."""
    await session.execute(
        insert(session, ChannelSetting)
        .values(team_id=team_id, channel_id=channel_id, updated_by=user_id, updated_at=now, **value)
        .on_conflict_do_update(
            index_elements=["team_id", "channel_id"],
            set_={"updated_by": user_id, "updated_at": now, **value},
        )
    )


async def set_channel_language(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    language: Language,
    user_id: str,
    now: datetime,
) -> None:
    """Store the channel's language (its region is kept)."""
    await _set(
        session,
        team_id=team_id,
        channel_id=channel_id,
        user_id=user_id,
        now=now,
        language=language.value,
    )


async def set_channel_region(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    region: str,
    user_id: str,
    now: datetime,
) -> None:
    """Store the channel's region (its language is kept)."""
    await _set(
        session, team_id=team_id, channel_id=channel_id, user_id=user_id, now=now, region=region
    )


async def switch_active_watches(
    session: AsyncSession, *, team_id: str, channel_id: str, language: Language, now: datetime
) -> int:
    """Give the channel's active watches (and the jobs they poll) `language`: how many.

    Watches first, then their jobs: the order the watch flow locks them in (the other order
    deadlocks on PostgreSQL against a watch being set up in the channel at the same time).
    """
    switched = await session.execute(
        update(Watch)
        .where(Watch.team_id == team_id, Watch.channel_id == channel_id, Watch.state == ACTIVE)
        .values(language=language.value, updated_at=now)
        .returning(Watch.polled_job_id)
        .execution_options(synchronize_session=False)
    )
    rows = switched.all()
    job_ids = sorted({row[0] for row in rows})
    if job_ids:
        # DRS is asked in the watch's language: the polled job carries it for the sweep.
        await session.execute(
            update(PolledJob)
            .where(PolledJob.id.in_(job_ids))
            .values(language=language.value)
            .execution_options(synchronize_session=False)
        )
    return len(rows)
