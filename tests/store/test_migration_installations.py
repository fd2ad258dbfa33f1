"""Migration 0007: an older database keeps its live watches and gains slack_sdk's OAuth tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import text

from bot.store.db import make_engine
from bot.store.migrate import current_revision
from tests.store.migrations import LIVE_JOB, LIVE_WATCH, to_revision

REVISION = "0007_installations"

_WATCHES = text("SELECT requested_by, state FROM drs_watches")


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


async def _stores_work(engine: object) -> None:
    """slack_sdk's own async stores read and write the migrated tables on our engine."""
    installations = AsyncSQLAlchemyInstallationStore(client_id="111.222", engine=engine)  # type: ignore[arg-type]
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=60, engine=engine)  # type: ignore[arg-type]
    await installations.async_save(_installation("T1", rotated=True))
    found = await installations.async_find_installation(enterprise_id="E1", team_id="T1")
    assert found is not None and found.bot_token == "xoxb-T1"
    assert found.bot_refresh_token == "xoxe-1-r" and found.bot_token_expires_at is not None
    bot = await installations.async_find_bot(enterprise_id="E1", team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-T1"
    state = await states.async_issue()
    assert await states.async_consume(state) and not await states.async_consume(state)


async def _migrate_with_data(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0004_template_uploads"))
            await conn.execute(LIVE_JOB)
            await conn.execute(LIVE_WATCH)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision(REVISION))
            rows = await conn.execute(
                text("SELECT requested_by, state, enterprise_id FROM drs_watches")
            )
            watches = [tuple(r) for r in rows]
        assert watches == [("U", "active", None)]
        assert await current_revision(engine) == REVISION
        await _stores_work(engine)
        async with engine.begin() as conn:
            await conn.run_sync(to_revision("0004_template_uploads", down=True))
            kept = [tuple(r) for r in await conn.execute(_WATCHES)]
        assert kept == [("U", "active")]
    finally:
        await engine.dispose()


async def test_sqlite_0004_database_upgrades_and_keeps_its_watches(tmp_path: object) -> None:
    await _migrate_with_data(f"sqlite:///{tmp_path}/old.sqlite3")


async def test_postgres_0004_database_upgrades_and_keeps_its_watches(
    empty_pg_url: Callable[..., str],
) -> None:
    await _migrate_with_data(empty_pg_url())
