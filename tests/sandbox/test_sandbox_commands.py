"""The sandbox's `!` commands and richer rendering, in-process against a live bot."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from bot.config import load_settings
from bot.drs.sim_jobs import SimJob, demo_jobs
from bot.sandbox.commands import jobs_lines
from bot.sandbox.harness import BOT_USER_ID, harness_env, stand_ins
from bot.sandbox.run import timing_env
from bot.sandbox.session import CHANNEL, Session, live_bot, new_sender, script_lines
from bot.sandbox.slack_state import StoredMessage
from bot.sandbox.terminal import Transcript

FOREVER = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
FAILS = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
DONE = "5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10"
WAIT = 30.0


@dataclass
class Live:
    session: Session
    out: io.StringIO

    @property
    def shown(self) -> str:
        return self.out.getvalue()

    def card(self) -> StoredMessage:
        return self.session.slack.messages(CHANNEL)[0]

    def replies(self) -> list[str]:
        return [m.text for m in self.session.slack.thread(CHANNEL, self.card().ts)]


def jobs() -> list[SimJob]:
    running = {"send_success": True, "parsed_success_number": "5"}
    failed = {"send_success": True, "process_status": "failed", "parsed_success_number": "7"}
    done = {"send_success": True, "process_status": "success", "parsed_success_number": "9"}
    return [
        SimJob(FOREVER, [running], 3600),
        SimJob(FAILS, [running, failed], 0),  # one step per query: fails at its first poll
        SimJob(DONE, [done], 3600),
    ]


@asynccontextmanager
async def live(tmp_path: Path, **settings: str) -> AsyncIterator[Live]:
    out = io.StringIO()
    console = Console(file=out, width=400, highlight=False, emoji=False)
    async with stand_ins(jobs()) as (simulator, slack):
        env = harness_env(
            simulator,
            slack,
            f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **{"POLL_INTERVAL_SECONDS": "1", **settings},
        )
        transcript = Transcript(console, slack, names={BOT_USER_ID: "drs-bot"})
        slack.add_listener(transcript.on_call)
        async with live_bot(load_settings(env)) as (rt, url), new_sender() as sender:
            events = f"{url}/slack/events"
            yield Live(Session(rt, slack, sender, transcript, events, simulator), out)


def test_the_jobs_list_says_what_each_demo_job_will_do() -> None:
    lines = jobs_lines(demo_jobs())
    plans = [line.split(None, 1)[1] for line in lines]
    assert plans[0].startswith("succeeds") and plans[1].startswith("fails")
    assert plans[2].startswith("slow: succeeds") and plans[3].startswith("unknown")
    assert all(job.job_id in line for job, line in zip(demo_jobs(), lines, strict=False))
    never = SimJob(FOREVER, [{"send_success": True}], 1)
    assert "never finishes" in jobs_lines([never])[0]


def test_only_timing_settings_come_from_the_environment() -> None:
    environ = {
        "STALL_MINUTES": "0.5",
        "FAILURE_NOTICE_AFTER": "2",
        "FINAL_BROADCAST": "false",
        "POLL_INTERVAL_SECONDS": "3",
        "PROGRESS_REPLY_MINUTES": "0",
        "DRS_AUTH_TOKEN": "a-real-token",
        "SLACK_API_URL": "https://slack.com/api/",
        "DATABASE_URL": "postgresql://prod/db",
    }
    assert timing_env(environ) == {
        "STALL_MINUTES": "0.5",
        "FAILURE_NOTICE_AFTER": "2",
        "FINAL_BROADCAST": "false",
        "POLL_INTERVAL_SECONDS": "3",
        "PROGRESS_REPLY_MINUTES": "0",
    }


def test_a_message_number_in_a_script_is_not_a_comment() -> None:
    assert script_lines("!stop #3   # the first card\n!wait 2 #why") == ["!stop #3", "!wait 2"]


async def test_card_buttons_are_pressed_from_the_terminal(tmp_path: Path) -> None:
    async with live(tmp_path) as lv:
        await lv.session.type_line(f"/drs-progress {FOREVER}")
        polls = lv.session.simulator.calls[FOREVER] if lv.session.simulator else 0
        await lv.session.type_line("!refresh #1")
        assert lv.session.simulator is not None
        assert lv.session.simulator.calls[FOREVER] > polls  # the Refresh button asked DRS
        assert await lv.session.active_watches() == [FOREVER]

        await lv.session.type_line("!stop #1")
        assert await lv.session.ended_watches() == {"stopped": 1}
        assert "Stopped watching." in lv.shown  # a block line beyond the card's text
        await lv.session.type_line("!stop #1")
        assert "message #1 has no stop button" in lv.shown
        await lv.session.type_line("!refresh #7")
        assert "no message #7" in lv.shown


async def test_the_message_shortcut_is_run_from_the_terminal(tmp_path: Path) -> None:
    async with live(tmp_path) as lv:
        await lv.session.type_line(f"cutover: watch {FOREVER} please")
        await lv.session.type_line("!shortcut #1")
        parent = lv.card()
        thread = lv.session.slack.thread(CHANNEL, parent.ts)
        assert len(thread) == 1 and "c7debc9c…jb20r" in thread[0].text
        assert "↳ #1 #2 drs-bot ›" in lv.shown


async def test_blocks_beyond_the_text_are_shown(tmp_path: Path) -> None:
    async with live(tmp_path) as lv:
        await lv.session.type_line(f"/drs-progress {DONE}")
        assert "Already finished when asked" in lv.shown
        await lv.session.type_line(f"/drs-progress {FAILS}")
        assert await lv.session.wait_for_watches(WAIT) == []
        assert "Next step: the import result" in lv.shown


async def test_drs_down_and_up_show_unreachable_and_reachable_again(tmp_path: Path) -> None:
    async with live(tmp_path, FAILURE_NOTICE_AFTER="1") as lv:
        slack = lv.session.slack
        await lv.session.type_line(f"/drs-progress {FOREVER}")
        await lv.session.type_line("!drs down")
        await slack.wait_for(lambda: any("unreachable" in t for t in lv.replies()), WAIT)
        await lv.session.type_line("!drs up")
        await slack.wait_for(lambda: any("reachable again" in t for t in lv.replies()), WAIT)
        await lv.session.settle()
        assert "DRS is not answering" in lv.shown  # the card's note, shown as it appeared


async def test_refused_credentials_and_stalls_can_be_seen(tmp_path: Path) -> None:
    async with live(tmp_path, STALL_MINUTES="0.02") as lv:
        slack = lv.session.slack
        await lv.session.type_line(f"/drs-progress {FOREVER}")
        await slack.wait_for(lambda: any("no change for" in t for t in lv.replies()), WAIT)
        await lv.session.type_line("!drs refuse-credentials")
        await slack.wait_for(lambda: any("refused the bot's" in t for t in lv.replies()), WAIT)
        await lv.session.type_line("!drs")
        assert "DRS simulator faults: {'refuse_credentials': True}" in lv.shown
        await lv.session.type_line("!drs fail two")
        assert "`!drs fail two` is not a simulator switch" in lv.shown
        await lv.session.type_line("!frobnicate")
        assert "unknown sandbox command '!frobnicate'" in lv.shown
