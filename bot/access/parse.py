"""Reading a policy file: TOML into `Policy`, strictly; every error names the file and the line."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from bot.access.rules import Action, Effect, Policy, Rule
from bot.errors import PolicyError

FILTERS = ("teams", "channels", "users", "usergroups", "regions", "projects", "actions")
KEYS = ("name", "effect", *FILTERS)
_AT = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"^[ \t]*\[\[\s*\"?rules\"?\s*\]\]", re.MULTILINE)


def parse_policy(text: str, *, source: str) -> Policy:
    """Parse a policy file's text; `source` is how errors name the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, _syntax_line(str(exc), text), f"not valid TOML: {exc}") from exc
    lines = _Lines(text)
    for key in data:
        if key != "rules":
            raise PolicyError(
                source,
                lines.key(key),
                f"unknown top-level key {key!r}; the file holds only [[rules]] tables",
            )
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise PolicyError(
            source,
            lines.key("rules") or 1,
            "no [[rules]]: add at least one rule (a request no rule matches is refused)",
        )
    parsed: list[Rule] = []
    for index, raw in enumerate(rules):
        rule = _rule(raw, index, lines, source)
        if any(r.name == rule.name for r in parsed):
            raise PolicyError(
                source,
                lines.key("name", index),
                f"two rules are named {rule.name!r}; give each rule its own name",
            )
        parsed.append(rule)
    return Policy(tuple(parsed), source=source)


def _rule(raw: Any, index: int, lines: _Lines, source: str) -> Rule:
    at = lines.rule(index)
    if not isinstance(raw, dict):
        raise PolicyError(source, at, "each rule must be a [[rules]] table")
    for key in raw:
        if key not in KEYS:
            raise PolicyError(
                source,
                lines.key(key, index),
                f"unknown key {key!r} in a rule; keys are {', '.join(KEYS)}",
            )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PolicyError(
            source,
            lines.key("name", index) or at,
            'a rule needs a name: name = "some-name" (shown in refusals and logs)',
        )
    effect = raw.get("effect")
    if effect not in {e.value for e in Effect}:
        raise PolicyError(
            source,
            lines.key("effect", index) or at,
            f'rule {name!r}: effect must be "allow" or "deny", not {effect!r}',
        )
    filters = {key: _words(raw[key], key, index, lines, source) for key in FILTERS if key in raw}
    regions = filters.get("regions")
    return Rule(
        name=name.strip(),
        effect=Effect(effect),
        line=at,
        teams=filters.get("teams"),
        channels=filters.get("channels"),
        users=filters.get("users"),
        usergroups=filters.get("usergroups"),
        regions=None if regions is None else frozenset(r.lower() for r in regions),
        projects=filters.get("projects"),
        actions=None if "actions" not in filters else frozenset(map(Action, filters["actions"])),
    )


def _words(value: Any, key: str, index: int, lines: _Lines, source: str) -> frozenset[str]:
    line = lines.key(key, index)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PolicyError(source, line, f'{key} must be a list of strings, e.g. {key} = ["..."]')
    if not value:
        raise PolicyError(
            source, line, f"{key} = [] matches nothing; leave {key} out to match everything"
        )
    words = frozenset(v.strip() for v in value)
    unknown = sorted(words - {a.value for a in Action}) if key == "actions" else []
    if unknown:
        raise PolicyError(
            source,
            line,
            f"unknown action {unknown[0]!r}; actions are {', '.join(a.value for a in Action)}",
        )
    return words


def _syntax_line(message: str, text: str) -> int:
    found = _AT.search(message)
    if found:
        return int(found.group(1))
    return max(1, len(text.splitlines()))  # "(at end of document)"


class _Lines:
    """Where rules and keys are in the text (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]

    def rule(self, index: int) -> int:
        return self.headers[index] if index < len(self.headers) else 0

    def key(self, key: str, index: int | None = None) -> int:
        """The line of `key = ...` within rule `index` (or of a top-level key or table), else
        the rule's header (0 when nothing is found)."""
        name = rf"(?:{re.escape(key)}|\"{re.escape(key)}\")"
        start, end = 0, len(self.lines)
        if index is not None and index < len(self.headers):
            start = self.headers[index]
            end = self.headers[index + 1] - 1 if index + 1 < len(self.headers) else end
        elif index is None:
            table = self._find(re.compile(rf"^\s*\[\s*{name}\s*[\].]"), 0, end)
            end = self.headers[0] - 1 if self.headers else end
            return self._find(re.compile(rf"^\s*{name}\s*="), 0, end) or table
        found = self._find(re.compile(rf"^\s*{name}\s*="), start, end)
        return found or (self.rule(index) if index is not None else 0)

    def _find(self, pattern: re.Pattern[str], start: int, end: int) -> int:
        for number in range(start, end):
            if pattern.match(self.lines[number]):
                return number + 1
        return 0
