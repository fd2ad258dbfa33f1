"""`drs-bot doctor` in OAuth mode: the client credentials and the installation store, instead of
auth.test with one token (each workspace's token lives in the store)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.config_oauth import oauth_problems
from bot.doctor import Check
from bot.errors import StoreError
from bot.store.db import make_engine, require_sqlite_folder, safe_url
from bot.store.slack_tables import INSTALLATIONS, slack_metadata


def credentials_check(settings: Settings) -> Check:
    problems = oauth_problems(settings.slack_client_id, settings.slack_client_secret is not None)
    if problems:
        return Check("slack oauth", False, " ".join(problems), "set both, or neither")
    return Check("slack oauth", True, "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set")


async def installed_workspaces(settings: Settings) -> int:
    """How many workspaces (or orgs) hold an installation of this app (SLACK_CLIENT_ID)."""
    table = slack_metadata().tables[INSTALLATIONS]
    installs = (
        select(table.c.enterprise_id, table.c.team_id)
        .where(table.c.client_id == settings.slack_client_id)
        .distinct()
        .subquery()
    )
    query = select(func.count()).select_from(installs)
    require_sqlite_folder(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with asyncio.timeout(10), engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())
    finally:
        await engine.dispose()


async def oauth_checks(settings: Settings) -> list[Check]:
    """The client credentials, then the installation store (read, not written)."""
    checks = [credentials_check(settings)]
    if not checks[0].ok:
        return checks
    where = safe_url(settings.database_url)
    try:
        count = await installed_workspaces(settings)
    except (SQLAlchemyError, OSError, TimeoutError, StoreError) as exc:
        detail = f"installations in {where} unreadable ({type(exc).__name__})"
        fix = "run `drs-bot db upgrade` with the same DATABASE_URL (migration 0007)"
        checks.append(Check("slack installations", False, detail, fix))
        return checks
    if count == 0:
        detail = "no workspace has installed the app yet: open /slack/install to add one"
    else:
        detail = f"{count} workspace(s) installed, each with its own token"
    checks.append(Check("slack installations", True, detail))
    return checks
