"""Replica-wide state: Slack requests already taken, and a watch's final-reply intent.

Revision ID: 0008_replica_state
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_replica_state"
down_revision: str | None = "0007_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_seen_requests"


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=f"pk_{_TABLE}"),
    )
    op.create_index(f"ix_{_TABLE}_seen_at", _TABLE, ["seen_at"])
    op.add_column(
        "drs_watches", sa.Column("final_intent_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    # In place (SQLite 3.35+): a batch-mode rebuild would cascade-delete the watches.
    op.drop_column("drs_watches", "final_intent_at")
    op.drop_index(f"ix_{_TABLE}_seen_at", table_name=_TABLE)
    op.drop_table(_TABLE)
