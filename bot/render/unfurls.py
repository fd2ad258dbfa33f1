"""The preview under a pasted DRS console link: the job's progress, Watch in thread and Refresh."""

from __future__ import annotations

from datetime import datetime

from bot.domain.commands import Language
from bot.domain.progress import Progress
from bot.render import jobs
from bot.render.blocks import actions, button, context, fields, section
from bot.render.catalog import t
from bot.render.message import Message
from bot.render.text import (
    EN,
    PHASE_EMOJI,
    code,
    phase_text,
    phase_word,
    rows_field,
    slack_date,
    upload_text,
)

ACTION_UNFURL_WATCH = "drs_unfurl_watch"
ACTION_UNFURL_REFRESH = "drs_unfurl_refresh"
UNFURL_ACTIONS_BLOCK_ID = "drs_unfurl_actions"


def _buttons(job_id: str, lang: Language) -> dict[str, object]:
    return actions(
        UNFURL_ACTIONS_BLOCK_ID,
        [
            button(t(lang, "unfurl.watch"), ACTION_UNFURL_WATCH, job_id, style="primary"),
            button(t(lang, "card.button.refresh"), ACTION_UNFURL_REFRESH, job_id),
        ],
    )


def unfurl_progress(
    progress: Progress,
    *,
    checked_at: datetime,
    job_name: str | None = None,
    job_summary: str | None = None,
    lang: Language = EN,
) -> Message:
    """The job as DRS last told it (within the minute); nothing is watched until asked.

    A name known from an earlier watch leads; the ID follows it.
    """
    heading = t(lang, "unfurl.heading", job_id=code(progress.job_id))
    if job_name:
        heading = f"{jobs.title(job_name, job_summary)}\n{heading}"
    blocks = [
        section(f"{PHASE_EMOJI[progress.phase]} {heading}"),
        fields(
            [
                (t(lang, "card.field.phase"), phase_text(progress, lang=lang)),
                (t(lang, "card.field.rows"), rows_field(progress, lang=lang)),
                (t(lang, "card.field.upload"), upload_text(progress, lang=lang)),
            ]
        ),
        context([t(lang, "unfurl.checked", when=slack_date(checked_at, lang=lang))]),
        _buttons(progress.job_id, lang),
    ]
    head = jobs.head(progress.job_id, job_name) if job_name else f"DRS {progress.job_id}"
    label = phase_word(progress.phase, lang=lang)
    return Message(t(lang, "card.push", head=head, label=label), blocks)


def unfurl_problem(job_id: str, problem: Message, *, lang: Language = EN) -> Message:
    """DRS could not say (the sentence from `answers`), with the buttons to try again."""
    return Message(problem.text, [*problem.blocks, _buttons(job_id, lang)])


def unfurl_other_region(
    job_id: str, *, region: str, ours: str | None, lang: Language = EN
) -> Message:
    """A link to another region than the bot's: said plainly instead of asking the wrong one."""
    there = code(region, 40)
    if ours:
        text = t(lang, "unfurl.other_region", job=code(job_id), region=there, ours=code(ours, 40))
    else:
        text = t(lang, "unfurl.other_region.one", job=code(job_id), region=there)
    push = t(lang, "unfurl.other_region.push", job_id=job_id, region=region)
    return Message(push, [section(f":globe_with_meridians: {text}")])
