"""Checks every payload must pass: Slack's Block Kit models, a text, no markup it did not make."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block

from bot.render.message import Message

# The markup the bot writes itself: dates, mentions of known user IDs, channels, its links.
BOT_MARKUP = re.compile(
    r"<!date\^\d+\^\{date_short_pretty\} \{time\}\|[0-9: -]+UTC>"
    r"|<@(?:U0ASKER|U0JOINER|U0USER|UBOT|U0DRSBOT)>"
    r"|<#C0SANDBOX>"
    r"|<https://slack\.example/archives/C0SANDBOX/p1\|open (?:card|thread)>"
    r"|<https://slack\.example/archives/C0SANDBOX/p1\|See its card>"
)
_CODE_SPAN = re.compile(r"`[^`]*`")
_INTRAWORD_UNDERSCORE = re.compile(r"(?<=[^\W_])_(?=[^\W_])")


def mrkdwn_texts(message: Message) -> Iterator[str]:
    """The top-level text and every mrkdwn text in the blocks."""
    yield message.text
    stack: list[Any] = list(message.blocks)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "mrkdwn":
                yield str(item["text"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)


def assert_safe_payload(message: Message) -> None:
    """Valid Block Kit, a non-empty `text`, and no `<` but the bot's own markup anywhere."""
    assert message.text.strip()
    for raw in message.blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()
    for text in mrkdwn_texts(message):
        assert text.strip()
        left = BOT_MARKUP.sub("", text)
        for token in ("<!", "<@", "<#", "<http"):
            assert token not in left, text
        assert "<" not in left and ">" not in left, text


def formatting_outside_code(message: Message) -> list[int]:
    """How many `*`, `_`, `~` and backticks could format (outside code spans), per text."""
    counts = []
    for text in mrkdwn_texts(message):
        bare = _INTRAWORD_UNDERSCORE.sub("", _CODE_SPAN.sub("", text))
        counts.append(sum(bare.count(ch) for ch in "*_~`"))
    return counts
