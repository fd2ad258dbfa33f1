"""Per-channel settings: the language of the channel's messages and its DRS region.

Revision ID: 0005_channel_settings
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_channel_settings"
down_revision: str | None = "0004_template_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_channel_settings"


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("updated_by", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{_TABLE}"),
        sa.UniqueConstraint("team_id", "channel_id", name=f"uq_{_TABLE}_place"),
    )


def downgrade() -> None:
    op.drop_table(_TABLE)
