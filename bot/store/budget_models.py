"""Tables of the shared DRS budget: the send schedule, and the guard on refused access keys."""

from __future__ import annotations

from sqlalchemy import Boolean, Double, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base


class BudgetRow(Base):
    """The one schedule all replicas take DRS send slots from (see `bot.drs.pacing`)."""

    __tablename__ = "drs_budget"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Double(), nullable=False)  # epoch seconds
    slow_until: Mapped[float] = mapped_column(Double(), nullable=False)
    level: Mapped[int] = mapped_column(Integer(), nullable=False)
    version: Mapped[int] = mapped_column(Integer(), nullable=False)  # compare-and-set


class KeyGuardRow(Base):
    """Refusals in a row of one access key, by a hash of the key (never the key itself)."""

    __tablename__ = "drs_key_guards"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    refusals: Mapped[int] = mapped_column(Integer(), nullable=False)
    locked: Mapped[bool] = mapped_column(Boolean(), nullable=False)
    last_refusal_at: Mapped[float | None] = mapped_column(Double(), nullable=True)
