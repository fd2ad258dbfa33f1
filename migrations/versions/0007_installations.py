"""Slack OAuth installs: slack_sdk's installation, bot and state tables; a watch's enterprise.

The three tables have exactly the columns and indexes of slack_sdk's own SQLAlchemy stores
(`AsyncSQLAlchemyInstallationStore`, `AsyncSQLAlchemyOAuthStateStore`), which read and write
them at run time; nothing calls their `create_tables`.

Revision ID: 0007_installations
Revises: 0004_template_uploads
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_installations"
down_revision: str | None = "0006_regions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _s(name: str, length: int, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _bot_columns() -> list[sa.Column[object]]:
    """The columns slack_sdk's bots and installations tables share, in its order."""
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _s("client_id", 32, nullable=False),
        _s("app_id", 32, nullable=False),
        _s("enterprise_id", 32),
        _s("enterprise_name", 200),
    ]


def _token_columns() -> list[sa.Column[object]]:
    return [
        _s("bot_token", 200),
        _s("bot_id", 32),
        _s("bot_user_id", 32),
        _s("bot_scopes", 1000),
        _s("bot_refresh_token", 200),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
    ]


def _installed() -> list[sa.Column[object]]:
    return [
        sa.Column("installed_at", sa.DateTime(), nullable=False),  # slack_sdk sets it
    ]


def _installations() -> None:
    op.create_table(
        "slack_installations",
        *_bot_columns(),
        _s("enterprise_url", 200),
        _s("team_id", 32),
        _s("team_name", 200),
        *_token_columns(),
        _s("user_id", 32, nullable=False),
        _s("user_token", 200),
        _s("user_scopes", 1000),
        _s("user_refresh_token", 200),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        _s("incoming_webhook_url", 200),
        _s("incoming_webhook_channel", 200),
        _s("incoming_webhook_channel_id", 200),
        _s("incoming_webhook_configuration_url", 200),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        _s("token_type", 32),
        *_installed(),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )


def _bots() -> None:
    op.create_table(
        "slack_bots",
        *_bot_columns(),
        _s("team_id", 32),
        _s("team_name", 200),
        *_token_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        *_installed(),
    )
    op.create_index(
        "slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]
    )


def upgrade() -> None:
    _installations()
    _bots()
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _s("state", 200, nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )
    op.add_column("drs_watches", sa.Column("enterprise_id", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("drs_watches", "enterprise_id")  # SQLite 3.35+ drops columns in place
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
