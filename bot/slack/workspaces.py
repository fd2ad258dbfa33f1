"""Each installed workspace's token (OAuth mode): found in slack_sdk's store, rotated, cached.

A watch belongs to the workspace it was made in; on Enterprise Grid an org-wide install holds
the token, so a workspace without its own installation is looked up as its org's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from bot.errors import SlackError
from bot.runtime import Chat, Workspace

log = logging.getLogger(__name__)

Key = tuple[str | None, str | None]  # (enterprise_id, team_id); team None: an org-wide install
ChatFactory = Callable[[str], Chat]
CACHE_SECONDS = 300.0


class InstalledWorkspaces:
    """The `Directory` of OAuth mode: one Chat per bot token, rebuilt when the token rotates."""

    def __init__(
        self,
        store: AsyncInstallationStore,
        *,
        make_chat: ChatFactory,
        rotator: AsyncTokenRotator | None = None,
        rotate_minutes: int = 120,
    ) -> None:
        self.store = store
        self.make_chat = make_chat
        self.rotator = rotator
        self.rotate_minutes = rotate_minutes
        self._chats: dict[str, Chat] = {}
        # Read again after CACHE_SECONDS: a reinstall (or another replica's rotation) shows.
        self._installs: dict[Key, tuple[float, Installation]] = {}

    async def find(self, team_id: str, enterprise_id: str | None) -> Workspace:
        installation = await self._installation(team_id, enterprise_id)
        token = installation.bot_token or ""
        return Workspace(self.with_token(token, None).chat, installation.bot_user_id)

    def with_token(self, token: str, bot_user_id: str | None) -> Workspace:
        chat = self._chats.get(token)
        if chat is None:
            chat = self._chats[token] = self.make_chat(token)
        return Workspace(chat, bot_user_id)

    async def forget(self, *, team_id: str | None, enterprise_id: str | None) -> None:
        """Delete the installation's rows (bots and installations) and cached tokens."""
        whole_org = team_id is None and enterprise_id is not None
        for key in [
            k
            for k in self._installs
            if k == (enterprise_id, team_id) or (whole_org and k[0] == enterprise_id)
        ]:
            _, gone = self._installs.pop(key)
            self._chats.pop(gone.bot_token or "", None)
        await self.store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.store.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def _installation(self, team_id: str, enterprise_id: str | None) -> Installation:
        key: Key = (enterprise_id, team_id)
        read_at, cached = self._installs.get(key, (0.0, None))
        fresh = time.monotonic() - read_at < CACHE_SECONDS
        if cached is not None and fresh and not self._expiring(cached):
            return cached
        found = await self._lookup(team_id, enterprise_id)
        if found is None or not found.bot_token:
            self._installs.pop(key, None)
            where = f"workspace {team_id}" + (f" of org {enterprise_id}" if enterprise_id else "")
            raise SlackError(f"the app is not installed in {where}", error="not_installed")
        found = await self._rotated(found)
        self._installs[key] = (time.monotonic(), found)
        return found

    async def _lookup(self, team_id: str, enterprise_id: str | None) -> Installation | None:
        found = await self.store.async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id
        )
        if found is None and enterprise_id:  # an org-wide install serves every workspace
            found = await self.store.async_find_installation(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return found

    def _expiring(self, installation: Installation) -> bool:
        expires = installation.bot_token_expires_at
        if expires is None or self.rotator is None:
            return False
        return expires <= time.time() + self.rotate_minutes * 60

    async def _rotated(self, installation: Installation) -> Installation:
        """The installation with a fresh bot token when its token expires soon (saved)."""
        if self.rotator is None or installation.bot_token_expires_at is None:
            return installation
        try:
            rotated = await self.rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=self.rotate_minutes
            )
        except (SlackApiError, SlackTokenRotationError) as exc:
            raise SlackError(f"Slack refused to rotate the bot token: {exc}", error=None) from exc
        if rotated is None:
            return installation
        await self.store.async_save(rotated)
        self._chats.pop(installation.bot_token or "", None)
        log.info("rotated the bot token of workspace %s", installation.team_id or "(org)")
        return rotated
