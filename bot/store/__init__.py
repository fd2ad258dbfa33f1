"""Durable state: SQLAlchemy models, engine/session setup, repository functions, migrations."""
