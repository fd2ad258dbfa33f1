"""The terminal channel in-process: script lines, mrkdwn as text, threads, waits on a live bot."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from bot.config import load_settings
from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import BOT_USER_ID, harness_env, stand_ins
from bot.sandbox.plaintext import block_lines, detail_lines, plain
from bot.sandbox.session import CHANNEL, Session, live_bot, new_sender, script_lines
from bot.sandbox.terminal import Transcript

FOREVER = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def test_script_lines_drop_comments_and_blanks() -> None:
    text = "# intro\n\n  /drs-progress help  \n@bot watch X   # why\n^ @bot stop\nfix#1 stays\n"
    assert script_lines(text) == [
        "/drs-progress help",
        "@bot watch X",
        "^ @bot stop",
        "fix#1 stays",
    ]


def test_plain_turns_slack_mrkdwn_into_terminal_text() -> None:
    text = (
        "*Done* for <@U0DRSBOT> in <#C1|ops>: <https://x.test/a|open card> "
        "at <!date^1700000000^{date_short}|2023-11-14> &amp; :white_check_mark:"
    )
    assert plain(text, {"U0DRSBOT": "drs-bot"}) == (
        "Done for @drs-bot in #ops: open card (https://x.test/a) at 2023-11-14 & ✅"
    )


def test_block_lines_show_fields_and_buttons() -> None:
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Title*\nsecond"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Phase*\nparsing"},
                {"type": "mrkdwn", "text": "*Rows*\n1,200"},
            ],
        },
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Refresh"}},
                {"type": "button", "text": {"type": "plain_text", "text": "Stop watching"}},
            ],
        },
    ]
    assert block_lines(blocks) == [
        "Title",
        "second",
        "Phase parsing · Rows 1,200",
        "[Refresh]  [Stop watching]",
    ]


@dataclass
class Live:
    session: Session
    out: io.StringIO


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    jobs = [SimJob(FOREVER, [{"send_success": True, "parsed_success_number": "5"}], 3600)]
    out = io.StringIO()
    console = Console(file=out, width=200, highlight=False, emoji=False)
    async with stand_ins(jobs) as (simulator, slack):
        env = harness_env(
            simulator, slack, f"sqlite:///{tmp_path / 'db.sqlite3'}", POLL_INTERVAL_SECONDS="1"
        )
        transcript = Transcript(console, slack, names={BOT_USER_ID: "drs-bot"})
        slack.add_listener(transcript.on_call)
        async with live_bot(load_settings(env)) as (rt, url), new_sender() as sender:
            yield Live(Session(rt, slack, sender, transcript, f"{url}/slack/events"), out)


async def test_a_mention_starts_a_thread_and_caret_replies_in_it(live: Live) -> None:
    slack = live.session.slack
    await live.session.type_line(f"@whoever watch {FOREVER}")
    parent = slack.messages(CHANNEL)[0]
    assert parent.text.startswith(f"<@{BOT_USER_ID}>")
    card = slack.thread(CHANNEL, parent.ts)
    assert len(card) == 1 and "5 rows" in card[0].text
    assert slack.messages(CHANNEL) == [parent]  # no channel card for a thread watch

    await live.session.type_line("^ @drs-bot list")
    answers = [e for e in slack.ephemerals() if e.thread_ts == parent.ts]
    assert answers and "1 DRS job watched here" in answers[-1].text
    shown = live.out.getvalue()
    assert "#1 you › @whoever watch" in shown
    assert "↳ #1 #2 drs-bot › DRS c7debc9c…jb20r" in shown
    assert "↳ #1 drs-bot (only visible to you) › Watching 1 DRS job" in shown


async def test_slash_commands_in_threads_are_refused_like_slack_does(live: Live) -> None:
    await live.session.type_line("cutover tonight")
    await live.session.type_line("^1 /drs-progress list")
    assert "Slack does not run slash commands in threads" in live.out.getvalue()
    assert "^1 @drs-bot list" in live.out.getvalue()
    assert live.session.slack.calls_to("response_url") == []


async def test_waiting_for_a_job_that_never_ends_gives_up_with_its_id(live: Live) -> None:
    await live.session.type_line(f"/drs-progress {FOREVER}")
    assert await live.session.wait_for_watches(0.5) == [FOREVER]
    await live.session.type_line("/drs-progress stop all")
    assert await live.session.wait_for_watches(5) == []
    assert (await live.session.ended_watches()) == {"stopped": 1}


def test_detail_lines_keep_what_the_text_does_not_say() -> None:
    head = "DRS c7debc9c…jb20r: succeeded, 500 rows"
    lines = [
        "✅ DRS template import `c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r`",
        "Phase ✅ succeeded · Rows parsed 500 · Upload complete",
        ":checkered_flag: Already finished when asked; not watched.",
        "⚠ DRS is not answering; still trying.",
        "Last checked 2026-11-29 08:50 UTC  Asked by @you",
        "Last checked 2026-11-29 08:51 UTC",
        head,
        "[Refresh]  [Stop watching]",
    ]
    assert detail_lines(head, lines) == [
        ":checkered_flag: Already finished when asked; not watched.",
        "⚠ DRS is not answering; still trying.",
        "Asked by @you",
    ]


async def test_a_deleted_checking_answer_leaves_no_empty_private_line(live: Live) -> None:
    await live.session.type_line(f"/drs-progress {FOREVER}")
    assert live.session.slack.calls_to("response_url")  # "Checking…" was deleted by response_url
    private_lines = [
        line for line in live.out.getvalue().splitlines() if "(only visible to you) ›" in line
    ]
    assert private_lines and all(not line.rstrip().endswith("›") for line in private_lines)
    await live.session.type_line("/drs-progress stop all")


async def test_typed_text_reaches_the_bot_escaped_as_slack_sends_it(live: Live) -> None:
    await live.session.type_line("/drs-progress status &lt;x")
    answer = live.out.getvalue().split("status &lt;x", 1)[1]  # after the typed line
    assert "&lt;x" in answer  # shown as typed: text, not an entity the bot decoded
    assert "<x" not in answer


async def test_a_dm_the_home_and_a_pasted_console_link_show_in_the_terminal(live: Live) -> None:
    slack = live.session.slack
    await live.session.type_line(f"dm: status {FOREVER}")
    dm = [m for m in slack.message_list if m.channel == "D0SANDBOX" and m.user == BOT_USER_ID]
    assert len(dm) == 1 and "5 rows" in dm[0].text
    await live.session.type_line(f"/drs-progress {FOREVER}")
    await live.session.type_line("home")
    assert FOREVER in str(slack.home_views["U0USER"]["blocks"])
    link = f"https://console-intl.huaweicloud.com/drs/#/drs/migration/detail?jobId={FOREVER}"
    await live.session.type_line(f"look at {link}")
    assert len(slack.unfurls) == 1
    shown = live.out.getvalue()
    assert "you › dm: status" in shown and "dm #1 drs-bot › DRS c7debc9c…jb20r" in shown
    assert "home of U0USER › Your watches" in shown and "[Stop]" in shown
    assert "preview › ⏳ DRS template import" in shown
    assert "[Watch in thread]  [Refresh]" in shown
