"""Once-only template uploads: claim an (event, file) pair, then record how the upload ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import TemplateUpload
from bot.store.sql import insert, rowcount

STARTED: Final = "started"
UPLOADED: Final = "uploaded"
FAILED: Final = "failed"
# Longer than the Slack download and the DRS upload together may take: a `started` claim
# older than this was left by a process that stopped.
STALE_AFTER = timedelta(minutes=4)


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming: `mine` when this call made the claim; else what was found."""

    id: int
    mine: bool
    state: str
    owner: str
    updated_at: datetime

    def interrupted(self, now: datetime) -> bool:
        """Another process started it and never finished (it stopped): report, never resend."""
        return not self.mine and self.state == STARTED and now - self.updated_at > STALE_AFTER


async def claim(
    session: AsyncSession,
    *,
    event_key: str,
    file_id: str,
    team_id: str,
    channel_id: str,
    thread_ts: str | None,
    job_id: str,
    file_name: str,
    user_id: str,
    owner: str,
    now: datetime,
) -> Claim:
    """Claim the upload of `file_id` for `event_key`; one caller ever gets `mine=True`."""
    new_id = (
        await session.execute(
            insert(session, TemplateUpload)
            .values(
                event_key=event_key[:64],
                file_id=file_id[:64],
                team_id=team_id,
                channel_id=channel_id,
                thread_ts=thread_ts,
                job_id=job_id,
                file_name=file_name[:255],
                user_id=user_id,
                state=STARTED,
                owner=owner[:128],
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing()
            .returning(TemplateUpload.id)
        )
    ).scalar_one_or_none()
    if new_id is not None:
        return Claim(new_id, True, STARTED, owner, now)
    return await _claimed_before(session, event_key=event_key, file_id=file_id)


async def _claimed_before(session: AsyncSession, *, event_key: str, file_id: str) -> Claim:
    """The claim another caller made first (its row is visible once our insert lost)."""
    found = (
        await session.scalars(
            select(TemplateUpload).where(
                TemplateUpload.event_key == event_key[:64], TemplateUpload.file_id == file_id[:64]
            )
        )
    ).one()
    return Claim(found.id, False, found.state, found.owner, found.updated_at)


async def finish(session: AsyncSession, *, claim_id: int, state: str, now: datetime) -> None:
    """Record how the upload ended (`uploaded` or `failed`)."""
    await session.execute(
        update(TemplateUpload)
        .where(TemplateUpload.id == claim_id)
        .values(state=state, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def take_interrupted(session: AsyncSession, *, claim_id: int, now: datetime) -> bool:
    """Mark an interrupted upload `failed`; True for the one caller that did (it reports)."""
    result = await session.execute(
        update(TemplateUpload)
        .where(TemplateUpload.id == claim_id, TemplateUpload.state == STARTED)
        .values(state=FAILED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1
