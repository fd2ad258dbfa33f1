"""The private answer to a request the access policy refuses (all its wording in one function)."""

from __future__ import annotations

from bot.domain.commands import Language
from bot.render.blocks import context, section
from bot.render.catalog import t
from bot.render.message import Message
from bot.render.text import EN, code

_ACTIONS = ("watch", "status", "upload", "template", "result", "stop", "stop_all", "list", "config")


def access_refused(action: str, rule: str | None, *, lang: Language = EN) -> Message:
    """Refused by the policy rule named `rule` (None: no rule allows it); what to do instead."""
    doing = t(lang, f"access.doing.{action}") if action in _ACTIONS else action
    if rule is not None:
        text = t(lang, "access.refused.rule", doing=doing, rule=code(rule, 80))
    else:
        text = t(lang, "access.refused.none", doing=doing)
    hint = t(lang, "access.hint")
    return Message(f"{text} {hint}", [section(text), context([hint])])
