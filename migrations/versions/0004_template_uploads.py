"""Once-only template uploads from Slack, and the uploaded file's name on its watch.

Revision ID: 0004_template_uploads
Revises: 0003_job_names
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_template_uploads"
down_revision: str | None = "0003_job_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_template_uploads"


def _ts(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("file_id", sa.String(64), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{_TABLE}"),
        sa.UniqueConstraint("event_key", "file_id", name=f"uq_{_TABLE}_event_file"),
        sa.CheckConstraint("state IN ('started', 'uploaded', 'failed')", name=f"ck_{_TABLE}_state"),
    )
    op.add_column("drs_watches", sa.Column("uploaded_file", sa.String(255), nullable=True))


def downgrade() -> None:
    op.drop_column("drs_watches", "uploaded_file")  # SQLite 3.35+ drops columns in place
    op.drop_table(_TABLE)
