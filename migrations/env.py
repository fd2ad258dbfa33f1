"""Alembic environment: runs migrations on the connection `bot.store.migrate` hands over.

From a checkout, plain `alembic upgrade head` (the root alembic.ini) works too: the URL then
comes from DATABASE_URL (or the ini's sqlalchemy.url) and is given the async driver.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

import bot.store.budget_models  # noqa: F401  (registers the budget tables on Base.metadata)
from bot.config import DEFAULT_DATABASE_URL
from bot.store.db import make_engine
from bot.store.models import Base
from bot.store.slack_tables import slack_metadata

config = context.config
# slack_sdk's OAuth stores own their tables' shape; our migrations create them.
target_metadata = [Base.metadata, slack_metadata()]


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


def _url() -> str:
    return (
        os.environ.get("DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
        or DEFAULT_DATABASE_URL
    )


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
    else:
        asyncio.run(_run_with_own_engine(_url()))
