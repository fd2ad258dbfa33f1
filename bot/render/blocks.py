"""Block Kit primitives and Slack's size limits; every block the bot sends is built here."""

from __future__ import annotations

from typing import Any

from bot.render.text import clip

# Slack's documented limits; we stay under them with room to spare.
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_TEXT = 3000  # top-level `text`: phones show little anyway
MAX_TOTAL = 12000  # ~13k in all has failed with msg_blocks_too_long

Block = dict[str, Any]


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def plain_section(text: str) -> Block:
    """A section holding `text` as it is (thread replies: already short and escaped)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def fields(pairs: list[tuple[str, str]]) -> Block:
    # A section holds at most 10 fields.
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", MAX_FIELD)}
            for label, value in pairs[:10]
        ],
    }


def context(parts: list[str]) -> Block:
    parts = [p for p in parts if p][:MAX_CONTEXT_ELEMENTS]
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(p, MAX_FIELD)} for p in parts],
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def actions(block_id: str, elements: list[Block]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": elements}


def blocks_size(blocks: list[Block]) -> int:
    """A rough character count of all texts, the measure Slack's total limit uses."""
    total = 0
    stack: list[Any] = list(blocks)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            total += len(item)
    return total
