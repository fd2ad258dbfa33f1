"""The sweep's side of the DRS request budget: claims sized by the slots granted, one per job.

Claim first (nothing due, no slot spent), then reserve one slot per claimed job in the same
transaction; jobs beyond the slots granted are released at once, still due, for whichever
replica has budget next. Claims are earliest-due first, so when watches need more than the
budget every watch waits its turn and every interval stretches evenly.
"""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.store import leases
from bot.store.budget import SessionSlots
from bot.store.rows import Claim

Funded = tuple[Claim, float | None]


class Pacer:
    """Sizes the sweep's claims to the budget and hands each claimed job its send slot."""

    def __init__(self, runtime: Runtime, *, concurrency: int) -> None:
        self.rt = runtime
        self.concurrency = concurrency

    def cap(self, room: int, *, in_hand: int) -> int:
        """How many jobs to claim at most for `room` free places in the batch.

        With a budget, no more in hand than there are polls in flight at once: a funded job
        queued behind the others would miss its slot (sent later than `pacing.LATE` after it,
        it must take a new one, a schedule round trip per request)."""
        budget = self.rt.budget
        if budget is None:
            return room
        return max(0, min(room, budget.claim_cap, self.concurrency - in_hand))

    def chunk(self, chunk: int) -> int:
        """The smallest claim worth a transaction: `chunk`, or all the budget allows if less."""
        budget = self.rt.budget
        return chunk if budget is None else min(chunk, budget.full_cap)

    async def fund(self, session: AsyncSession, claims: list[Claim]) -> list[Funded]:
        """A slot for each claim that gets one (earliest due first); the rest released. In the
        claim's own transaction: one round trip for the claim and its slots."""
        budget = self.rt.budget
        if budget is None or not claims:
            return [(claim, None) for claim in claims]
        slots = await budget.reserve(len(claims), SessionSlots(session))
        extra = [claim.id for claim in claims[len(slots) :]]
        if extra:
            await leases.release_leases(session, ids=extra, owner=self.rt.owner)
        return list(zip(claims, slots, strict=False))

    async def wait(self, slot: float | None) -> None:
        """Sleep until the job's slot (holding its place among the polls in flight)."""
        if self.rt.budget is not None:
            await self.rt.budget.wait_for(slot)

    def ticket(self, slot: float | None) -> AbstractContextManager[None]:
        """The job's first DRS request within the block goes out at `slot`."""
        if self.rt.budget is None or slot is None:
            return contextlib.nullcontext()
        return self.rt.budget.ticket(slot)
