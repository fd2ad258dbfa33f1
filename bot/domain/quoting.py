"""Untrusted text (from DRS or a user) made unable to format in Slack mrkdwn, before escaping.

Text made only of letters, digits and punctuation that never starts mrkdwn formatting, a link,
an emoji or a mention stays as it reads; anything else becomes one inline code span, which
Slack never formats. Escaping `&`, `<` and `>` is left to the renderer, which does it once.
"""

from __future__ import annotations

import re

# Plain: letters and digits, `_` only inside a word (Slack italics need a word boundary),
# `:` only before a space (so no emoji codes and no URL schemes), and punctuation that is
# harmless once escaped (`<`, `>`, `&` become entities, so `<!channel>` reads, never pings).
_PLAIN = re.compile(r"(?:[^\W_]|(?<=[^\W_])_(?=[^\W_])|:(?= |$)|[ .,;()'\"!?%+=/…<>&|-])*")


def one_line(text: str) -> str:
    """All whitespace runs as one space; other invisible characters as `?`."""
    joined = " ".join(text.split())
    return "".join(ch if ch.isprintable() else "?" for ch in joined)


def clip_plain(text: str, limit: int) -> str:
    """Shorten unescaped text to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def quote_untrusted(text: str, limit: int = 500, *, code: bool = False) -> str:
    """`text` on one line, clipped, and as plain words or (when it could format, or `code`)
    one inline code span with its backticks turned into quotes."""
    cleaned = clip_plain(one_line(text), limit)
    if not code and _PLAIN.fullmatch(cleaned):
        return cleaned
    return "`" + cleaned.replace("`", "'") + "`"
