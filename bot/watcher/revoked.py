"""A delivery refused for the token itself (invalid_auth, token_revoked): what it means per mode.

With one token (SLACK_BOT_TOKEN) every workspace is stalled until the token is fixed, so no
watch ends: they resume once it is. In OAuth mode the token is one workspace's installation:
that workspace's watches end (undeliverable, nothing posted, as on `app_uninstalled`) and the
others go on; it is installed again through /slack/install.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DestinationGone
from bot.runtime import Runtime
from bot.store.models import Watch
from bot.store.workspaces import end_workspace_watches

log = logging.getLogger(__name__)

Tx = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def token_refused(rt: Runtime, watch: Watch, exc: DestinationGone, tx: Tx) -> bool:
    """Log the right advice; True when the watch's workspace's watches were ended (OAuth)."""
    if rt.workspaces is None:
        log.error("watch %s: %s; fix SLACK_BOT_TOKEN", watch.id, exc)
        return False
    where = f"workspace {watch.team_id}" + (
        f" of org {watch.enterprise_id}" if watch.enterprise_id else ""
    )
    async with tx() as session:
        ended = await end_workspace_watches(
            session,
            team_id=watch.team_id,
            enterprise_id=watch.enterprise_id,
            whole_org=False,
            now=rt.clock.now(),
        )
    log.error(
        "watch %s: %s: the installation of %s was revoked or its token is no longer valid; "
        "its %d active watch(es) end, other workspaces go on. Install the app there again "
        "through /slack/install",
        watch.id,
        exc,
        where,
        len(ended),
    )
    return True
