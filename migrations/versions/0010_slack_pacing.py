"""Slack pacing: one row per channel saying when its next message may go.

Revision ID: 0010_slack_pacing
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_slack_pacing"
down_revision: str | None = "0009_drs_budget"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_slack_pace"


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("next_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=f"pk_{_TABLE}"),
    )


def downgrade() -> None:
    op.drop_table(_TABLE)
