"""Files a newcomer opens first: `.env.example` lists every setting, `LICENSE` fits pyproject."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


def example_lines() -> list[str]:
    return (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()


def test_env_example_has_every_setting_each_with_a_comment() -> None:
    lines = example_lines()
    names = [line.split("=", 1)[0] for line in lines if line and not line.startswith("#")]
    assert sorted(names) == sorted(name.upper() for name in Settings.model_fields)
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[i - 1].startswith("# "), f"{line} has no comment above it"


def test_env_example_values_are_the_defaults_and_hold_no_secret() -> None:
    pairs = dict(line.split("=", 1) for line in example_lines() if line and line[0] != "#")
    assert load_settings(pairs) == load_settings({})
    secrets = [n for n, f in Settings.model_fields.items() if "SecretStr" in str(f.annotation)]
    assert secrets and all(pairs[name.upper()] == "" for name in secrets)


def test_license_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text
