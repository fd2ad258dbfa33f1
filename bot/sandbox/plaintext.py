"""Slack blocks and mrkdwn as plain text lines, the way the sandbox's terminal shows them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from rich.emoji import Emoji

# Slack's mrkdwn escapes and links, as the bot writes them.
_LINK = re.compile(r"<(?P<target>[^<>|]+)(?:\|(?P<label>[^<>]*))?>")
_DATE = re.compile(r"<!date\^(?P<ts>\d+)\^[^|>]*\|(?P<fallback>[^>]*)>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
# Card lines the phone text already says: the title (job ID), the phase and rows fields.
_CARD_TITLE = re.compile(r"DRS template import `[^`]*`$")
_CARD_FIELDS = "Phase "
# The "Last checked" date changes on every refresh: not news by itself.
_CHECKED = re.compile(r"^Last checked .*?(?: {2}|$)")


def plain(text: str, names: dict[str, str] | None = None) -> str:
    """Slack mrkdwn as plain terminal text: links to labels, dates to their fallback, emoji.

    `names` maps user IDs to the names shown for `<@U123>` mentions.
    """
    text = _DATE.sub(lambda m: m.group("fallback"), text)

    def link(match: re.Match[str]) -> str:
        target, label = match.group("target"), match.group("label")
        if target.startswith("@"):
            return "@" + (names or {}).get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return label or "@" + target[1:]
        return f"{label} ({target})" if label else target

    text = _LINK.sub(link, text)
    text = _BOLD.sub(r"\1", text)
    return Emoji.replace(html.unescape(text))


def is_button(line: str) -> bool:
    return line.startswith("[")


def _texts(element: Any) -> Iterable[str]:
    if isinstance(element, dict):
        if element.get("type") in ("mrkdwn", "plain_text") and "text" in element:
            yield str(element["text"])
        elif element.get("type") == "button":
            label = element.get("text", {}).get("text", "button")
            yield f"[{label}]"
        else:
            for key in ("text", "fields", "elements"):
                if key in element:
                    yield from _texts(element[key])
    elif isinstance(element, list):
        for item in element:
            yield from _texts(item)


def block_lines(blocks: list[dict[str, Any]], names: dict[str, str] | None = None) -> list[str]:
    """One or more plain lines per block; buttons as `[Label]`, fields joined with ` · `."""
    lines: list[str] = []

    def plain(text: str) -> str:
        return _plain(text, names)

    for block in blocks:
        kind = block.get("type")
        if kind == "divider":
            continue
        if kind == "actions" or kind == "context":
            joined = "  ".join(plain(t) for t in _texts(block.get("elements", [])))
            if joined.strip():
                lines.append(joined)
            continue
        if kind == "section" and block.get("fields"):
            if block.get("text"):
                lines.extend(plain(t) for t in _texts(block["text"]))
            lines.append(" · ".join(plain(t).replace("\n", " ") for t in _texts(block["fields"])))
            if block.get("accessory"):
                lines.append("  ".join(_texts(block["accessory"])))
            continue
        lines.extend(plain(t) for t in _texts(block))
        if block.get("accessory"):  # a Home watch's Stop button
            lines.append("  ".join(_texts(block["accessory"])))
    return [line for chunk in lines for line in chunk.splitlines() if line.strip()]


_plain = plain


def detail_lines(head: str, lines: list[str]) -> list[str]:
    """The block lines that say more than the message's `head` text (buttons aside).

    E.g. a failure's next step, a card's "Already finished when asked" and its notes.
    """
    details = []
    for line in lines:
        if is_button(line) or line == head or _CARD_TITLE.search(line):
            continue
        if line.startswith(_CARD_FIELDS):
            continue
        line = _CHECKED.sub("", line).strip()
        if line:
            details.append(line)
    return details
