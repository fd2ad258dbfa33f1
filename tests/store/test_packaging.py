"""The migrations ship with the package: pyproject lists every package, and Alembic finds them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.store.migrate import head_revision, migrations_dir

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_under_bot_is_listed_for_installation() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(d.relative_to(ROOT).parts)
        for d in [ROOT / "bot", *(ROOT / "bot").rglob("*")]
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
    }
    missing = found - listed
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"
    assert config["package-dir"]["bot.migrations"] == "migrations"
    assert {"bot.migrations", "bot.migrations.versions"} <= listed


def test_migrations_are_found_as_package_resources() -> None:
    where = migrations_dir()
    assert (where / "env.py").is_file() and (where / "script.py.mako").is_file()
    assert sorted(p.name for p in (where / "versions").glob("0*.py"))
    assert head_revision()
