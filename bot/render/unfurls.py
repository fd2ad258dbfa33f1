"""The preview under a pasted DRS console link: the job's progress, Watch in thread and Refresh."""

from __future__ import annotations

from datetime import datetime

from bot.domain.progress import Progress
from bot.render import jobs
from bot.render.blocks import actions, button, context, fields, section
from bot.render.message import Message
from bot.render.text import PHASE_EMOJI, code, phase_text, rows_field, slack_date, upload_text

ACTION_UNFURL_WATCH = "drs_unfurl_watch"
ACTION_UNFURL_REFRESH = "drs_unfurl_refresh"
UNFURL_ACTIONS_BLOCK_ID = "drs_unfurl_actions"


def _buttons(job_id: str) -> dict[str, object]:
    return actions(
        UNFURL_ACTIONS_BLOCK_ID,
        [
            button("Watch in thread", ACTION_UNFURL_WATCH, job_id, style="primary"),
            button("Refresh", ACTION_UNFURL_REFRESH, job_id),
        ],
    )


def unfurl_progress(
    progress: Progress,
    *,
    checked_at: datetime,
    job_name: str | None = None,
    job_summary: str | None = None,
) -> Message:
    """The job as DRS last told it (within the minute); nothing is watched until asked.

    A name known from an earlier watch leads; the ID follows it.
    """
    heading = f"*DRS template import* {code(progress.job_id)}"
    if job_name:
        heading = f"{jobs.title(job_name, job_summary)}\n{heading}"
    blocks = [
        section(f"{PHASE_EMOJI[progress.phase]} {heading}"),
        fields(
            [
                ("Phase", phase_text(progress)),
                ("Rows parsed", rows_field(progress)),
                ("Upload", upload_text(progress)),
            ]
        ),
        context([f"Checked {slack_date(checked_at)} · not watched"]),
        _buttons(progress.job_id),
    ]
    head = jobs.head(progress.job_id, job_name) if job_name else f"DRS {progress.job_id}"
    return Message(f"{head}: {progress.phase.value}", blocks)


def unfurl_problem(job_id: str, problem: Message) -> Message:
    """DRS could not say (the sentence from `answers`), with the buttons to try again."""
    return Message(problem.text, [*problem.blocks, _buttons(job_id)])


def unfurl_other_region(job_id: str, *, region: str, ours: str | None) -> Message:
    """A link to another region than the bot's: said plainly instead of asking the wrong one."""
    where = f"region {code(ours, 40)}" if ours else "one region"
    text = (
        f":globe_with_meridians: {code(job_id)} is in region {code(region, 40)}; "
        f"this bot reads DRS in {where}, so it cannot show this job."
    )
    return Message(f"DRS {job_id}: another region ({region})", [section(text)])
