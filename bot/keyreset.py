"""`drs-bot key-reset`: sign with the configured access key again after the key guard stopped."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping

from bot.config import Settings, load_settings
from bot.metering import guarded_key
from bot.store import housekeeping
from bot.store.budget import note_accepted
from bot.store.db import make_engine, make_sessionmaker
from bot.store.migrate import ensure_schema

NO_KEY = (
    "drs-bot key-reset: no access key to reset: the key guard covers AK/SK signing only "
    "(set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK)."
)


async def reset_key(settings: Settings) -> str:
    """Forget the key's refusals and poll the paused jobs again; what to tell the operator."""
    key = guarded_key(settings)
    if key is None:
        return NO_KEY
    engine = make_engine(settings.database_url)
    try:
        await ensure_schema(engine, auto_upgrade=settings.db_auto_upgrade)
        async with make_sessionmaker(engine).begin() as session:
            await note_accepted(session, key_hash=key)
            paused = await housekeeping.unpause_all(session)
    finally:
        await engine.dispose()
    return (
        "The key guard for HUAWEICLOUD_SDK_AK is cleared: every replica signs with it again "
        f"(one request at a time until DRS accepts it); {paused} paused job(s) polled again."
    )


def run_key_reset(_args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """The command: 0 when cleared, 2 when no AK/SK is configured."""
    message = asyncio.run(reset_key(load_settings(env)))
    print(message)
    return 2 if message == NO_KEY else 0
