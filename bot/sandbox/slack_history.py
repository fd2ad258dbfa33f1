"""The stand-in's `conversations.replies` and `conversations.history`, message metadata included.

As Slack does: each needs the history scope of the conversation's kind (`channels:history`,
`groups:history`, `im:history`, `mpim:history`) and answers `missing_scope` without it; a
message's `metadata` is returned only when `include_all_metadata` is true.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.slack_methods import SlackMethods, truthy
from bot.sandbox.slack_state import StoredMessage

PAGE = 100  # messages per page when `limit` is not given


class SlackHistory(SlackMethods):
    """Reading conversations back; `scopes` is what the token was granted (tests change it)."""

    scopes: list[str]

    def history_handlers(self) -> dict[str, Any]:
        return {
            "conversations.replies": self._conversations_replies,
            "conversations.history": self._conversations_history,
        }

    def history_scope(self, channel: str) -> str:
        """The scope reading `channel` needs."""
        if channel.startswith("D"):
            return "im:history"
        info = self.channel_info(channel) or {}
        if info.get("is_mpim"):
            return "mpim:history"
        return "groups:history" if info.get("is_private") else "channels:history"

    def _refused(self, channel: str) -> dict[str, Any] | None:
        needed = self.history_scope(channel)
        if needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed}
        if err := self.channel_error(channel, need_member=False):
            return {"ok": False, "error": err}
        return None

    async def _conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(p.get("channel") or ""), str(p.get("ts") or "")
        if refused := self._refused(channel):
            return refused
        parent = self.find_message(channel, ts)
        if parent is None or parent.deleted:
            return {"ok": False, "error": "thread_not_found"}
        found = [parent, *self.thread(channel, ts)]
        return self._page(found, p)

    async def _conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if refused := self._refused(channel):
            return refused
        return self._page(list(reversed(self.messages(channel))), p)  # newest first

    def _page(self, found: list[StoredMessage], p: dict[str, Any]) -> dict[str, Any]:
        oldest = float(p.get("oldest") or 0)
        found = [m for m in found if float(m.ts) >= oldest]
        start = int(p.get("cursor") or 0)
        limit = int(p.get("limit") or PAGE)
        page = found[start : start + limit]
        metadata = truthy(p.get("include_all_metadata"))
        messages = [_shown(m, metadata=metadata) for m in page]
        more = start + limit < len(found)
        cursor = str(start + limit) if more else ""
        return {
            "ok": True,
            "messages": messages,
            "has_more": more,
            "response_metadata": {"next_cursor": cursor},
        }


def _shown(msg: StoredMessage, *, metadata: bool) -> dict[str, Any]:
    data = msg.as_api()
    if metadata and msg.metadata is not None:
        data["metadata"] = msg.metadata
    return data
