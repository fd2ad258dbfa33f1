"""The Home view: within Slack's 100 blocks however many watches, one Stop per active watch."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.progress import Progress
from bot.domain.states import WatchState
from bot.render.home import ACTION_HOME_STOP, MAX_HOME_BLOCKS, HomeItem, home_view
from bot.render.message import Message
from tests.render.payloads import assert_safe_payload

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
AT = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def item(n: int, state: WatchState = WatchState.ACTIVE) -> HomeItem:
    progress = Progress(
        job_id=JOB,
        send_success=True,
        process_status=None,
        parsed_success_number=12340,
        parsed_success_raw="12340",
        observed_at=AT,
    )
    return HomeItem(n, JOB, "C0AAAA", state, progress, "https://x.slack.com/p1", AT)


def test_many_watches_stay_within_the_block_limit_and_say_how_many_are_left_out() -> None:
    blocks = home_view(
        [item(n) for n in range(150)],
        [item(n, WatchState.FAILED) for n in range(30)],
        command_name="/drs-progress",
    )
    assert len(blocks) <= MAX_HOME_BLOCKS
    text = str(blocks)
    assert "more not shown" in text and "Recently ended" in text and "How to watch" in text
    assert text.count(":x: failed") == 10


def test_each_active_watch_has_its_stop_button_carrying_the_watch_id() -> None:
    blocks = home_view([item(7), item(9)], [], command_name="/drs-progress")
    stops = [b["accessory"] for b in blocks if "accessory" in b]
    assert [s["action_id"] for s in stops] == [ACTION_HOME_STOP, ACTION_HOME_STOP]
    assert [s["value"] for s in stops] == ["7", "9"]


def test_the_home_is_safe_with_hostile_text() -> None:
    hostile = HomeItem(1, "<!channel> *x*", "C0SANDBOX", WatchState.ACTIVE, None)
    blocks = home_view([hostile], [], command_name="/drs <@U1>")
    assert_safe_payload(Message("home", blocks))
