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
    for name, kind in _COLUMNS:
        op.add_column(_TABLE, sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+ drops columns natively): a batch-mode table rebuild would delete
    # every watch through the foreign key's ON DELETE CASCADE.
    for name, _kind in reversed(_COLUMNS):
        op.drop_column(_TABLE, name)
