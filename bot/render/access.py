"""The private answer to a request the access policy refuses (all its wording in one function)."""

from __future__ import annotations

from bot.render.blocks import context, section
from bot.render.message import Message
from bot.render.text import code

_DOING = {
    "watch": "watch jobs",
    "status": "check jobs",
    "upload": "upload templates",
    "template": "download templates",
    "result": "download import results",
    "stop": "stop watches",
    "stop_all": "stop all watches",
    "list": "list watches",
    "config": "change settings",
}


def access_refused(action: str, rule: str | None) -> Message:
    """Refused by the policy rule named `rule` (None: no rule allows it); what to do instead."""
    doing = _DOING.get(action, action)
    why = (
        f"the access policy's rule {code(rule, 80)} refuses it"
        if rule is not None
        else "no rule of the access policy allows it"
    )
    text = f":no_entry: You may not {doing} here: {why}."
    hint = (
        "Ask whoever runs drs-progress (a workspace admin) to allow it in the access policy, "
        "or ask someone who may to do it for you."
    )
    return Message(f"{text} {hint}", [section(text), context([hint])])
