"""Per-channel send slots for Slack, claimed atomically so every replica keeps one pace."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ChannelPace
from bot.store.sql import insert


async def reserve_slot(session: AsyncSession, *, channel: str, now: float, pace: float) -> float:
    """Claim the channel's next send time (epoch seconds) and push the one after it by `pace`.

    One statement (an upsert that returns the new row), so two replicas asking at once get
    two slots `pace` apart; a channel quiet for a while gets `now`.
    """
    later = case(
        (ChannelPace.next_at > now, ChannelPace.next_at + pace),
        else_=now + pace,
    )
    stmt = (
        insert(session, ChannelPace)
        .values(channel_id=channel, next_at=now + pace)
        .on_conflict_do_update(index_elements=[ChannelPace.channel_id], set_={"next_at": later})
        .returning(ChannelPace.next_at)
    )
    next_at = float((await session.execute(stmt)).scalar_one())
    return next_at - pace
