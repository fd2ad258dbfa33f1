"""The region a polled job was found in (several regions served from one process).

Revision ID: 0006_regions
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_regions"
down_revision: str | None = "0005_channel_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: the default region (every job watched before several regions were served).
    op.add_column("drs_polled_jobs", sa.Column("region", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("drs_polled_jobs", "region")  # SQLite 3.35+ drops columns in place
