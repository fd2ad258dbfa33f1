"""The watch card and the other job summaries: `status`'s answer and the channel's `list`.

Each `Message.text` reads well alone in a phone notification; the blocks carry the detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.commands import Language
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
from bot.render.catalog import t
from bot.render.message import Message, escape
from bot.render.text import (
    EN,
    PHASE_EMOJI,
    clip,
    code,
    format_rows,
    link,
    literal,
    phase_text,
    phase_word,
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
    CardState.FINISHED: ":checkered_flag: {}",
    CardState.NOT_FOUND: ":grey_question: {}",
    CardState.STOPPED: ":octagonal_sign: {}",
    CardState.EXPIRED: ":alarm_clock: {}",
    CardState.UNDELIVERABLE: ":warning: {}",
}


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
    job_engines: tuple[str | None, str | None] | None = None  # (engine_type, direction)
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


def _label(state: CardState | None, progress: Progress | None, lang: Language) -> str:
    """The short word for the phone text: the phase, or the watch's end."""
    if state is CardState.NOT_FOUND:
        return t(lang, "card.label.not_found")
    if progress is None:
        key = {CardState.STOPPED: "stopped", CardState.EXPIRED: "expired"}.get(
            state or CardState.WATCHING, "checking"
        )
        return t(lang, f"card.label.{key}")
    label = phase_word(progress.phase, lang=lang)
    if state is CardState.STOPPED:
        label = t(lang, "card.label.phase_stopped", phase=label)
    elif state is CardState.EXPIRED:
        label = t(lang, "card.label.phase_expired", phase=label)
    return label


def _push_text(
    job_id: str, label: str, progress: Progress | None, job_name: str | None, lang: Language
) -> str:
    head = jobs.head(job_id, job_name)
    text = t(lang, "card.push", head=head, label=label)
    if progress is not None and progress.parsed_success_number is not None:
        rows = format_rows(progress.parsed_success_number, lang=lang)
        text = t(lang, "card.push_rows", head=head, label=label, rows=rows)
    return clip(text, MAX_TEXT)


def _progress_fields(progress: Progress | None, job_type: str | None, lang: Language) -> Block:
    checking = f":hourglass: {t(lang, 'card.checking')}"
    pairs = [
        (t(lang, "card.field.phase"), phase_text(progress, lang=lang) if progress else checking),
        (t(lang, "card.field.rows"), rows_field(progress, lang=lang)),
        (t(lang, "card.field.upload"), upload_text(progress, lang=lang)),
    ]
    if progress is not None and progress.process_status and progress.phase.finished:
        pairs.append((t(lang, "card.field.drs_status"), code(progress.process_status, 60)))
    if job_type:
        pairs.append((t(lang, "card.field.type"), code(job_type, 30)))
    return fields(pairs)


def _state_line(view: CardView, lang: Language) -> str | None:
    if view.state is None:
        state = code(view.state_raw or "?", 40)
        return f":grey_question: {t(lang, 'card.state.unknown', state=state)}"
    emoji = _STATE_LINE.get(view.state)
    return None if emoji is None else emoji.format(t(lang, f"card.state.{view.state.value}"))


def _meta(view: CardView, lang: Language) -> list[str]:
    meta: list[str] = []
    if view.checked_at is not None:
        meta.append(t(lang, "card.last_checked", when=slack_date(view.checked_at, lang=lang)))
    if view.requested_by and view.uploaded_file:
        file, user = code(view.uploaded_file, 120), user_ref(view.requested_by)
        meta.append(t(lang, "card.uploaded_by", file=file, user=user))
    elif view.requested_by:
        meta.append(t(lang, "card.asked_by", user=user_ref(view.requested_by)))
    if view.joined_by:
        meta.append(t(lang, "card.following", users=users_line(view.joined_by, lang=lang)))
    if view.region:
        meta.append(t(lang, "card.region", region=code(view.region, 40)))
    return meta


def watch_card(view: CardView, *, lang: Language = EN) -> Message:
    """The card in the channel (or first reply in a thread); edited as the job moves."""
    progress = view.progress
    not_found = view.state is CardState.NOT_FOUND
    emoji = PHASE_EMOJI[progress.phase] if progress else ":hourglass:"
    if not_found:
        emoji = ":grey_question:"
    summary = jobs.job_summary(*view.job_engines, lang=lang) if view.job_engines else None
    heading = _heading(emoji, view.job_id, view.job_name, summary or view.job_summary, lang)
    blocks = [section(heading)]
    if not not_found:
        blocks.append(_progress_fields(progress, view.job_type, lang))
    if state_line := _state_line(view, lang):
        blocks.append(section(state_line))
    if view.note:
        blocks.append(context([f":warning: {literal(view.note, 500)}"]))
    if meta := _meta(view, lang):
        blocks.append(context(meta))
    if view.state is CardState.WATCHING and view.watch_id is not None:
        value = str(view.watch_id)
        stop = button(t(lang, "card.button.stop"), ACTION_STOP, value, style="danger")
        refresh = button(t(lang, "card.button.refresh"), ACTION_REFRESH, value)
        blocks.append(actions(ACTIONS_BLOCK_ID, [refresh, stop]))
    label = _label(view.state, progress, lang)
    text = _push_text(view.job_id, label, progress, view.job_name, lang)
    return Message(text, blocks)


def _heading(
    emoji: str, job_id: str, job_name: str | None, job_summary: str | None, lang: Language
) -> str:
    """The card's first line; with a known name, the name and engines lead and the ID follows."""
    plain = t(lang, "card.heading", job_id=escape(job_id))
    title = jobs.title(job_name, job_summary)
    return f"{emoji} {plain}" if title is None else f"{emoji} {title}\n{plain}"


def status_message(
    progress: Progress,
    *,
    job_type: str | None = None,
    command_name: str | None = None,
    job_name: str | None = None,
    job_summary: str | None = None,
    lang: Language = EN,
) -> Message:
    """The private one-off answer to `status JOB_ID`: nothing is watched."""
    emoji = PHASE_EMOJI[progress.phase]
    blocks = [
        section(_heading(emoji, progress.job_id, job_name, job_summary, lang)),
        _progress_fields(progress, job_type, lang),
    ]
    meta = [
        t(lang, "status.checked", when=slack_date(progress.observed_at, lang=lang)),
        t(lang, "status.private"),
    ]
    if command_name and not progress.finished:
        form = f"{escape(command_name)} {escape(progress.job_id)}"
        meta.append(t(lang, "status.to_watch", form=form))
    blocks.append(context(meta))
    label = phase_word(progress.phase, lang=lang)
    text = _push_text(progress.job_id, label, progress, job_name, lang)
    return Message(text, blocks)


def list_message(
    items: list[ListItem],
    *,
    command_name: str,
    bot_user_id: str | None = None,
    lang: Language = EN,
) -> Message:
    """This channel's active watches, each with phase, rows and a link to its card."""
    cmd = escape(command_name)
    if not items:
        text = t(lang, "list.empty", cmd=cmd, bot=mention_form(bot_user_id))
        return Message(text, [section(text)])
    count = t(lang, "list.count_one" if len(items) == 1 else "list.count_many", count=len(items))
    blocks = [section(t(lang, "list.heading", count=count))]
    shown = 0
    for item in items:
        block = section(_list_line(item, lang))
        # Keep 2 blocks spare (the "more" line) and stay under the total size.
        if len(blocks) >= MAX_BLOCKS - 2 or blocks_size([*blocks, block]) > MAX_TOTAL - 500:
            break
        blocks.append(block)
        shown += 1
    if shown < len(items):
        blocks.append(context([t(lang, "list.not_shown", more=len(items) - shown)]))
    blocks.append(context([t(lang, "list.how_to_stop", cmd=cmd)]))
    names = ", ".join(
        f"{_list_name(i)} ({_label(CardState.WATCHING, i.progress, lang)})" for i in items[:5]
    )
    if len(items) > 5:
        text = t(lang, "list.push_more", count=count, names=names, more=len(items) - 5)
    else:
        text = t(lang, "list.push", count=count, names=names)
    return Message(clip(text, MAX_TEXT), blocks)


def _list_name(item: ListItem) -> str:
    return jobs.name_text(item.job_name) if item.job_name else short_job_id(item.job_id)


def _list_line(item: ListItem, lang: Language) -> str:
    progress = item.progress
    checking = f":hourglass: {t(lang, 'card.checking')}"
    phase = phase_text(progress, lang=lang) if progress else checking
    rows = t(lang, "list.rows", rows=rows_field(progress, lang=lang))
    parts = [f"`{escape(item.job_id)}`", phase, rows]
    if item.job_name:
        parts.insert(0, f"*{jobs.name_text(item.job_name)}*")
    if item.permalink:
        label = t(lang, "list.open_thread" if item.thread else "list.open_card")
        parts.append(link(item.permalink, label))
    elif item.thread:
        parts.append(t(lang, "list.in_thread"))
    if item.requested_by:
        parts.append(t(lang, "list.asked_by", user=user_ref(item.requested_by)))
    return " · ".join(parts)
