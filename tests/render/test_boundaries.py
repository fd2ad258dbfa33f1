"""Render takes plain data: it imports only the domain (and the error tree), never I/O layers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ("bot.domain", "bot.render", "bot.errors")


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_render_imports_only_the_domain_and_the_standard_library() -> None:
    for path in sorted((ROOT / "bot" / "render").glob("*.py")):
        for name in imports(path):
            top = name.split(".")[0]
            if top == "bot":
                assert name.startswith(ALLOWED), f"{path.name} imports {name}"
            else:
                assert top in {
                    "__future__",
                    "collections",
                    "dataclasses",
                    "datetime",
                    "enum",
                    "logging",
                    "re",
                    "typing",
                }, f"{path.name} imports {name}"


def test_slack_never_imports_the_watcher() -> None:
    for path in sorted((ROOT / "bot" / "slack").rglob("*.py")):
        assert not any(n.startswith("bot.watcher") for n in imports(path)), path.name
