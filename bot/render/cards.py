"""The watch card and the other job summaries: `status`'s answer and the channel's `list`.

Each `Message.text` reads well alone in a phone notification; the blocks carry the detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.progress import Progress
from bot.domain.states import CardState
from bot.render import jobs
from bot.render.answers import mention_form
from bot.render.blocks import (
    MAX_BLOCKS,
    MAX_TEXT,
    MAX_TOTAL,
    Block,
    actions,
    blocks_size,
    button,
    context,
    fields,
    section,
)
from bot.render.message import Message, escape
from bot.render.text import (
    PHASE_EMOJI,
    clip,
    code,
    format_rows,
    link,
    literal,
    phase_text,
    rows_field,
    short_job_id,
    slack_date,
    upload_text,
    user_ref,
    users_line,
)

ACTION_REFRESH = "drs_refresh"
ACTION_STOP = "drs_stop"
ACTIONS_BLOCK_ID = "drs_watch_actions"

# What the card says when the watch itself has ended (the phase is shown beside it).
_STATE_LINE = {
    CardState.FINISHED: ":checkered_flag: Already finished when asked; not watched.",
    CardState.NOT_FOUND: ":grey_question: DRS has no such job in this project; not watched.",
    CardState.STOPPED: ":octagonal_sign: Stopped watching.",
    CardState.EXPIRED: ":alarm_clock: Watch ended: it reached its time limit.",
    CardState.UNDELIVERABLE: ":warning: Watch ended: the bot can no longer post here.",
}
_CHECKING = ":hourglass: checking…"


@dataclass(frozen=True)
class CardView:
    """Everything a watch card shows.

    `state` is None when the stored state is one this version does not know; the card then
    shows `state_raw` verbatim rather than pretend it is one it knows.
    """

    job_id: str
    state: CardState | None
    progress: Progress | None
    watch_id: int | None = None
    requested_by: str | None = None
    joined_by: tuple[str, ...] = ()
    checked_at: datetime | None = None
    note: str | None = None  # the note's words, shown as a `literal`
    job_type: str | None = None
    state_raw: str | None = None
    job_name: str | None = None  # DRS's name for the job (user text), when known
    job_summary: str | None = None  # engines in words (`MySQL → Kafka`), when known
    uploaded_file: str | None = None  # shown as "`name` uploaded by @requester"
    region: str | None = None  # where the job was found, when several regions are served


@dataclass(frozen=True)
class ListItem:
    """One active watch in `list`; `thread` when it posts into a thread instead of a card."""

    job_id: str
    progress: Progress | None
    permalink: str | None
    requested_by: str | None = None
    thread: bool = False
    job_name: str | None = None


def _label(state: CardState | None, progress: Progress | None) -> str:
    """The short word for the phone text: the phase, or the watch's end."""
    if state is CardState.NOT_FOUND:
        return "job not found"
    if progress is None:
        return {CardState.STOPPED: "stopped", CardState.EXPIRED: "watch expired"}.get(
            state or CardState.WATCHING, "checking"
        )
    label = progress.phase.value
    if state is CardState.STOPPED:
        label += ", stopped watching"
    elif state is CardState.EXPIRED:
        label += ", watch expired"
    return label


def _push_text(
    job_id: str, label: str, progress: Progress | None, job_name: str | None = None
) -> str:
    text = f"{jobs.head(job_id, job_name)}: {label}"
    if progress is not None and progress.parsed_success_number is not None:
        text += f", {format_rows(progress.parsed_success_number)}"
    return clip(text, MAX_TEXT)


def _progress_fields(progress: Progress | None, job_type: str | None) -> Block:
    pairs = [
        ("Phase", phase_text(progress) if progress else _CHECKING),
        ("Rows parsed", rows_field(progress)),
        ("Upload", upload_text(progress)),
    ]
    if progress is not None and progress.process_status and progress.phase.finished:
        pairs.append(("DRS status", code(progress.process_status, 60)))
    if job_type:
        pairs.append(("Type", code(job_type, 30)))
    return fields(pairs)


def _state_line(view: CardView) -> str | None:
    if view.state is None:
        return f":grey_question: Watch state {code(view.state_raw or '?', 40)}."
    return _STATE_LINE.get(view.state)


def _meta(view: CardView) -> list[str]:
    meta: list[str] = []
    if view.checked_at is not None:
        meta.append(f"Last checked {slack_date(view.checked_at)}")
    if view.requested_by and view.uploaded_file:
        meta.append(f"{code(view.uploaded_file, 120)} uploaded by {user_ref(view.requested_by)}")
    elif view.requested_by:
        meta.append(f"Asked by {user_ref(view.requested_by)}")
    if view.joined_by:
        meta.append(f"Also following: {users_line(view.joined_by)}")
    if view.region:
        meta.append(f"Region {code(view.region, 40)}")
    return meta


def watch_card(view: CardView) -> Message:
    """The card in the channel (or first reply in a thread); edited as the job moves."""
    progress = view.progress
    not_found = view.state is CardState.NOT_FOUND
    emoji = PHASE_EMOJI[progress.phase] if progress else ":hourglass:"
    if not_found:
        emoji = ":grey_question:"
    blocks = [section(_heading(emoji, view.job_id, view.job_name, view.job_summary))]
    if not not_found:
        blocks.append(_progress_fields(progress, view.job_type))
    if state_line := _state_line(view):
        blocks.append(section(state_line))
    if view.note:
        blocks.append(context([f":warning: {literal(view.note, 500)}"]))
    if meta := _meta(view):
        blocks.append(context(meta))
    if view.state is CardState.WATCHING and view.watch_id is not None:
        value = str(view.watch_id)
        stop = button("Stop watching", ACTION_STOP, value, style="danger")
        blocks.append(actions(ACTIONS_BLOCK_ID, [button("Refresh", ACTION_REFRESH, value), stop]))
    text = _push_text(view.job_id, _label(view.state, progress), progress, view.job_name)
    return Message(text, blocks)


def _heading(emoji: str, job_id: str, job_name: str | None, job_summary: str | None) -> str:
    """The card's first line; with a known name, the name and engines lead and the ID follows."""
    plain = f"*DRS template import* `{escape(job_id)}`"
    title = jobs.title(job_name, job_summary)
    return f"{emoji} {plain}" if title is None else f"{emoji} {title}\n{plain}"


def status_message(
    progress: Progress,
    *,
    job_type: str | None = None,
    command_name: str | None = None,
    job_name: str | None = None,
    job_summary: str | None = None,
) -> Message:
    """The private one-off answer to `status JOB_ID`: nothing is watched."""
    emoji = PHASE_EMOJI[progress.phase]
    blocks = [
        section(_heading(emoji, progress.job_id, job_name, job_summary)),
        _progress_fields(progress, job_type),
    ]
    meta = [f"Checked {slack_date(progress.observed_at)}", "Only you can see this; not watched."]
    if command_name and not progress.finished:
        meta.append(f"To watch it here: `{escape(command_name)} {escape(progress.job_id)}`")
    blocks.append(context(meta))
    text = _push_text(progress.job_id, progress.phase.value, progress, job_name)
    return Message(text, blocks)


def list_message(
    items: list[ListItem], *, command_name: str, bot_user_id: str | None = None
) -> Message:
    """This channel's active watches, each with phase, rows and a link to its card."""
    cmd = escape(command_name)
    if not items:
        text = (
            f"No DRS jobs are watched in this channel. Start one with `{cmd} JOB_ID`, "
            f"or mention me inside a thread: {mention_form(bot_user_id)} `watch JOB_ID`."
        )
        return Message(text, [section(text)])
    count = f"{len(items)} DRS job{'s' if len(items) != 1 else ''}"
    blocks = [section(f"*Watching {count} in this channel*")]
    shown = 0
    for item in items:
        block = section(_list_line(item))
        # Keep 2 blocks spare (the "more" line) and stay under the total size.
        if len(blocks) >= MAX_BLOCKS - 2 or blocks_size([*blocks, block]) > MAX_TOTAL - 500:
            break
        blocks.append(block)
        shown += 1
    if shown < len(items):
        blocks.append(context([f"…and {len(items) - shown} more not shown."]))
    blocks.append(context([f"Stop one with `{cmd} stop JOB_ID`, or all with `{cmd} stop all`."]))
    names = ", ".join(
        f"{_list_name(i)} ({_label(CardState.WATCHING, i.progress)})" for i in items[:5]
    )
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return Message(clip(f"{count} watched here: {names}{more}", MAX_TEXT), blocks)


def _list_name(item: ListItem) -> str:
    return jobs.name_text(item.job_name) if item.job_name else short_job_id(item.job_id)


def _list_line(item: ListItem) -> str:
    progress = item.progress
    phase = phase_text(progress) if progress else _CHECKING
    parts = [f"`{escape(item.job_id)}`", phase, f"rows {rows_field(progress)}"]
    if item.job_name:
        parts.insert(0, f"*{jobs.name_text(item.job_name)}*")
    if item.permalink:
        parts.append(link(item.permalink, f"open {'thread' if item.thread else 'card'}"))
    elif item.thread:
        parts.append("in a thread")
    if item.requested_by:
        parts.append(f"asked by {user_ref(item.requested_by)}")
    return " · ".join(parts)
