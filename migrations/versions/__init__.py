"""Alembic revision scripts, oldest first (`down_revision` chains them)."""
