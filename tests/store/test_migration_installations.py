"""Migration 0007: an older database keeps its live watches and gains slack_sdk's OAuth tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.store.migrations import keeps_live_watch

REVISION = "0007_installations"


def _installation(team: str, *, rotated: bool) -> Installation:
    expires = int((datetime.now(UTC) + timedelta(hours=12)).timestamp()) if rotated else None
    return Installation(
        app_id="A1",
        enterprise_id="E1",
        team_id=team,
        bot_token=f"xoxb-{team}",
        bot_id="B1",
        bot_user_id="U0BOT",
        bot_scopes="chat:write,commands",
        bot_refresh_token="xoxe-1-r" if rotated else None,
        bot_token_expires_at=expires,
        user_id="U1",
    )


async def _stores_work(engine: AsyncEngine) -> None:
    """slack_sdk's own async stores read and write the migrated tables on our engine."""
    installations = AsyncSQLAlchemyInstallationStore(client_id="111.222", engine=engine)
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=60, engine=engine)
    await installations.async_save(_installation("T1", rotated=True))
    found = await installations.async_find_installation(enterprise_id="E1", team_id="T1")
    assert found is not None and found.bot_token == "xoxb-T1"
    assert found.bot_refresh_token == "xoxe-1-r" and found.bot_token_expires_at is not None
    bot = await installations.async_find_bot(enterprise_id="E1", team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-T1"
    state = await states.async_issue()
    assert await states.async_consume(state) and not await states.async_consume(state)


async def _new_tables_and_column(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        rows = await conn.execute(text("SELECT requested_by, enterprise_id FROM drs_watches"))
        assert [tuple(r) for r in rows] == [("U", None)]
    await _stores_work(engine)


async def test_sqlite_0004_database_upgrades_and_keeps_its_watches(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    await keeps_live_watch(url, REVISION, check=_new_tables_and_column)


async def test_postgres_0004_database_upgrades_and_keeps_its_watches(
    empty_pg_url: Callable[..., str],
) -> None:
    await keeps_live_watch(empty_pg_url(), REVISION, check=_new_tables_and_column)
