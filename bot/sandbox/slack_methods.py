"""The Web API methods the Slack stand-in answers, as Slack answers them (ok/error bodies)."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.slack_state import Ephemeral, SlackState, Unfurl


class SlackMethods(SlackState):
    """`auth.test`, `chat.*`, `reactions.add`, `conversations.info`, `users.info`, `views.*`,
    `usergroups.users.list`."""

    url: str
    team_id: str
    scopes: list[str]

    async def _auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"{self.url}/",
            "team": "Sandbox",
            "user": "drs-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": "B0DRSBOT",
            "is_enterprise_install": False,
        }

    async def _post_message(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if err := self.channel_error(channel):
            return {"ok": False, "error": err}
        text, blocks = str(p.get("text") or ""), decode_blocks(p.get("blocks"))
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        thread_ts = str(p["thread_ts"]) if p.get("thread_ts") else None
        metadata = decode_json(p.get("metadata"))
        msg = self.store_message(
            channel,
            text,
            blocks,
            thread_ts=thread_ts,
            reply_broadcast=truthy(p.get("reply_broadcast")),
            at=self._clock.now(),
            metadata=metadata if isinstance(metadata, dict) else None,
        )
        self._notify()
        return {"ok": True, "channel": channel, "ts": msg.ts, "message": msg.as_api()}

    async def _update(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if err := self.channel_error(channel):
            return {"ok": False, "error": err}
        msg = self.find_message(channel, str(p.get("ts") or ""))
        if msg is None or msg.deleted:
            return {"ok": False, "error": "message_not_found"}
        if msg.user != self.bot_user_id:
            return {"ok": False, "error": "cant_update_message"}
        msg.edit(str(p.get("text") or ""), decode_blocks(p.get("blocks")), self._clock.now())
        self._notify()
        return {"ok": True, "channel": channel, "ts": msg.ts, "text": msg.text}

    async def _delete(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        msg = self.find_message(channel, str(p.get("ts") or ""))
        if msg is None or msg.deleted:
            return {"ok": False, "error": "message_not_found"}
        msg.deleted = True
        self._notify()
        return {"ok": True, "channel": channel, "ts": msg.ts}

    async def _post_ephemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if err := self.channel_error(channel):
            return {"ok": False, "error": err}
        if not p.get("user"):
            return {"ok": False, "error": "user_not_found"}
        text, blocks = str(p.get("text") or ""), decode_blocks(p.get("blocks"))
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        thread_ts = str(p["thread_ts"]) if p.get("thread_ts") else None
        now = self._clock.now()
        user = str(p["user"])
        self.ephemeral_list.append(
            Ephemeral(channel, user, text, blocks, thread_ts, "chat.postEphemeral", now)
        )
        self._notify()
        return {"ok": True, "message_ts": self.next_ts()}

    async def _permalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if err := self.channel_error(channel, need_member=False):
            return {"ok": False, "error": err}
        msg = self.find_message(channel, str(p.get("message_ts") or ""))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": channel, "permalink": self.permalink(msg)}

    async def _reactions_add(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(p.get("channel") or ""), str(p.get("timestamp") or "")
        name = str(p.get("name") or "").strip(":")
        if err := self.channel_error(channel):
            return {"ok": False, "error": err}
        if not name:
            return {"ok": False, "error": "invalid_name"}
        if self.strict and self.find_message(channel, ts) is None:
            return {"ok": False, "error": "message_not_found"}
        names = self.reaction_map.setdefault((channel, ts), [])
        if name in names:
            return {"ok": False, "error": "already_reacted"}
        names.append(name)
        self._notify()
        return {"ok": True}

    async def _conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        info = self.channel_info(channel)
        if info is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": info}

    async def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("user") or "")
        if not user:
            return {"ok": False, "error": "user_not_found"}
        if "users:read" not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": "users:read"}
        profile = {"real_name": f"User {user}", "display_name": user.lower()}
        found: dict[str, Any] = {"id": user, "name": user.lower(), "tz": "UTC", "profile": profile}
        if truthy(p.get("include_locale")):  # as Slack: the locale only when asked for
            found["locale"] = self.locales.get(user, "en-US")
        return {"ok": True, "user": found}

    async def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("user_id") or "")
        view = decode_json(p.get("view"))
        if not user:
            return {"ok": False, "error": "user_not_found"}
        if not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        if len(view.get("blocks") or []) > 100:
            return {"ok": False, "error": "invalid_blocks"}
        self.home_views[user] = view
        self._notify()
        return {"ok": True, "view": {"id": f"V{user}", "type": "home", **view}}

    async def _chat_unfurl(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(p.get("channel") or ""), str(p.get("ts") or "")
        unfurls = decode_json(p.get("unfurls"))
        if not channel or not ts:
            return {"ok": False, "error": "cannot_unfurl_message"}
        if not isinstance(unfurls, dict) or not unfurls:
            return {"ok": False, "error": "invalid_unfurls"}
        self.unfurls.append(Unfurl(channel, ts, unfurls, self._clock.now()))
        self._notify()
        return {"ok": True}

    async def _usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        if "usergroups:read" not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": "usergroups:read"}
        group = str(p.get("usergroup") or "")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}


def decode_json(raw: Any) -> Any:
    """A JSON argument as sent: already decoded (JSON bodies) or a string (form bodies)."""
    if isinstance(raw, str) and raw:
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return raw


def decode_blocks(raw: Any) -> list[dict[str, Any]]:
    """Blocks arrive as a list (JSON bodies) or a JSON string (form bodies)."""
    if isinstance(raw, str) and raw:
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    if isinstance(raw, list):
        return [b for b in raw if isinstance(b, dict)]
    return []


def truthy(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.lower() in ("1", "true", "yes")
    return bool(raw)
