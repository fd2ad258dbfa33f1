"""What the Slack stand-in remembers: calls, channels, messages and edits, ephemerals, reactions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock


@dataclass
class Call:
    """One request the stand-in received, in order (`response_url` posts included)."""

    method: str
    params: dict[str, Any]
    time: datetime
    status: int = 200
    error: str | None = None  # Slack's `error` when the answer was not ok
    url_key: str | None = None  # which response_url, for method "response_url"
    token: str = ""  # the token the call came with (which workspace's, in OAuth mode)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass
class Channel:
    id: str
    name: str
    private: bool = False
    member: bool = True
    archived: bool = False
    deleted: bool = False


@dataclass
class StoredMessage:
    """A message in a channel or thread; `history` holds earlier (text, blocks) versions."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str
    thread_ts: str | None = None
    reply_broadcast: bool = False
    posted_at: datetime | None = None
    edited_at: datetime | None = None
    deleted: bool = False
    history: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)  # as Slack describes them
    metadata: dict[str, Any] | None = None  # chat.postMessage's `metadata`, as sent

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def edit(self, text: str, blocks: list[dict[str, Any]], at: datetime) -> None:
        self.history.append((self.text, self.blocks))
        self.text, self.blocks, self.edited_at = text, blocks, at

    def as_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "message",
            "user": self.user,
            "text": self.text,
            "blocks": self.blocks,
            "ts": self.ts,
        }
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.files:
            data["files"] = self.files
        return data


@dataclass
class Ephemeral:
    """A message only `user` sees (chat.postEphemeral, or a response_url's default)."""

    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    source: str  # "chat.postEphemeral" | "response_url"
    at: datetime


@dataclass
class Unfurl:
    """One `chat.unfurl`: the previews shown under a message's links."""

    channel: str
    ts: str
    unfurls: dict[str, Any]
    at: datetime


@dataclass
class ResponsePost:
    """One post to a response_url, as sent."""

    key: str
    channel: str
    user: str
    response_type: str
    text: str
    blocks: list[dict[str, Any]]
    replace_original: bool
    delete_original: bool
    at: datetime


class SlackState:
    """The workspace model behind the stand-in; the views tests and the sandbox read."""

    def __init__(self, clock: Clock, *, bot_user_id: str, strict: bool) -> None:
        self._clock = clock
        self.bot_user_id = bot_user_id
        self.strict = strict
        self.base_url = ""
        self.calls: list[Call] = []
        self.channels: dict[str, Channel] = {}
        self.message_list: list[StoredMessage] = []
        self.ephemeral_list: list[Ephemeral] = []
        self.responses: list[ResponsePost] = []
        self.reaction_map: dict[tuple[str, str], list[str]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}  # user -> the Home view last published
        self.unfurls: list[Unfurl] = []
        self.usergroups: dict[str, list[str]] = {}  # user group ID -> its members' user IDs
        self.locales: dict[str, str] = {}  # user -> Slack locale (`zh-CN`); users.info shows it
        self._listeners: list[Callable[[Call], None]] = []
        self._seq = itertools.count(1)

    # -- observing ---------------------------------------------------------------------------

    def add_listener(self, listener: Callable[[Call], None]) -> None:
        """Called with every recorded call, after the state changed (the sandbox renders)."""
        self._listeners.append(listener)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        for listener in self._listeners:
            listener(call)
        self._notify()

    def _notify(self) -> None:
        """A hook: the server wakes `wait_for` here."""

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # -- channels ----------------------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str,
        *,
        member: bool = True,
        private: bool = False,
        archived: bool = False,
        name: str | None = None,
    ) -> Channel:
        channel = Channel(channel_id, name or channel_id.lower(), private, member, archived)
        self.channels[channel_id] = channel
        return channel

    def _channel(self, channel_id: str) -> Channel | None:
        channel = self.channels.get(channel_id)
        if channel is None and not self.strict and channel_id:
            channel = self.add_channel(channel_id)
        return channel

    def delete_channel(self, channel_id: str) -> None:
        self._channel_or_new(channel_id).deleted = True

    def remove_bot(self, channel_id: str) -> None:
        self._channel_or_new(channel_id).member = False

    def archive(self, channel_id: str) -> None:
        self._channel_or_new(channel_id).archived = True

    def _channel_or_new(self, channel_id: str) -> Channel:
        return self.channels.get(channel_id) or self.add_channel(channel_id)

    def channel_error(self, channel_id: str, *, need_member: bool = True) -> str | None:
        """Slack's error for posting into this channel, or None when it would work."""
        channel = self._channel(channel_id)
        if channel is None or channel.deleted:
            return "channel_not_found"
        if channel.private and not channel.member:
            return "channel_not_found"  # private channels are invisible to non-members
        if channel.archived:
            return "is_archived"
        if need_member and not channel.member:
            return "not_in_channel"
        return None

    def channel_info(self, channel_id: str) -> dict[str, Any] | None:
        channel = self._channel(channel_id)
        if channel is None or channel.deleted or (channel.private and not channel.member):
            return None
        return {
            "id": channel.id,
            "name": channel.name,
            "is_channel": not channel.private,
            "is_private": channel.private,
            "is_archived": channel.archived,
            "is_member": channel.member,
        }

    # -- messages ----------------------------------------------------------------------------

    def next_ts(self) -> str:
        """Unique, increasing message timestamps in Slack's `seconds.micros` form."""
        return f"{int(self._clock.now().timestamp())}.{next(self._seq):06d}"

    def store_message(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        *,
        thread_ts: str | None = None,
        reply_broadcast: bool = False,
        at: datetime | None = None,
        user: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> StoredMessage:
        msg = StoredMessage(
            channel=channel,
            ts=self.next_ts(),
            text=text,
            blocks=blocks,
            user=user or self.bot_user_id,
            thread_ts=thread_ts,
            reply_broadcast=reply_broadcast,
            posted_at=at or self._clock.now(),
            metadata=metadata,
        )
        self.message_list.append(msg)
        return msg

    def add_user_message(
        self, channel: str, text: str, *, user: str = "U0USER", thread_ts: str | None = None
    ) -> StoredMessage:
        """A person's message (e.g. the one carrying a mention); returns it with its new ts."""
        self._channel(channel)
        msg = self.store_message(channel, text, [], thread_ts=thread_ts, user=user)
        self._notify()
        return msg

    def find_message(self, channel: str, ts: str) -> StoredMessage | None:
        for msg in self.message_list:
            if msg.channel == channel and msg.ts == ts:
                return msg
        return None

    def permalink(self, msg: StoredMessage) -> str:
        link = f"{self.base_url}/archives/{msg.channel}/p{msg.ts.replace('.', '')}"
        if msg.is_reply:
            link += f"?thread_ts={msg.thread_ts}&cid={msg.channel}"
        return link

    # -- views -------------------------------------------------------------------------------

    def messages(self, channel: str) -> list[StoredMessage]:
        """What the channel shows: top-level messages and broadcast replies, not deleted."""
        return [
            m
            for m in self.message_list
            if m.channel == channel and not m.deleted and (not m.is_reply or m.reply_broadcast)
        ]

    def thread(self, channel: str, ts: str) -> list[StoredMessage]:
        """The replies under `ts`, oldest first (the parent itself excluded)."""
        return [
            m
            for m in self.message_list
            if m.channel == channel and m.thread_ts == ts and m.ts != ts and not m.deleted
        ]

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[Ephemeral]:
        return [
            e
            for e in self.ephemeral_list
            if (channel is None or e.channel == channel) and (user is None or e.user == user)
        ]

    def reactions(self, channel: str, ts: str) -> list[str]:
        return list(self.reaction_map.get((channel, ts), []))
