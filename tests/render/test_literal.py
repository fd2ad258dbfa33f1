"""DRS and user text is shown as it reads everywhere: escaped once, unable to ping or format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.progress import Progress
from bot.domain.states import CardState
from bot.domain.watching import ReplyKind, WatchFacts
from bot.errors import DrsRejected, DrsUnavailable, SlackError, UsageError
from bot.render import answers
from bot.render.blocks import context, fields, section
from bot.render.cards import CardView, watch_card
from bot.render.message import Message, escape
from bot.render.notes import first_check_failed
from bot.render.replies import render_reply
from bot.render.text import clip, code, drs_text, literal
from bot.slack.grammar import parse_command, parse_mention
from bot.watcher.state import PolicyConfig

from .payloads import assert_safe_payload

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CANARY = "<!channel> *canary*"
SHOWN = "`&lt;!channel&gt; *canary*`"  # escaped, inside a code span: no ping, no bold


def everything(message: Message) -> str:
    return repr((message.text, message.blocks))


def usage(text: str, *, mention: bool = False) -> Message:
    parse = parse_mention if mention else parse_command
    with pytest.raises(UsageError) as caught:
        parse(text)
    return answers.usage_error_message(caught.value.user_message(), "/drs-progress")


@pytest.mark.parametrize(
    ("typed", "raw"), [("x<!channel>y", "<!channel>"), ("--x<@U0EVIL>=1", "<@U0EVIL>")]
)
def test_usage_error_text_is_escaped_like_its_blocks(typed: str, raw: str) -> None:
    message = usage(typed)
    assert raw not in everything(message)
    assert escape(raw) in message.text
    assert escape(raw) in message.blocks[0]["text"]["text"]


def test_drs_error_text_is_escaped_and_cannot_format() -> None:
    error = DrsRejected(CANARY, status=400, code="DRS.0001", job_id=JOB)
    message = answers.drs_error_message(JOB, error)
    assert "<!channel>" not in everything(message)
    assert SHOWN in message.text and SHOWN in message.blocks[0]["text"]["text"]


@pytest.mark.parametrize("kind", [ReplyKind.PHASE, ReplyKind.PROGRESS, ReplyKind.STALLED])
def test_a_drs_status_cannot_format_in_replies(kind: ReplyKind) -> None:
    progress = Progress(JOB, True, CANARY, 5, "5", T0)
    message = render_reply(
        kind,
        job_id=JOB,
        progress=progress,
        facts=WatchFacts(created_at=T0, expires_at=T0 + timedelta(hours=1)),
        now=T0,
        config=PolicyConfig(),
    )
    assert f"(status {SHOWN})" in message.text
    assert "<!channel>" not in everything(message)


def test_drs_words_in_replies_cannot_format() -> None:
    message = render_reply(
        ReplyKind.UNREACHABLE,
        job_id=JOB,
        progress=None,
        facts=WatchFacts(created_at=T0, expires_at=T0),
        now=T0,
        config=PolicyConfig(),
        error_message=DrsUnavailable(CANARY, status=502).describe(),
    )
    assert f"(`'{escape(CANARY)}' (HTTP 502)`)" in message.text


def test_a_card_note_with_drs_words_cannot_format() -> None:
    note = first_check_failed(DrsUnavailable(CANARY, status=502).describe())
    card = watch_card(CardView(JOB, CardState.WATCHING, None, watch_id=1, note=note))
    shown = card.blocks[-2]["elements"][0]["text"]
    assert shown.startswith(":warning: `DRS could not be reached yet (")
    assert "*canary*'" in shown and shown.endswith("I keep trying.`")
    assert "<!channel>" not in everything(card)


def test_plain_drs_words_stay_plain() -> None:
    assert literal("pending") == "pending"
    assert drs_text("System error. (HTTP 500, DRS.10000001)") == (
        "System error. (HTTP 500, DRS.10000001)"
    )
    assert literal("a < b & c") == "a &lt; b &amp; c"


@pytest.mark.parametrize(
    "hostile", ["*bold*", "_x_", "~x~", "`tick`", "<https://evil.example|label>", ":bomb:"]
)
def test_text_that_could_format_becomes_a_code_span(hostile: str) -> None:
    shown = literal(f"a {hostile} b")
    assert shown.startswith("`") and shown.endswith("`") and shown.count("`") == 2
    assert "<" not in shown


def test_literal_is_one_line_and_escaped_once() -> None:
    assert literal("a\n*b*\tc") == "`a *b* c`"
    assert literal("&lt;") == "&amp;lt;"  # what was typed is shown, once
    assert code("x`y") == "`x'y`"


@pytest.mark.parametrize("limit", range(2, 14))
def test_clip_never_leaves_half_an_entity(limit: int) -> None:
    clipped = clip("ab&amp;cd&lt;ef", limit)
    assert len(clipped) <= limit
    body = clipped.removesuffix("…")
    assert body.count("&") == body.count(";")


def test_clip_never_leaves_half_a_link_or_mention() -> None:
    text = "see <https://example.slack.com/archives/C1/p1|the card> and <@U123> now"
    for limit in range(2, len(text)):
        body = clip(text, limit).removesuffix("…")
        assert body.count("<") == body.count(">"), limit


def test_blocks_clip_escaped_text_on_whole_entities() -> None:
    for block in (section(escape("&" * 5000)), fields([("x", escape("<" * 5000))])):
        text = block["text"]["text"] if "text" in block else block["fields"][0]["text"]
        assert text.endswith(";…")
    text = context([escape("a>" * 3000)])["elements"][0]["text"]
    assert text.endswith(("&gt;…", "a…"))


def test_errors_outside_a_command_are_escaped() -> None:
    refused = SlackError("Slack chat.update failed: <!channel>")
    for message in (
        answers.error_message(refused),
        answers.card_not_accepted(refused),
        answers.card_not_updated(refused),
    ):
        assert "<!channel>" not in message.text and "&lt;!channel&gt;" in message.text
        assert_safe_payload(message)


def test_typed_angle_brackets_are_decoded_once_and_escaped_once() -> None:
    # Slack sends a typed `x<y` as `x&lt;y`; it must come back as `x&lt;y`, not `x&amp;lt;y`.
    message = usage("x&lt;y")
    assert "`x&lt;y`" in message.text and "&amp;lt;" not in everything(message)
    assert "`&amp;lt;`" in usage("&amp;lt;").text  # a typed `&lt;` is shown as typed


def test_a_typed_mention_is_text_not_markup() -> None:
    # `<@U0EVIL>` typed as text arrives as `&lt;@U0EVIL&gt;`: quoted back, never a mention.
    message = usage("<@UBOT> &lt;@U0EVIL&gt;", mention=True)
    assert "`&lt;@U0EVIL&gt;`" in message.text
    assert "<@U0EVIL>" not in everything(message) and "&amp;" not in everything(message)
