"""The /drs-progress and @mention grammars: every form, every class of bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidJobId, UsageError
from bot.slack.grammar import (
    MAX_JOBS,
    Help,
    ListWatches,
    Status,
    Stop,
    Watch,
    parse_command,
    parse_mention,
    usage_text,
)

J1 = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
J2 = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3bjb21"
IDS = [f"{i:08d}-aaaa-bbbb-cccc-dddddddjb{i:03d}" for i in range(MAX_JOBS + 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("   \n\t", Help()),
        ("help", Help()),
        ("HELP", Help()),
        ("list", ListWatches()),
        ("List", ListWatches()),
        (J1, Watch((J1,), None, None)),
        (f"watch {J1}", Watch((J1,), None, None)),
        (f"{J1} {J2}", Watch((J1, J2), None, None)),
        (f"{J1} {J1} {J1.upper()}", Watch((J1,), None, None)),
        (" ".join(IDS[:MAX_JOBS]), Watch(tuple(IDS[:MAX_JOBS]), None, None)),
        (f"{J1} --type column", Watch((J1,), "column", None)),
        (f"{J1} --type=column --lang=zh-cn", Watch((J1,), "column", "zh-cn")),
        (f"--lang zh-cn {J1}", Watch((J1,), None, "zh-cn")),
        (f"{J1} —type column", Watch((J1,), "column", None)),
        (f"{J1} –lang zh-cn", Watch((J1,), None, "zh-cn")),
        (f"{J1} ——lang EN-US", Watch((J1,), None, "en-us")),
        (f"{J1} --lang zh_cn", Watch((J1,), None, "zh-cn")),
        (f"{J1} --type `column`", Watch((J1,), "column", None)),
        (f"status {J1}", Status(J1, None, None)),
        (f"STATUS {J1}", Status(J1, None, None)),
        (f"check {J1}", Status(J1, None, None)),
        (f"Check {J1} --type column --lang zh-cn", Status(J1, "column", "zh-cn")),
        (f"stop {J1}", Stop(J1)),
        ("stop all", Stop(None)),
        ("STOP ALL", Stop(None)),
        # wrapping and odd whitespace from chat clients and phones
        (f"`{J1}`", Watch((J1,), None, None)),
        (f'"{J1}"', Watch((J1,), None, None)),
        (f"“{J1}”", Watch((J1,), None, None)),
        (f"status\u00a0{J1}", Status(J1, None, None)),
        (f"status\t\n{J1}\u3000", Status(J1, None, None)),
        # a pasted list: commas separate IDs
        (f"{J1},", Watch((J1,), None, None)),
        (f"{J1}, {J2}", Watch((J1, J2), None, None)),
        (f"{J1},{J2}", Watch((J1, J2), None, None)),
    ],
)
def test_slash_forms(text: str, expected: object) -> None:
    if expected is None:
        with pytest.raises(InvalidJobId):
            parse_command(text)
        return
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0DRSBOT>", Help()),
        ("<@U0DRSBOT> help", Help()),
        (f"<@U0DRSBOT> watch {J1}", Watch((J1,), None, None)),
        (f"<@U0DRSBOT|drs> {J1}", Watch((J1,), None, None)),
        (f"<@U0DRSBOT> <@U0DRSBOT> {J1} --type column", Watch((J1,), "column", None)),
        (f"<@U0DRSBOT> status {J1}", Status(J1, None, None)),
        (f"<@U0DRSBOT> CHECK {J1}", Status(J1, None, None)),
        ("<@U0DRSBOT> stop", Stop(None)),
        ("<@U0DRSBOT> stop all", Stop(None)),
        (f"<@U0DRSBOT> stop {J1}", Stop(J1)),
        ("<@U0DRSBOT> list", ListWatches()),
        (f"<@U0DRSBOT>\u00a0watch\u00a0`{J1}`", Watch((J1,), None, None)),
    ],
)
def test_mention_forms(text: str, expected: object) -> None:
    assert parse_mention(text) == expected


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("stauts", ["`stauts`", "not a command", "/drs-progress status JOB_ID"]),
        ("hello there", ["`hello`", "not a command"]),
        ("c7debc9c-8e09-4a5d-8dd6", ["23 characters", "/drs-progress JOB_ID"]),
        (f"{J1} please {J2[:-2]}", [f"`{J2[:-2]}`", "not a DRS job ID"]),
        (f"status {J1[:-1]}", ["35 characters", "/drs-progress status JOB_ID"]),
        (f"stop {J1}x", ["/drs-progress stop JOB_ID"]),
        ("status", ["exactly one job ID", "no job ID", "/drs-progress status JOB_ID"]),
        (f"status {J1} {J2}", ["exactly one job ID", "2 given"]),
        ("stop", ["needs a job ID or `all`", "/drs-progress stop all"]),
        (f"stop {J1} {J2}", ["one job ID or `all`"]),
        ("watch", ["needs a job ID", "/drs-progress watch JOB_ID"]),
        (" ".join(IDS), ["Too many job IDs", f"at most {MAX_JOBS}"]),
        (f"{J1} --type", ["`--type`", "needs a value"]),
        (f"{J1} --type --lang zh-cn", ["`--type`", "needs a value"]),
        (f"{J1} --type row", ["`row`", "not a known `--type`", "column"]),
        (f"{J1} --lang fr", ["`fr`", "en-us", "zh-cn"]),
        (f"{J1} --lang=", ["not a known `--lang`"]),
        (f"{J1} --verbose", ["Unknown option `--verbose`", "--type column"]),
        (f"{J1} --type column --type=row", ["not a known `--type`"]),
        (f"{J1} --lang en-us --lang zh-cn", ["given twice"]),
        ("--type column", ["No job ID given"]),
        ("list --type column", ["`list` takes no options", "/drs-progress list"]),
        ("list everything", ["`list` takes nothing", "`everything`"]),
        (f"stop {J1} --lang zh-cn", ["`stop` takes no options"]),
        ("stop all --type column", ["`stop` takes no options"]),
    ],
)
def test_slash_errors_say_what_and_how(text: str, fragments: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        parse_command(text)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_errors_use_the_configured_command_name() -> None:
    with pytest.raises(UsageError) as info:
        parse_command("stop", command_name="/drs")
    assert "`/drs stop all`" in str(info.value)
    assert "/drs-progress" not in str(info.value)
    assert "`/drs list`" in usage_text("/drs")


def test_mention_errors_show_the_mention_form() -> None:
    with pytest.raises(UsageError) as info:
        parse_mention("<@U0DRSBOT> status", bot_mention="@DRS Bot")
    assert "@DRS Bot `status JOB_ID`" in str(info.value)
    with pytest.raises(UsageError, match="not a command"):
        parse_mention("<@U0DRSBOT> please watch it")


def test_hostile_input_is_quoted_not_echoed_raw() -> None:
    with pytest.raises(UsageError) as info:
        parse_command("`<!channel>`\x07" + "x" * 500)
    message = str(info.value)
    assert "\x07" not in message
    assert "x" * 100 not in message


def test_watch_and_status_are_distinct_types() -> None:
    # The listener dispatches on type: a slash status must never start a watch.
    assert not isinstance(parse_command(f"status {J1}"), Watch)
    assert isinstance(parse_command(J1), Watch)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    J1,
                    J2,
                    "status",
                    "check",
                    "stop",
                    "all",
                    "list",
                    "help",
                    "watch",
                    "--type",
                    "column",
                    "—lang",
                    "zh-cn",
                    "--type=",
                    "<@U1>",
                    "`",
                    "“",
                    "\u00a0",
                    "\n",
                    "=",
                    "-",
                    "——",
                    "<",
                    ">|",
                ]
            ),
        ),
        max_size=10,
    )
)
def test_any_text_gives_a_command_or_a_usage_error(parts: list[str]) -> None:
    text = " ".join(parts)
    for parse in (parse_command, parse_mention):
        try:
            result = parse(text)
        except UsageError as exc:
            assert str(exc)
        else:
            assert isinstance(result, Help | Watch | Status | Stop | ListWatches)
