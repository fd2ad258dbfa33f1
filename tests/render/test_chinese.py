"""Render in Chinese: numbers, dates, durations and whole messages per language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.commands import Language
from bot.domain.progress import Progress
from bot.domain.states import CardState
from bot.render.cards import CardView, status_message, watch_card
from bot.render.text import format_duration, format_rows, plain_date, slack_date

ZH, EN = Language.ZH_CN, Language.EN_US
WHEN = datetime(2026, 11, 29, 11, 28, tzinfo=UTC)
JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"


def parsing(rows: int) -> Progress:
    return Progress(
        job_id=JOB,
        send_success=True,
        process_status=None,
        parsed_success_number=rows,
        parsed_success_raw=str(rows),
        observed_at=WHEN,
    )


def test_numbers_dates_and_durations_per_language() -> None:
    assert format_rows(12340, lang=EN) == "12,340 rows"
    assert format_rows(12340, lang=ZH) == "12,340 行"
    assert format_rows(None, lang=ZH) == "尚无行数"
    assert plain_date(WHEN, lang=EN) == "2026-11-29 11:28 UTC"
    assert plain_date(WHEN, lang=ZH) == "2026年11月29日 11:28 UTC"
    assert slack_date(WHEN, lang=ZH).endswith("|2026年11月29日 11:28 UTC>")
    assert format_duration(timedelta(minutes=3), lang=ZH) == "3 分钟"
    assert format_duration(timedelta(seconds=5), lang=ZH) == "不到 1 分钟"
    assert format_duration(timedelta(minutes=65), lang=ZH) == "1 小时 05 分钟"
    assert format_duration(timedelta(hours=24), lang=ZH) == "24 小时"
    assert format_duration(timedelta(minutes=65), lang=EN) == "1 h 05 min"


def test_a_card_in_chinese_says_nothing_in_english() -> None:
    view = CardView(
        job_id=JOB,
        state=CardState.WATCHING,
        progress=parsing(12340),
        watch_id=7,
        requested_by="U0ASKER",
        checked_at=WHEN,
    )
    card = watch_card(view, lang=ZH)
    assert card.text == "DRS c7debc9c…jb20r：解析中，12,340 行"
    shown = str(card.blocks)
    for word in ("阶段", "已解析行数", "上传", "停止监视", "刷新", "发起人", "上次查询"):
        assert word in shown, word
    for word in ("Phase", "Rows parsed", "Stop watching", "Refresh", "Asked by"):
        assert word not in shown, word
    assert watch_card(view).text == "DRS c7debc9c…jb20r: parsing, 12,340 rows"


def test_status_in_chinese() -> None:
    answer = status_message(parsing(5), command_name="/drs-progress", lang=ZH)
    assert "仅你可见" in str(answer.blocks) and "在这里监视" in str(answer.blocks)
