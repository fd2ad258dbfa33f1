"""The sandbox's terminal channel: what Slack would show, as compact text lines (Rich)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.emoji import Emoji
from rich.text import Text

from bot.sandbox.attach import save
from bot.sandbox.plaintext import block_lines, detail_lines, is_button, plain
from bot.sandbox.slack_standin import Call, SlackStandIn, StoredMessage, Unfurl

# Methods that only read: nothing a person would see in Slack.
_QUIET = {
    "auth.test",
    "chat.getPermalink",
    "conversations.info",
    "users.info",
    "usergroups.users.list",
}
_YOU = "(only visible to you)"


class Transcript:
    """Renders every visible Slack change as it happens; numbers messages `#1`, `#2`, ...

    Thread replies are indented under a `↳ #N` marker naming their parent; edits show the
    new text of the card they change; private answers say they are only visible to you.
    """

    def __init__(
        self,
        console: Console,
        slack: SlackStandIn,
        *,
        bot_name: str = "drs-bot",
        names: dict[str, str] | None = None,
    ) -> None:
        self.console = console
        self.slack = slack
        self.bot_name = bot_name
        self.names = names or {}
        self.labels: dict[str, int] = {}
        self.problems: list[str] = []
        self.last_activity = time.monotonic()
        self._edits: dict[str, str] = {}
        self._shown: dict[str, list[str]] = {}  # detail lines already shown, per message
        self.files_dir: Path | None = None  # where files the bot posts are saved

    # -- numbering ---------------------------------------------------------------------------

    def label(self, ts: str) -> int:
        if ts not in self.labels:
            self.labels[ts] = len(self.labels) + 1
        return self.labels[ts]

    def ts_of(self, label: int) -> str | None:
        return next((ts for ts, n in self.labels.items() if n == label), None)

    # -- lines -------------------------------------------------------------------------------

    def _plain(self, text: str) -> str:
        return plain(text, self.names)

    def _blocks(self, blocks: list[dict[str, Any]]) -> list[str]:
        return block_lines(blocks, self.names)

    def _line(
        self, indent: int, head: str, body: str, *, style: str = "", dim: bool = False
    ) -> None:
        text = Text(" " * indent)
        text.append(head, style="bold " + style if style else "bold")
        text.append(" " + body, style="dim" if dim else "")
        self.console.print(text, soft_wrap=True)

    def _body(self, indent: int, lines: list[str], *, dim: bool = False) -> None:
        for line in lines:
            self.console.print(
                Text(" " * indent + line, style="dim" if dim else ""), soft_wrap=True
            )

    def typed(self, line: str, *, ts: str | None = None, thread_ts: str | None = None) -> None:
        """The person's own line, as posted (numbered when it became a channel message)."""
        if thread_ts is not None:
            self._line(4, f"↳ #{self.label(thread_ts)} you ›", line, style="cyan")
        elif ts is not None:
            self._line(0, f"#{self.label(ts)} you ›", line, style="cyan")
        else:
            self._line(0, "you ›", line, style="cyan")

    def private(
        self, text: str, blocks: list[dict[str, Any]], *, thread_ts: str | None = None
    ) -> None:
        indent = 6 if thread_ts else 2
        lines = self._blocks(blocks) or [self._plain(text)]
        where = f"↳ #{self.label(thread_ts)} " if thread_ts else ""
        self._line(indent, f"{where}{self.bot_name} {_YOU} ›", lines[0], style="yellow")
        self._body(indent + 4, lines[1:])

    def note(self, message: str) -> None:
        self.console.print(Text("-- " + message, style="dim"), soft_wrap=True)

    def problem(self, message: str) -> None:
        """Something that makes the run a failure (shown now, counted for the exit code)."""
        self.problems.append(message)
        self.console.print(Text("!! " + message, style="bold red"), soft_wrap=True)

    # -- the stand-in's calls ----------------------------------------------------------------

    def on_call(self, call: Call) -> None:
        """`SlackStandIn.add_listener` target: the state already holds the call's effect."""
        self.last_activity = time.monotonic()
        if call.method in _QUIET:
            return
        if not call.ok:
            self._line(
                2, "slack ›", f"{call.method} answered {call.error or call.status}", dim=True
            )
            return
        if not self._message_call(call):
            self._other_call(call)

    def _message_call(self, call: Call) -> bool:
        """Show a call that posted, edited or deleted a message; False for any other call."""
        if call.method == "chat.postMessage":
            self._posted(self.slack.message_list[-1])
        elif call.method == "files.completeUploadExternal" and call.params.get("channel_id"):
            self._shared_files(self.slack.message_list[-1])
        elif call.method == "chat.update":
            msg = self.slack.find_message(str(call.params.get("channel")), str(call.params["ts"]))
            if msg is not None:
                self._edited(msg)
        elif call.method == "chat.delete":
            self._line(2, f"#{self.label(str(call.params.get('ts')))}", "deleted", dim=True)
        elif call.method == "chat.postEphemeral":
            e = self.slack.ephemeral_list[-1]
            self.private(e.text, e.blocks, thread_ts=e.thread_ts)
        else:
            return False
        return True

    def _other_call(self, call: Call) -> None:
        """Show a private answer, a Home view, a link preview or a reaction."""
        if call.method == "response_url":
            self._responded(call)
        elif call.method == "views.publish":
            self._home(str(call.params.get("user_id") or ""))
        elif call.method == "chat.unfurl":
            self._unfurled(self.slack.unfurls[-1])
        elif call.method == "reactions.add":
            ts = str(call.params.get("timestamp"))
            name = str(call.params.get("name") or "").strip(":")
            self._line(2, f"#{self.label(ts)}", f"reaction {Emoji.replace(f':{name}:')} :{name}:")

    def _home(self, user: str) -> None:
        lines = self._blocks(self.slack.home_views.get(user, {}).get("blocks") or [])
        self._line(0, f"home of {self.names.get(user, user)} ›", lines[0] if lines else "")
        self._body(4, lines[1:])

    def _unfurled(self, unfurl: Unfurl) -> None:
        for preview in unfurl.unfurls.values():
            lines = self._blocks(preview.get("blocks") or [])
            self._line(2, f"#{self.label(unfurl.ts)} preview ›", lines[0] if lines else "")
            self._body(6, lines[1:])

    def _new_details(self, msg: StoredMessage, head: str) -> list[str]:
        """Detail lines of `msg` not shown for it before (each shown once, when it appears)."""
        details = detail_lines(head, self._blocks(msg.blocks))
        shown = self._shown.setdefault(msg.ts, [])
        new = [line for line in details if line not in shown]
        shown.extend(new)
        return new

    def _posted(self, msg: StoredMessage) -> None:
        lines = [self._plain(msg.text)]
        lines += self._new_details(msg, lines[0])
        buttons = [line for line in self._blocks(msg.blocks) if is_button(line)]
        if msg.is_reply and msg.thread_ts is not None:
            head = f"↳ #{self.label(msg.thread_ts)}"
            if buttons:  # a card in a thread: numbered, so that its edits can name it
                head += f" #{self.label(msg.ts)}"
            head += f" {self.bot_name} ›"
            if msg.reply_broadcast:
                head += " (also sent to the channel)"
            self._line(4, head, lines[0], style="green")
            self._body(8, lines[1:])
            self._body(8, buttons, dim=True)
        else:
            where = "dm " if msg.channel.startswith("D") else ""  # the bot's direct messages
            head = f"{where}#{self.label(msg.ts)} {self.bot_name} ›"
            self._line(0, head, lines[0], style="green")
            self._body(4, lines[1:])
            self._body(4, buttons, dim=True)
        self._edits[msg.ts] = msg.text

    def _shared_files(self, msg: StoredMessage) -> None:
        """A message carrying files: the comment, then each file's name and size (and copy)."""
        self._posted(msg)
        indent = 8 if msg.is_reply else 4
        for item in msg.files:
            stored = self.slack.files.get(str(item.get("id")))
            if stored is None:
                continue
            where = ""
            if self.files_dir is not None:
                where = f", saved as {save(self.files_dir, stored)}"
            self._body(indent, [f"📎 {stored.name} ({stored.size:,} bytes){where}"])

    def _edited(self, msg: StoredMessage) -> None:
        head = self._plain(msg.text)
        indent = 6 if msg.is_reply else 2
        if self._edits.get(msg.ts) == msg.text and msg.history:
            # Same phone text, new details (e.g. "last checked"): one quiet line, not a repeat.
            self._line(2, f"#{self.label(msg.ts)} refreshed ›", head, dim=True)
            self._body(indent + 4, self._new_details(msg, head))
            return
        self._edits[msg.ts] = msg.text
        self._line(indent, f"#{self.label(msg.ts)} edited ›", head, style="green")
        self._body(indent + 4, self._new_details(msg, head))
        if not any(is_button(line) for line in self._blocks(msg.blocks)):
            self._body(indent + 4, ["(no buttons any more)"], dim=True)

    def _responded(self, call: Call) -> None:
        post = next((r for r in reversed(self.slack.responses) if r.key == call.url_key), None)
        if post is None or post.delete_original:  # Slack shows nothing for a deleted answer
            return
        if post.response_type == "in_channel" and not post.replace_original:
            self._posted(self.slack.message_list[-1])
        else:
            self.private(post.text, post.blocks)
