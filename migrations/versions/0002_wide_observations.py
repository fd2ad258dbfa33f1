"""Row counts as 64-bit integers and DRS text of any length on PostgreSQL.

SQLite needs no change: its INTEGER holds 64 bits and its VARCHAR any length.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_polled_jobs"
_TEXTS = ("process_status", "rows_raw")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgres():
        return
    op.alter_column(
        _TABLE, "rows", type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=True
    )
    for name in _TEXTS:
        op.alter_column(
            _TABLE, name, type_=sa.Text(), existing_type=sa.String(64), existing_nullable=True
        )


def downgrade() -> None:
    if not _postgres():
        return
    # What no longer fits is dropped (a count) or clipped (text), never refused.
    op.alter_column(
        _TABLE,
        "rows",
        type_=sa.Integer(),
        existing_type=sa.BigInteger(),
        existing_nullable=True,
        postgresql_using="CASE WHEN rows > 2147483647 THEN NULL ELSE rows END",
    )
    for name in _TEXTS:
        op.alter_column(
            _TABLE,
            name,
            type_=sa.String(64),
            existing_type=sa.Text(),
            existing_nullable=True,
            postgresql_using=f"left({name}, 64)",
        )
