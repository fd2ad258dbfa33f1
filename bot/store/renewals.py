"""Renewing the leases a replica holds while it works (`bot.watcher.leasing.LeaseKeeper`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PolledJob
from bot.store.sql import dialect, rowcount


async def renew_leases(
    session: AsyncSession,
    *,
    owner: str,
    ids: Sequence[int],
    now: datetime,
    lease_seconds: float,
) -> int:
    """Extend the leases among `ids` that `owner` still holds to now + lease_seconds; how many.

    A lease another replica took over (ours ran out) is left alone: that poll's result is
    dropped when it is written (`leases.LeaseLost`).
    """
    ids = list(ids)
    if ids and dialect(session) == "postgresql":
        # Rows the sweep is writing right now are locked by it (and get their lease kept or
        # released there): skip them rather than wait, and lock the rest in one order, so a
        # renewal never deadlocks with a batch write of the same replica.
        locked = (
            select(PolledJob.id)
            .where(PolledJob.id.in_(ids), PolledJob.lease_owner == owner)
            .order_by(PolledJob.id)
            .with_for_update(skip_locked=True)
        )
        ids = list((await session.scalars(locked)).all())
    if not ids:
        return 0
    result = await session.execute(
        update(PolledJob)
        .where(PolledJob.id.in_(ids), PolledJob.lease_owner == owner)
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)
