"""The App Home: "Your watches" across channels, the recently ended ones, then a short how-to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.commands import Language
from bot.domain.progress import Progress
from bot.domain.states import WatchState
from bot.render import jobs
from bot.render.answers import mention_form
from bot.render.blocks import Block, button, context, section
from bot.render.catalog import t
from bot.render.message import escape
from bot.render.text import EN, channel_ref, code, link, phase_text, rows_field, slack_date

ACTION_HOME_STOP = "drs_home_stop"
MAX_HOME_BLOCKS = 100  # Slack's limit for a Home view
MAX_ENDED = 10
# Blocks kept for the headers, the "more" line, the ended list and the how-to.
_ACTIVE_ROOM = MAX_HOME_BLOCKS - MAX_ENDED - 12
_OUTCOME_EMOJI = {
    WatchState.SUCCEEDED: ":white_check_mark:",
    WatchState.FAILED: ":x:",
    WatchState.NOT_FOUND: ":grey_question:",
    WatchState.STOPPED: ":octagonal_sign:",
    WatchState.EXPIRED: ":alarm_clock:",
    WatchState.UNDELIVERABLE: ":warning:",
}


@dataclass(frozen=True)
class HomeItem:
    """One watch as the Home lists it."""

    watch_id: int
    job_id: str
    channel_id: str
    state: WatchState | None
    progress: Progress | None
    permalink: str | None = None
    ended_at: datetime | None = None
    job_name: str | None = None  # user text: shown only through `jobs`
    job_summary: str | None = None


def home_view(
    active: Sequence[HomeItem],
    ended: Sequence[HomeItem],
    *,
    command_name: str,
    bot_user_id: str | None = None,
    lang: Language = EN,
) -> list[Block]:
    """The Home's blocks (at most 100): a section per active watch with its Stop button."""
    blocks: list[Block] = [section(t(lang, "home.heading"))]
    if not active:
        blocks.append(context([t(lang, "home.none")]))
    for item in active[:_ACTIVE_ROOM]:
        blocks.append(_active_block(item, lang))
    if len(active) > _ACTIVE_ROOM:
        blocks.append(context([t(lang, "list.not_shown", more=len(active) - _ACTIVE_ROOM)]))
    if ended:
        blocks.append({"type": "divider"})
        blocks.append(section(t(lang, "home.ended")))
        blocks.extend(section(_ended_line(item, lang)) for item in ended[:MAX_ENDED])
    blocks.append({"type": "divider"})
    how_to = t(lang, "home.how_to", cmd=escape(command_name), bot=mention_form(bot_user_id))
    blocks.append(context([how_to]))
    return blocks[:MAX_HOME_BLOCKS]


def _where(item: HomeItem, lang: Language) -> str:
    place = channel_ref(item.channel_id)
    if item.permalink:
        return f"{place} · {link(item.permalink, t(lang, 'list.open_card'))}"
    return place


def _active_block(item: HomeItem, lang: Language) -> Block:
    progress = item.progress
    if progress:
        phase = phase_text(progress, lang=lang)
        checked = t(lang, "home.checked", when=slack_date(progress.observed_at, lang=lang))
    else:
        phase = f":hourglass: {t(lang, 'home.not_checked')}"
        checked = t(lang, "home.not_checked")
    # Only a name leads: without it the item reads as it always did.
    lead = f"{jobs.title(item.job_name, item.job_summary)}\n" if item.job_name else ""
    rows = t(lang, "list.rows", rows=rows_field(progress, lang=lang))
    text = f"{lead}{code(item.job_id, 60)}\n{phase} · {rows} · {checked}\n{_where(item, lang)}"
    block = section(text)
    stop = t(lang, "home.stop")
    block["accessory"] = button(stop, ACTION_HOME_STOP, str(item.watch_id), style="danger")
    return block


def _ended_line(item: HomeItem, lang: Language) -> str:
    if item.state in _OUTCOME_EMOJI:
        assert item.state is not None
        outcome = f"{_OUTCOME_EMOJI[item.state]} {t(lang, f'home.outcome.{item.state.value}')}"
    else:
        outcome = t(lang, "home.outcome.ended")
    when = f" {slack_date(item.ended_at, lang=lang)}" if item.ended_at else ""
    rows = ""
    if item.progress:
        rows = " · " + t(lang, "list.rows", rows=rows_field(item.progress, lang=lang))
    lead = f"{jobs.name_text(item.job_name)} " if item.job_name else ""
    return f"{lead}{code(item.job_id, 60)} {outcome}{when}{rows} · {_where(item, lang)}"
