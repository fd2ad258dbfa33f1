"""`--region REGION` on watch and status; any other verb, or a malformed name, is refused."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.slack.grammar import Status, Watch, parse_command

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def test_watch_and_status_take_a_region() -> None:
    assert parse_command(f"status {JOB} --region ap-southeast-3") == Status(
        JOB, None, None, "ap-southeast-3"
    )
    assert parse_command(f"{JOB} --region=AP-Southeast-1") == Watch(
        (JOB,), None, None, "ap-southeast-1"
    )
    assert parse_command(f"watch {JOB} --region eu-west-101 --lang zh-cn") == Watch(
        (JOB,), None, "zh-cn", "eu-west-101"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"status {JOB} --region mars", "`mars` is not a region name. Right form:"),
        (f"status {JOB} --region", "needs a value"),
        (f"template {JOB} --region ap-southeast-1", "`--region` does not apply to `template`"),
        (f"stop {JOB} --region ap-southeast-1", "takes no options"),
    ],
)
def test_a_region_where_it_does_not_belong_is_refused(text: str, expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_command(text)
    assert expected in str(caught.value)
