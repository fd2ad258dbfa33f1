"""Block Kit messages the bot sends; each `text` reads well alone in a phone notification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.progress import Progress
from bot.drs.jobid import short_job_id
from bot.errors import DrsError, JobNotFound
from bot.slack.blocks import (
    MAX_BLOCKS,
    MAX_TEXT,
    MAX_TOTAL,
    PHASE_EMOJI,
    blocks_size,
    button,
    channel_ref,
    clip,
    code,
    context,
    fields,
    phase_text,
    rows_plain,
    rows_text,
    section,
    slack_date,
    upload_text,
    user_ref,
    users_line,
)
from bot.slack.message import Message, escape

ACTION_REFRESH = "drs_refresh"
ACTION_STOP = "drs_stop"
ACTIONS_BLOCK_ID = "drs_watch_actions"

CARD_STATES = (
    "watching",
    "finished",
    "succeeded",
    "failed",
    "not_found",
    "stopped",
    "expired",
    "undeliverable",
)
# What the card says when the watch itself has ended (the phase is shown beside it).
_STATE_LINE = {
    "finished": ":checkered_flag: Already finished when asked; not watched.",
    "not_found": ":grey_question: DRS has no such job in this project; not watched.",
    "stopped": ":octagonal_sign: Stopped watching.",
    "expired": ":alarm_clock: Watch ended: it reached its time limit.",
    "undeliverable": ":warning: Watch ended: the bot can no longer post here.",
}


@dataclass(frozen=True)
class CardView:
    """Everything a watch card shows; `state` is one of CARD_STATES."""

    job_id: str
    state: str
    progress: Progress | None
    watch_id: int | None = None
    requested_by: str | None = None
    joined_by: tuple[str, ...] = ()
    checked_at: datetime | None = None
    note: str | None = None
    job_type: str | None = None


@dataclass(frozen=True)
class ListItem:
    """One active watch in `list`; `thread` when it posts into a thread instead of a card."""

    job_id: str
    progress: Progress | None
    permalink: str | None
    requested_by: str | None = None
    thread: bool = False


def _label(state: str, progress: Progress | None) -> str:
    """The short word for the phone text: the phase, or the watch's end."""
    if state == "not_found":
        return "job not found"
    if progress is None:
        return {"stopped": "stopped", "expired": "watch expired"}.get(state, "checking")
    label = progress.phase.value
    if state == "stopped":
        label += ", stopped watching"
    elif state == "expired":
        label += ", watch expired"
    return label


def _push_text(job_id: str, label: str, progress: Progress | None) -> str:
    rows = rows_plain(progress)
    text = f"DRS {short_job_id(job_id)}: {label}"
    return clip(f"{text}, {rows}" if rows else text, MAX_TEXT)


def _progress_fields(progress: Progress | None, job_type: str | None) -> dict[str, Any]:
    pairs = [
        ("Phase", phase_text(progress) if progress else ":hourglass: checking…"),
        ("Rows parsed", rows_text(progress)),
        ("Upload", upload_text(progress)),
    ]
    if progress is not None and progress.process_status and progress.phase.finished:
        pairs.append(("DRS status", code(progress.process_status, 60)))
    if job_type:
        pairs.append(("Type", code(job_type, 30)))
    return fields(pairs)


def watch_card(view: CardView) -> Message:
    """The card in the channel (or first reply in a thread); edited as the job moves."""
    progress = view.progress
    emoji = PHASE_EMOJI[progress.phase] if progress else ":hourglass:"
    if view.state == "not_found":
        emoji = ":grey_question:"
    title = f"{emoji} *DRS template import* `{escape(view.job_id)}`"
    blocks: list[dict[str, Any]] = [section(title)]
    if view.state != "not_found":
        blocks.append(_progress_fields(progress, view.job_type))
    if view.state in _STATE_LINE:
        blocks.append(section(_STATE_LINE[view.state]))
    if view.note:
        blocks.append(context([f":warning: {escape(clip(view.note, 500))}"]))
    meta: list[str] = []
    if view.checked_at is not None:
        meta.append(f"Last checked {slack_date(view.checked_at)}")
    if view.requested_by:
        meta.append(f"Asked by {user_ref(view.requested_by)}")
    if view.joined_by:
        meta.append(f"Also following: {users_line(view.joined_by)}")
    if meta:
        blocks.append(context(meta))
    if view.state == "watching" and view.watch_id is not None:
        value = str(view.watch_id)
        blocks.append(
            {
                "type": "actions",
                "block_id": ACTIONS_BLOCK_ID,
                "elements": [
                    button("Refresh", ACTION_REFRESH, value),
                    button("Stop watching", ACTION_STOP, value, style="danger"),
                ],
            }
        )
    return Message(_push_text(view.job_id, _label(view.state, progress), progress), blocks)


def status_message(
    progress: Progress, *, job_type: str | None = None, command_name: str | None = None
) -> Message:
    """The private one-off answer to `status JOB_ID`: nothing is watched."""
    blocks: list[dict[str, Any]] = [
        section(f"{PHASE_EMOJI[progress.phase]} *DRS template import* `{progress.job_id}`"),
        _progress_fields(progress, job_type),
    ]
    meta = [f"Checked {slack_date(progress.observed_at)}", "Only you can see this; not watched."]
    if command_name and not progress.finished:
        meta.append(f"To watch it here: `{escape(command_name)} {progress.job_id}`")
    blocks.append(context(meta))
    return Message(_push_text(progress.job_id, progress.phase.value, progress), blocks)


def list_message(items: list[ListItem], *, command_name: str) -> Message:
    """This channel's active watches, each with phase, rows and a link to its card."""
    cmd = escape(command_name)
    if not items:
        text = (
            f"No DRS jobs are watched in this channel. Start one with `{cmd} JOB_ID`, "
            "or mention me inside a thread: `@bot watch JOB_ID`."
        )
        return Message(text, [section(text)])
    count = f"{len(items)} DRS job{'s' if len(items) != 1 else ''}"
    blocks: list[dict[str, Any]] = [section(f"*Watching {count} in this channel*")]
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
        f"{short_job_id(i.job_id)} ({_label('watching', i.progress)})" for i in items[:5]
    )
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return Message(clip(f"{count} watched here: {names}{more}", MAX_TEXT), blocks)


def _list_line(item: ListItem) -> str:
    progress = item.progress
    phase = phase_text(progress) if progress else ":hourglass: checking…"
    parts = [f"`{escape(item.job_id)}`", phase, f"rows {rows_text(progress)}"]
    if item.permalink:
        where = "thread" if item.thread else "card"
        link = item.permalink.replace("<", "").replace(">", "").replace("|", "")
        parts.append(f"<{link}|open {where}>")
    elif item.thread:
        parts.append("in a thread")
    if item.requested_by:
        parts.append(f"asked by {user_ref(item.requested_by)}")
    return " · ".join(parts)


def help_message(command_name: str, *, bot_user_id: str | None = None) -> Message:
    """Usage with examples: commands, options, threads (mentions) and the shortcut."""
    cmd = escape(command_name)
    bot = f"<@{bot_user_id}>" if bot_user_id else "@bot"
    example = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
    commands = "\n".join(
        [
            "*Watch DRS object-import template parses*",
            f"`{cmd} {example}`: check now, post a card here and update it until the parse "
            "ends (up to 5 job IDs at once).",
            f"`{cmd} status JOB_ID` (or `check`): check once; only you see the answer.",
            f"`{cmd} stop JOB_ID` or `{cmd} stop all`: stop watching in this channel.",
            f"`{cmd} list`: what this channel watches.",
            f"`{cmd} help`: this message.",
        ]
    )
    options = (
        "*Options* (for watching and `status`): `--type column` for a column-processing "
        "import, `--lang zh-cn` for DRS messages in Chinese (default `en-us`). "
        f"A phone turning `--` into `—` is fine: `{cmd} {example} —type column`."
    )
    threads = (
        "*Inside a thread* Slack does not run slash commands in threads, so mention me there: "
        f"{bot} `watch JOB_ID` (or just {bot} `JOB_ID`), {bot} `status JOB_ID`, "
        f"{bot} `stop` (this thread's watches). Updates then go to that thread. "
        "You can also use the message shortcut *Watch DRS job in thread* on a message "
        "that contains a job ID."
    )
    text = (
        f"How to use {command_name}: `{command_name} JOB_ID` watches a DRS template parse, "
        f"`{command_name} status JOB_ID` checks once, `{command_name} help` shows more."
    )
    return Message(clip(text, MAX_TEXT), [section(commands), section(options), section(threads)])


def usage_error_message(message: str, command_name: str) -> Message:
    """A private answer to bad input: what was wrong and the right form (from the grammar)."""
    blocks = [
        section(f":warning: {escape(message)}"),
        context([f"Type `{escape(command_name)} help` for every command with examples."]),
    ]
    return Message(clip(message, MAX_TEXT), blocks)


def drs_error_message(job_id: str, error: DrsError) -> Message:
    """A DRS error about one job, in words that say what to do next."""
    emoji = ":grey_question:" if isinstance(error, JobNotFound) else ":x:"
    detail = error.user_message()
    blocks = [section(f"{emoji} *Could not check* `{escape(job_id)}`\n{escape(detail)}")]
    text = f"DRS {short_job_id(job_id)}: {detail}"
    return Message(clip(text, MAX_TEXT), blocks)


def invite_hint(bot_user_id: str | None, channel_id: str) -> Message:
    """Why the bot cannot post here and how to invite it (nothing was stored)."""
    bot = f"<@{bot_user_id}>" if bot_user_id else "@DRS bot"
    text = (
        f"I can't post in this channel because I'm not a member. Type /invite {bot} in "
        "the channel, then run the command again."
    )
    body = (
        f":wave: I can't post in {channel_ref(channel_id)} because I'm not a member of it, "
        "so nothing was watched.\n"
        f"Type `/invite` {bot} in that channel (or open the channel details, *Integrations*, "
        "*Add apps*), then run your command again.\n"
        "Private channels need the invite too; in a direct message between other people I "
        "can't post at all, so use a channel."
    )
    return Message(text, [section(body)])


def already_watching(job_id: str, permalink: str | None) -> Message:
    """The job is already watched here: point at the existing card instead of a second one."""
    link = ""
    if permalink:
        link = (
            " " + f"<{permalink.replace('<', '').replace('>', '').replace('|', '')}|See its card>."
        )
    body = f":eyes: `{escape(job_id)}` is already watched here.{link}"
    return Message(f"DRS {short_job_id(job_id)}: already watched here", [section(body)])


def stopped_message(job_ids: list[str]) -> Message:
    """Confirmation that watches ended."""
    if not job_ids:
        return nothing_to_stop(None)
    count = f"{len(job_ids)} DRS job{'s' if len(job_ids) != 1 else ''}"
    shown = job_ids[:40]
    lines = "\n".join(f"• `{escape(j)}`" for j in shown)
    if len(job_ids) > len(shown):
        lines += f"\n…and {len(job_ids) - len(shown)} more"
    names = ", ".join(short_job_id(j) for j in job_ids[:5])
    more = f" and {len(job_ids) - 5} more" if len(job_ids) > 5 else ""
    return Message(
        clip(f"Stopped watching {count}: {names}{more}", MAX_TEXT),
        [section(f":octagonal_sign: Stopped watching {count}:\n{lines}")],
    )


def nothing_to_stop(job_id: str | None, command_name: str = "/drs-progress") -> Message:
    """`stop` found no matching watch; say how to see what is watched."""
    cmd = escape(command_name)
    if job_id:
        text = f"DRS {short_job_id(job_id)} is not watched here, so there is nothing to stop."
        body = f"`{escape(job_id)}` is not watched here, so there is nothing to stop."
    else:
        text = "Nothing is watched here, so there is nothing to stop."
        body = text
    body += f" `{cmd} list` shows what this channel watches."
    return Message(text, [section(body)])
