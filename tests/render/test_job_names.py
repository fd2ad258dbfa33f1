"""Job names lead cards, replies, `list` and phone texts; unnamed output is what it always was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import CardState, Progress, ReplyKind, WatchFacts
from bot.render.cards import CardView, ListItem, list_message, status_message, watch_card
from bot.render.jobs import engines_words
from bot.render.replies import render_reply
from bot.watcher.state import PolicyConfig
from tests.render.payloads import assert_safe_payload

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
PARSING = Progress(JOB, True, None, 12340, "12340", AT)
HOSTILE = "<!channel> *x*"
FACTS = WatchFacts(created_at=AT, expires_at=AT + timedelta(hours=24), requested_by="U123")


@pytest.mark.parametrize(
    ("engine_type", "direction", "words"),
    [
        ("mysql-to-kafka", "up", "MySQL → Kafka"),
        ("taurus-to-kafka", None, "TaurusDB → Kafka"),
        ("oracle-to-gaussdbv5", "up", "Oracle → GaussDB Distributed"),
        ("mysql-to-mysql", "down", "MySQL → MySQL, out of the cloud"),
        ("cassandra-to-kafka", None, "cassandra-to-kafka"),  # unknown: verbatim
        ("  ", None, None),
        (None, "up", None),
    ],
)
def test_engines_are_said_in_words_and_unknown_ones_verbatim(
    engine_type: str | None, direction: str | None, words: str | None
) -> None:
    assert engines_words(engine_type, direction) == words


def card(**kw: object) -> CardView:
    return CardView(JOB, CardState.WATCHING, PARSING, watch_id=3, **kw)  # type: ignore[arg-type]


def test_a_named_card_leads_with_the_name_and_engines_and_keeps_the_id() -> None:
    message = watch_card(card(job_name="orders-to-kafka", job_summary="MySQL → Kafka"))
    assert message.text == "DRS orders-to-kafka: parsing, 12,340 rows"
    first = message.blocks[0]["text"]["text"]
    assert first.splitlines()[0] == ":hourglass_flowing_sand: orders-to-kafka · MySQL → Kafka"
    assert f"`{JOB}`" in first.splitlines()[1]
    assert_safe_payload(message)


def test_an_unnamed_card_is_what_it_always_was() -> None:
    message = watch_card(card())
    assert message.text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"
    expected = f":hourglass_flowing_sand: *DRS template import* `{JOB}`"
    assert message.blocks[0]["text"]["text"] == expected
    assert watch_card(card(job_name=None, job_summary=None)) == message


def test_a_hostile_name_is_shown_as_text_everywhere() -> None:
    named = watch_card(card(job_name=HOSTILE, job_summary="<@U1>-to-kafka"))
    assert_safe_payload(named)
    assert "<!channel>" not in named.text and "&lt;!channel&gt;" in named.text
    assert "<!channel>" not in str(named.blocks) and "<@U1>" not in str(named.blocks)
    status = status_message(PARSING, job_name=HOSTILE)
    assert_safe_payload(status)
    assert "<!channel>" not in status.text
    items = [ListItem(JOB, PARSING, None, job_name=HOSTILE)]
    listed = list_message(items, command_name="/drs-progress")
    assert_safe_payload(listed)
    assert "<!channel>" not in listed.text and "<!channel>" not in str(listed.blocks)


def test_list_and_status_lead_with_the_name() -> None:
    items = [ListItem(JOB, PARSING, None, job_name="orders-to-kafka")]
    listed = list_message(items, command_name="/drs-progress")
    assert "orders-to-kafka (parsing)" in listed.text
    assert listed.blocks[1]["text"]["text"].startswith("*orders-to-kafka* · `" + JOB)
    status = status_message(PARSING, job_name="orders-to-kafka")
    assert status.text == "DRS orders-to-kafka: parsing, 12,340 rows"


def test_thread_replies_lead_with_the_name_when_known() -> None:
    def reply(**kw: object) -> str:
        message = render_reply(
            ReplyKind.PROGRESS,
            job_id=JOB,
            progress=PARSING,
            facts=FACTS,
            now=AT,
            config=PolicyConfig(),
            **kw,  # type: ignore[arg-type]
        )
        return message.text

    assert reply(job_name="orders-to-kafka") == "DRS orders-to-kafka: parsing, 12,340 rows so far"
    assert reply() == "DRS c7debc9c…jb20r: parsing, 12,340 rows so far"
    assert "<!channel>" not in reply(job_name=HOSTILE)
