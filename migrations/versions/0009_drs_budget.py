"""The DRS request budget shared by replicas, and the guard on refused access keys.

Revision ID: 0009_drs_budget
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_drs_budget"
down_revision: str | None = "0008_replica_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drs_budget",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("next_slot", sa.Double(), nullable=False),
        sa.Column("slow_until", sa.Double(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_drs_budget"),
    )
    op.create_table(
        "drs_key_guards",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("last_refusal_at", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("key_hash", name="pk_drs_key_guards"),
    )


def downgrade() -> None:
    op.drop_table("drs_key_guards")
    op.drop_table("drs_budget")
