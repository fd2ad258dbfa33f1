"""A watch's final-reply intent: written before the final is sent, read by whoever sends it next."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Watch


async def record_final_intent(session: AsyncSession, *, watch_id: int, now: datetime) -> None:
    """Say the final reply of `watch_id` is about to be sent (the first such time is kept)."""
    await session.execute(
        update(Watch)
        .where(Watch.id == watch_id, Watch.final_intent_at.is_(None))
        .values(final_intent_at=now)
        .execution_options(synchronize_session=False)
    )
