"""Builds what a serving process shares with the other replicas about DRS: budget and key guard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import CredentialKind, Settings
from bot.drs.budget import Budget
from bot.drs.keyguard import KeyGuard, key_hash
from bot.store.budget import BudgetLedger
from bot.store.leases import Writer


@dataclass
class Metering:
    """The request budget (every DRS request) and the key guard (AK/SK signing only)."""

    budget: Budget
    guard: KeyGuard | None
    ledger: BudgetLedger


def guarded_key(settings: Settings) -> str | None:
    """The hash the key guard files the configured access key under (None without AK/SK)."""
    kinds = settings.credential_kinds()
    if not kinds or kinds[0] is not CredentialKind.AKSK or settings.huaweicloud_sdk_ak is None:
        return None
    return key_hash(settings.huaweicloud_sdk_ak.get_secret_value())


async def build_metering(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], *, clock: Clock
) -> Metering:
    """The budget and guard over the database; a (re)start gives a locked key another try."""
    ledger = BudgetLedger(Writer(sessions).begin)
    budget = Budget(ledger, clock=clock, max_rps=settings.drs_max_rps)
    key = guarded_key(settings)
    guard = KeyGuard(ledger, key=key, clock=clock) if key is not None else None
    if guard is not None:
        await guard.start()
    return Metering(budget, guard, ledger)
