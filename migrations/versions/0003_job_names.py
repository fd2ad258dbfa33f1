"""A polled job's name, engines and direction from DRS's job details API, all nullable.

Revision ID: 0003_job_names
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_job_names"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "drs_polled_jobs"
_COLUMNS = (
    ("job_name", sa.String(128)),
    ("engine_type", sa.String(64)),
    ("job_direction", sa.String(64)),
    ("details_asked_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    # batch mode: SQLite cannot drop columns in place (downgrade), and adding is cheap either way
    with op.batch_alter_table(_TABLE) as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(_TABLE) as batch:
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
