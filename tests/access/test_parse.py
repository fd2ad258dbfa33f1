"""Policy files: the CONTRACT's example parses; every mistake names the file and its line."""

from __future__ import annotations

import pytest

from bot.access.parse import parse_policy
from bot.access.rules import Action, Effect
from bot.errors import ConfigError, PolicyError

CONTRACT_EXAMPLE = """\
[[rules]]
name = "no-watching-in-C0DENIED"     # shown in refusals and logs
effect = "deny"                      # allow | deny
channels = ["C0DENIED"]              # optional filters; a missing key matches everything:
actions = ["watch", "upload", "stop"]#   teams, channels, users, usergroups, regions, projects, actions

[[rules]]
name = "everyone-else"
effect = "allow"
actions = ["watch", "status", "upload", "template", "stop", "list", "config"]
"""  # noqa: E501 (the CONTRACT's example, verbatim)


def test_the_contracts_example_parses_in_order() -> None:
    policy = parse_policy(CONTRACT_EXAMPLE, source="policy.toml")
    first, second = policy.rules
    assert (first.name, first.effect, first.line) == ("no-watching-in-C0DENIED", Effect.DENY, 1)
    assert first.channels == {"C0DENIED"} and first.users is None
    assert first.actions == {Action.WATCH, Action.UPLOAD, Action.STOP}
    assert (second.name, second.effect, second.line) == ("everyone-else", Effect.ALLOW, 7)


def test_regions_are_matched_in_lower_case() -> None:
    text = '[[rules]]\nname = "r"\neffect = "allow"\nregions = ["AP-Southeast-1"]\n'
    assert parse_policy(text, source="p.toml").rules[0].regions == {"ap-southeast-1"}


RULE = '[[rules]]\nname = "ok"\neffect = "allow"\n\n'


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[[rules]]\nname = "a"\neffect = allow\n', 3, "not valid TOML"),
        (RULE + '[[rules]]\nname = "b"\neffect = "allow"\nchanel = ["C1"]\n', 8, "'chanel'"),
        (RULE + '[[rules]]\nname = "b"\neffect = "permit"\n', 7, '"allow" or "deny"'),
        (RULE + '[[rules]]\neffect = "deny"\n', 5, "needs a name"),
        (RULE + '[[rules]]\nname = "b"\n', 5, '"allow" or "deny"'),
        (
            RULE + '[[rules]]\nname = "b"\neffect = "deny"\nactions = ["stop-all"]\n',
            8,
            "unknown action 'stop-all'",
        ),
        (RULE + '[[rules]]\nname = "b"\neffect = "deny"\nusers = "U1"\n', 8, "list of strings"),
        (RULE + '[[rules]]\nname = "b"\neffect = "deny"\nteams = [1]\n', 8, "list of strings"),
        (RULE + '[[rules]]\nname = "b"\neffect = "deny"\nchannels = []\n', 8, "matches nothing"),
        (RULE + '[[rules]]\nname = "ok"\neffect = "deny"\n', 6, "two rules are named 'ok'"),
        ("version = 2\n" + RULE, 1, "unknown top-level key 'version'"),
        ("# nothing yet\n", 1, "no [[rules]]"),
        (RULE + "[defaults]\neffect = 'deny'\n", 5, "unknown top-level key 'defaults'"),
    ],
)
def test_mistakes_name_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="/etc/drs/policy.toml")
    assert info.value.line == line
    assert isinstance(info.value, ConfigError)  # `serve` stops with it like any bad setting
    message = info.value.user_message()
    assert f"ACCESS_POLICY: /etc/drs/policy.toml, line {line}: " in message
    assert words in message
