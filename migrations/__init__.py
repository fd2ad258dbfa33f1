"""Alembic migrations; installed as `bot.migrations` so `drs-bot db upgrade` finds them anywhere."""
