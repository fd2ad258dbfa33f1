"""Block Kit cards: content people need, phone-readable text, escaping and Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.progress import Progress
from bot.domain.states import CardState
from bot.errors import CredentialsRefused, JobNotFound
from bot.render.answers import (
    already_watching,
    checking_message,
    drs_error_message,
    help_message,
    invite_hint,
    nothing_to_stop,
    stopped_message,
    usage_error_message,
)
from bot.render.blocks import MAX_BLOCKS, MAX_SECTION, blocks_size
from bot.render.cards import (
    ACTION_REFRESH,
    ACTION_STOP,
    CardView,
    ListItem,
    list_message,
    status_message,
    watch_card,
)
from bot.render.message import Message

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def progress(
    send: bool | None = True, status: str | None = None, rows: str | None = "12340"
) -> Progress:
    body: dict[str, Any] = {"send_success": send, "process_status": status}
    if rows is not None:
        body["parsed_success_number"] = rows
    return Progress.from_body(JOB, body, AT)


def all_text(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def assert_within_limits(message: Message) -> None:
    assert message.text.strip()
    assert len(message.blocks) <= MAX_BLOCKS
    assert blocks_size(message.blocks) < 13000
    for block in message.blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= MAX_SECTION
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= 10
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def buttons(message: Message) -> list[dict[str, Any]]:
    return [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def test_watching_card_has_everything_a_phone_reader_needs() -> None:
    view = CardView(
        JOB,
        CardState.WATCHING,
        progress(),
        watch_id=42,
        requested_by="U1",
        joined_by=("U2", "U3"),
        checked_at=AT,
        job_type="column",
    )
    card = watch_card(view)
    assert card.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"
    blob = all_text(card)
    assert JOB in blob  # whole ID in blocks
    assert "12,340" in blob and ":hourglass_flowing_sand:" in blob
    assert "complete" in blob
    assert (
        f"<!date^{int(AT.timestamp())}^{{date_short_pretty}} {{time}}|2026-03-01 08:30 UTC>" in blob
    )
    assert "<@U1>" in blob and "<@U2>, <@U3>" in blob
    assert "column" in blob
    assert [(b["action_id"], b["value"]) for b in buttons(card)] == [
        (ACTION_REFRESH, "42"),
        (ACTION_STOP, "42"),
    ]
    assert_within_limits(card)


@pytest.mark.parametrize(
    ("p", "text", "fragment"),
    [
        (progress(False, None, None), "DRS c7debc9c…jb20r: uploading", "not complete yet"),
        (progress(None, None, None), "DRS c7debc9c…jb20r: uploading", "not reported"),
        (
            progress(True, "success", "500"),
            "DRS c7debc9c…jb20r: succeeded, 500 rows",
            ":white_check_mark:",
        ),
        (progress(True, "failed", "1"), "DRS c7debc9c…jb20r: failed, 1 row", ":x:"),
        (progress(True, "pending", "0"), "DRS c7debc9c…jb20r: parsing, 0 rows", "`pending`"),
        (progress(True, None, "n/a"), "DRS c7debc9c…jb20r: parsing", "`n/a`"),
    ],
)
def test_phases_rows_and_unknown_status_verbatim(p: Progress, text: str, fragment: str) -> None:
    card = watch_card(CardView(JOB, CardState.WATCHING, p, watch_id=1))
    assert card.text == text
    assert fragment in all_text(card)
    assert_within_limits(card)


@pytest.mark.parametrize("state", [s for s in CardState if s is not CardState.WATCHING])
def test_ended_cards_have_no_buttons_and_say_why(state: str) -> None:
    card = watch_card(CardView(JOB, state, progress(True, "success", "9"), watch_id=3))
    assert buttons(card) == []
    assert card.text.startswith("DRS c7debc9c…jb20r: ")
    assert_within_limits(card)


def test_ended_card_words() -> None:
    assert "Stopped watching" in all_text(watch_card(CardView(JOB, CardState.STOPPED, progress())))
    assert watch_card(CardView(JOB, CardState.STOPPED, progress())).text.endswith(
        "parsing, stopped watching, 12,340 rows"
    )
    found = watch_card(CardView(JOB, CardState.NOT_FOUND, None))
    assert found.text == "DRS c7debc9c…jb20r: job not found"
    assert "no such job" in all_text(found)
    assert "not watched" in all_text(
        watch_card(CardView(JOB, CardState.FINISHED, progress(True, "success")))
    )
    assert "time limit" in all_text(watch_card(CardView(JOB, CardState.EXPIRED, progress())))


def test_card_without_progress_or_watch_id() -> None:
    card = watch_card(CardView(JOB, CardState.WATCHING, None))
    assert card.text == "DRS c7debc9c…jb20r: checking"
    assert buttons(card) == []  # no watch id: nothing for the buttons to carry


def test_hostile_text_is_escaped() -> None:
    p = progress(True, "<!channel> & <@U9>", "<b>")
    card = watch_card(
        CardView(
            JOB,
            CardState.WATCHING,
            p,
            watch_id=1,
            note="<!here> DRS & co",
            requested_by="<!channel>",
        )
    )
    blob = all_text(card)
    assert "<!channel>" not in blob and "<!here>" not in blob and "<@U9>" not in blob
    assert "&lt;!channel&gt;" in blob and "&amp;" in blob


def test_long_note_stays_within_limits() -> None:
    card = watch_card(
        CardView(
            JOB,
            CardState.WATCHING,
            progress(),
            watch_id=1,
            note="x" * 10000,
            joined_by=tuple(f"U{i:05d}" for i in range(500)),
        )
    )
    assert_within_limits(card)
    assert "and 492 more" in all_text(card)


def test_status_message_is_private_and_one_off() -> None:
    msg = status_message(progress(), job_type="column", command_name="/drs")
    assert msg.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"
    blob = all_text(msg)
    assert JOB in blob and "Only you can see this" in blob and f"`/drs {JOB}`" in blob
    assert buttons(msg) == []
    done = status_message(progress(True, "success"), command_name="/drs")
    assert "To watch" not in all_text(done)


def test_list_message_empty_says_how_to_start() -> None:
    msg = list_message([], command_name="/drs")
    assert "`/drs JOB_ID`" in msg.text and "watch" in msg.text


def test_list_message_items_and_limits() -> None:
    items = [
        ListItem(JOB, progress(), "https://x.slack.com/archives/C1/p1", requested_by="U1"),
        ListItem("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeejb21", None, None, thread=True),
    ]
    msg = list_message(items, command_name="/drs")
    blob = all_text(msg)
    assert msg.text.startswith("2 DRS jobs watched here: c7debc9c…jb20r (parsing)")
    assert "12,340" in blob and "<https://x.slack.com/archives/C1/p1|open card>" in blob
    assert "in a thread" in blob and "<@U1>" in blob and "`/drs stop all`" in blob
    many = [
        ListItem(
            f"{i:08d}-bbbb-cccc-dddd-eeeeeeeejb21",
            progress(),
            "https://x/" + "p" * 200,
            requested_by="U1",
        )
        for i in range(300)
    ]
    big = list_message(many, command_name="/drs")
    assert_within_limits(big)
    assert "more not shown" in all_text(big)
    assert "and 295 more" in big.text


def test_help_message_lists_commands_options_and_threads() -> None:
    msg = help_message("/drs", bot_user_id="U0BOT")
    blob = all_text(msg)
    for fragment in [
        "`/drs status JOB_ID`",
        "`/drs stop all`",
        "`/drs list`",
        "--type column",
        "--lang zh-cn",
        "<@U0BOT> `watch JOB_ID`",
        "Watch DRS job in thread",
    ]:
        assert fragment in blob, fragment
    assert "/drs" in msg.text and "/drs-progress" not in blob
    assert_within_limits(msg)


def test_usage_error_message_escapes_and_points_to_help() -> None:
    msg = usage_error_message("`<x>` is not a command I know.", "/drs")
    assert msg.text == "`&lt;x&gt;` is not a command I know."  # escaped like the blocks
    assert "&lt;x&gt;" in all_text(msg) and "`/drs help`" in all_text(msg)


def test_drs_error_message_uses_user_message() -> None:
    msg = drs_error_message(JOB, JobNotFound(code="DRS.10000010", status=400, job_id=JOB))
    assert msg.text.startswith("DRS c7debc9c…jb20r: DRS has no job")
    assert ":grey_question:" in all_text(msg) and "DRS.10000010" in all_text(msg)
    creds = drs_error_message(JOB, CredentialsRefused(status=401))
    assert "operator" in creds.text and ":x:" in all_text(creds)


def test_invite_hint_says_how_to_invite() -> None:
    msg = invite_hint("U0BOT", "C123")
    assert "/invite <@U0BOT>" in msg.text
    blob = all_text(msg)
    assert "<#C123>" in blob and "Private channels" in blob
    assert "@DRS bot" in invite_hint(None, "C123").text


def test_already_watching_links_the_card() -> None:
    msg = already_watching(JOB, "https://x/archives/C1/p1")
    assert msg.text == "DRS c7debc9c…jb20r: already watched here"
    assert "<https://x/archives/C1/p1|See its card>" in all_text(msg)
    assert "See its card" not in all_text(already_watching(JOB, None))


def test_stop_messages() -> None:
    msg = stopped_message([JOB, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeejb21"])
    assert msg.text == "Stopped watching 2 DRS jobs: c7debc9c…jb20r, aaaaaaaa…ejb21"
    assert JOB in all_text(msg)
    assert "nothing to stop" in stopped_message([]).text
    one = nothing_to_stop(JOB, "/drs")
    assert "not watched here" in one.text and "`/drs list`" in all_text(one)
    assert_within_limits(stopped_message([JOB] * 200))


def test_checking_acknowledgement_names_short_job_ids() -> None:
    message = checking_message([JOB, "0a1b2c3d"])
    assert (
        message.text == ":hourglass_flowing_sand: Checking `c7debc9c…jb20r`, `0a1b2c3d` with DRS…"
    )
