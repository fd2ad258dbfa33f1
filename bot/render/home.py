"""The App Home: "Your watches" across channels, the recently ended ones, then a short how-to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.progress import Progress
from bot.domain.states import WatchState
from bot.render import jobs
from bot.render.answers import mention_form
from bot.render.blocks import Block, button, context, section
from bot.render.message import escape
from bot.render.text import channel_ref, code, link, phase_text, rows_field, slack_date

ACTION_HOME_STOP = "drs_home_stop"
MAX_HOME_BLOCKS = 100  # Slack's limit for a Home view
MAX_ENDED = 10
# Blocks kept for the headers, the "more" line, the ended list and the how-to.
_ACTIVE_ROOM = MAX_HOME_BLOCKS - MAX_ENDED - 12
_CHECKING = ":hourglass: not checked yet"
_OUTCOME = {
    WatchState.SUCCEEDED: ":white_check_mark: succeeded",
    WatchState.FAILED: ":x: failed",
    WatchState.NOT_FOUND: ":grey_question: not found",
    WatchState.STOPPED: ":octagonal_sign: stopped",
    WatchState.EXPIRED: ":alarm_clock: reached its time limit",
    WatchState.UNDELIVERABLE: ":warning: could no longer post",
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
) -> list[Block]:
    """The Home's blocks (at most 100): a section per active watch with its Stop button."""
    blocks: list[Block] = [section("*Your watches*")]
    if not active:
        blocks.append(context(["You are not watching any DRS job right now."]))
    for item in active[:_ACTIVE_ROOM]:
        blocks.append(_active_block(item))
    if len(active) > _ACTIVE_ROOM:
        blocks.append(context([f"…and {len(active) - _ACTIVE_ROOM} more not shown."]))
    if ended:
        blocks.append({"type": "divider"})
        blocks.append(section("*Recently ended*"))
        blocks.extend(section(_ended_line(item)) for item in ended[:MAX_ENDED])
    blocks.append({"type": "divider"})
    blocks.append(context([_how_to(command_name, bot_user_id)]))
    return blocks[:MAX_HOME_BLOCKS]


def _where(item: HomeItem) -> str:
    place = channel_ref(item.channel_id)
    if item.permalink:
        return f"{place} · {link(item.permalink, 'open card')}"
    return place


def _active_block(item: HomeItem) -> Block:
    progress = item.progress
    phase = phase_text(progress) if progress else _CHECKING
    checked = f"checked {slack_date(progress.observed_at)}" if progress else "not checked yet"
    # Only a name leads: without it the item reads as it always did.
    lead = f"{jobs.title(item.job_name, item.job_summary)}\n" if item.job_name else ""
    text = (
        f"{lead}{code(item.job_id, 60)}\n{phase} · rows {rows_field(progress)} · {checked}\n"
        f"{_where(item)}"
    )
    block = section(text)
    block["accessory"] = button("Stop", ACTION_HOME_STOP, str(item.watch_id), style="danger")
    return block


def _ended_line(item: HomeItem) -> str:
    outcome = _OUTCOME.get(item.state, "ended") if item.state else "ended"
    when = f" {slack_date(item.ended_at)}" if item.ended_at else ""
    rows = f" · rows {rows_field(item.progress)}" if item.progress else ""
    lead = f"{jobs.name_text(item.job_name)} " if item.job_name else ""
    return f"{lead}{code(item.job_id, 60)} {outcome}{when}{rows} · {_where(item)}"


def _how_to(command_name: str, bot_user_id: str | None) -> str:
    cmd = escape(command_name)
    return (
        f"*How to watch a job:* `{cmd} JOB_ID` in a channel, {mention_form(bot_user_id)} "
        "`watch JOB_ID` in a thread, "
        "or send me the job ID (or a DRS console link) here in Messages. "
        "`status JOB_ID` checks once; `stop JOB_ID` ends a watch."
    )
