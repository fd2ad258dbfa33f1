"""Polled jobs and watches.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATES = "'active', 'succeeded', 'failed', 'not_found', 'stopped', 'expired', 'undeliverable'"


def _ts(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "drs_polled_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("query_type", sa.String(16), server_default="", nullable=False),
        sa.Column("language", sa.String(8), server_default="en-us", nullable=False),
        sa.Column("send_success", sa.Boolean(), nullable=True),
        sa.Column("process_status", sa.String(64), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("rows_raw", sa.String(64), nullable=True),
        _ts("observed_at"),
        _ts("first_seen_at"),
        _ts("last_seen_at"),
        _ts("last_change_at"),
        _ts("next_poll_at"),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error_kind", sa.String(64), nullable=True),
        sa.Column("last_error_message", sa.Text(), nullable=True),
        sa.Column("paused", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        _ts("lease_expires_at"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drs_polled_jobs"),
        sa.UniqueConstraint("project_id", "job_id", "query_type", name="uq_drs_polled_jobs_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_drs_polled_jobs_next_poll_at", "drs_polled_jobs", ["next_poll_at"])

    op.create_table(
        "drs_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("polled_job_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("thread_key", sa.String(32), server_default="", nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.Column("card_channel", sa.String(32), nullable=True),
        sa.Column("card_ts", sa.String(32), nullable=True),
        sa.Column("requested_by", sa.String(32), nullable=False),
        sa.Column("joined_by", sa.JSON(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("expires_at", nullable=False),
        _ts("ended_at"),
        sa.Column("state", sa.String(16), server_default="active", nullable=False),
        sa.Column("job_type", sa.String(16), server_default="", nullable=False),
        sa.Column("language", sa.String(8), server_default="en-us", nullable=False),
        sa.Column("told", sa.JSON(), nullable=False),
        _ts("updated_at", nullable=False),
        sa.CheckConstraint(f"state IN ({_STATES})", name="ck_drs_watches_state"),
        sa.ForeignKeyConstraint(
            ["polled_job_id"],
            ["drs_polled_jobs.id"],
            name="fk_drs_watches_polled_job_id_drs_polled_jobs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_drs_watches"),
        sqlite_autoincrement=True,  # card buttons carry watch ids: never reuse one
    )
    op.create_index(
        "uq_drs_watches_active_place",
        "drs_watches",
        ["team_id", "channel_id", "thread_key", "polled_job_id"],
        unique=True,
        sqlite_where=sa.text("state = 'active'"),
        postgresql_where=sa.text("state = 'active'"),
    )
    op.create_index("ix_drs_watches_job_state", "drs_watches", ["polled_job_id", "state"])
    op.create_index("ix_drs_watches_place", "drs_watches", ["team_id", "channel_id", "state"])


def downgrade() -> None:
    op.drop_table("drs_watches")
    op.drop_table("drs_polled_jobs")
