"""A channel hears a job's end once, however many of its threads also watch that job."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import TEAM_ID
from bot.slack import service
from bot.slack.service import Place
from bot.watcher.deliver import broadcasts_final
from bot.watcher.sweep import Sweeper
from tests.slack.live import CHANNEL, LiveBot
from tests.slack.test_app_http import slash
from tests.slack.test_watch_flow import card_of, poll_now

JOB = "5ca1ab1e-0000-4a5d-8dd6-cc44f78jb20r"


@dataclass
class W:
    id: int
    thread_key: str
    team_id: str = "T1"
    channel_id: str = "C1"


@pytest.mark.parametrize(
    ("watch", "siblings", "expected"),
    [
        (W(1, ""), [], True),
        (W(2, "1.1"), [W(1, "")], False),  # the channel's own watch tells the channel
        (W(1, "1.1"), [W(2, "")], False),  # even when the thread watch is older
        (W(1, ""), [W(2, "1.1")], True),
        (W(2, "1.1"), [W(3, "2.2")], True),  # threads only: the oldest tells the channel
        (W(3, "2.2"), [W(2, "1.1")], False),
        (W(2, "1.1"), [W(1, "", channel_id="C2")], True),  # another channel is another audience
        (W(2, "1.1"), [W(1, "", team_id="T2")], True),
    ],
)
def test_one_watch_per_channel_broadcasts_the_end(
    watch: W, siblings: list[W], expected: bool
) -> None:
    assert broadcasts_final(watch, [watch, *siblings]) is expected  # type: ignore[arg-type]


async def test_a_thread_watch_beside_the_channels_own_does_not_broadcast_twice(
    live_bot: LiveBot,
) -> None:
    steps = [
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
    ]
    live_bot.simulator.add_job(SimJob(JOB, steps, step_seconds=0))  # one step per answer
    await slash(live_bot, JOB)
    await card_of(live_bot, CHANNEL)
    thread = live_bot.slack.add_user_message(CHANNEL, f"watching {JOB} here too").ts
    place = Place(team_id=TEAM_ID, channel_id=CHANNEL, user_id="U0BOB", thread_ts=thread)

    async def say(message: object) -> None:
        raise AssertionError(f"nothing private expected: {message}")

    await service.watch(live_bot.runtime, place, JOB, job_type=None, language=None, say=say)
    await poll_now(live_bot, Sweeper(live_bot.runtime))

    replies = [m for m in live_bot.slack.message_list if m.channel == CHANNEL and m.is_reply]
    finals = [m for m in replies if "parsed: 500 rows" in m.text]
    assert len(finals) == 2  # each watch's own thread hears the end
    assert [m.reply_broadcast for m in finals].count(True) == 1
    [broadcast] = [m for m in finals if m.reply_broadcast]
    assert broadcast.thread_ts != thread  # from the channel's own card
