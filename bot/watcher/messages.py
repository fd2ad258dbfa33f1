"""The watcher's thread replies: a `text` that reads alone in a phone push, plus mrkdwn blocks."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.domain.progress import Phase, Progress
from bot.drs.jobid import short_job_id
from bot.slack.message import Message, escape
from bot.watcher.policy import Observation, PolicyConfig, ReplyKind, WatchFacts

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_MAX_DRS_TEXT = 200  # DRS error messages can be long; a push shows a line or two


def format_rows(rows: int | None) -> str:
    """`12,340 rows`, `1 row`, or `no row count yet`."""
    if rows is None:
        return "no row count yet"
    return f"{rows:,} row" + ("" if rows == 1 else "s")


def format_duration(delta: timedelta) -> str:
    """Human durations: `under 1 min`, `14 min`, `1 h 05 min`, `24 h`."""
    minutes = int(max(delta, timedelta(0)) / timedelta(minutes=1))
    if minutes < 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d} min"


def mentions(facts: WatchFacts) -> str:
    """`<@U1> <@U2>` for who asked and who joined, each once; anything not a user ID is dropped."""
    seen: list[str] = []
    for user in (facts.requested_by, *facts.joined_by):
        if user and _USER_ID.match(user) and user not in seen:
            seen.append(user)
    return " ".join(f"<@{u}>" for u in seen)


def drs_text(text: str | None) -> str:
    """DRS's own words, shortened and mrkdwn-escaped so they cannot ping or link."""
    value = " ".join((text or "").split())
    if len(value) > _MAX_DRS_TEXT:
        value = value[: _MAX_DRS_TEXT - 1] + "…"
    return escape(value)


def describe_state(progress: Progress | None) -> str:
    """`parsing, 12,340 rows`; an unknown parse status is shown verbatim."""
    if progress is None:
        return "no progress seen yet"
    phase = progress.phase
    if phase is Phase.UPLOADING:
        return "uploading the template"
    status = (progress.process_status or "").strip()
    label = phase.value
    if phase is Phase.PARSING and status:
        label = f"parsing (status {drs_text(status)})"
    return f"{label}, {format_rows(progress.parsed_success_number)}"


def _took(progress: Progress | None, started: datetime, now: datetime) -> str:
    end = progress.observed_at if progress is not None else now
    return format_duration(end - started)


def _with(text: str, who: str) -> str:
    return f"{text} {who}" if who else text


def render_reply(
    kind: ReplyKind,
    *,
    job_id: str,
    progress: Progress | None,
    facts: WatchFacts,
    now: datetime,
    config: PolicyConfig,
    error_message: str | None = None,
    project_id: str | None = None,
    first_seen_at: datetime | None = None,
    failures: int | None = None,
) -> Message:
    """The reply for `kind`; `text` stands alone, blocks add the detail a push cannot show."""
    short = short_job_id(job_id)
    head = f"DRS {short}"
    who = mentions(facts)
    state = describe_state(progress)
    rows = format_rows(progress.parsed_success_number if progress else None)
    started = first_seen_at or facts.created_at
    watch_again = f"Type `{config.command} {job_id}` to watch it again."
    detail: list[str] = []

    if kind is ReplyKind.PHASE:
        if progress is not None and progress.phase is Phase.PARSING:
            text = f"{head}: upload complete, now {state}"
        else:
            text = f"{head}: now {state}"
    elif kind is ReplyKind.PROGRESS:
        text = f"{head}: {state} so far"
    elif kind is ReplyKind.SUCCEEDED:
        text = _with(f"{head} parsed: {rows} in {_took(progress, started, now)} ✅", who)
    elif kind is ReplyKind.FAILED:
        text = _with(
            f"{head} parse failed after {_took(progress, started, now)} ❌ ({rows} parsed). "
            "Download the import result to see the errors.",
            who,
        )
        project = project_id or "{project_id}"
        detail.append(
            "*Next step:* the import result is your uploaded file with each error marked. "
            f"API: `GET /v5/{project}/jobs/{job_id}/db-object/template/result?type=detail`. "
            "Console: open the DRS task, go to its object import page and download the "
            "import result. Fix the marked rows, upload the template again, and watch it "
            f"with `{config.command} {job_id}`."
        )
    elif kind is ReplyKind.NOT_FOUND:
        said = f" (DRS: {drs_text(error_message)})" if error_message else ""
        text = _with(
            f"{head} no longer exists in DRS{said}; stopped watching. It may have been "
            "deleted; check the job on the DRS console.",
            who,
        )
    elif kind is ReplyKind.STALLED:
        quiet = format_duration(timedelta(minutes=config.stall_minutes))
        text = (
            f"{head}: no change for {quiet} ({state}). Still watching; if this is "
            "unexpected, check the task on the DRS console."
        )
    elif kind is ReplyKind.EXPIRED:
        hours = format_duration(timedelta(hours=config.watch_max_hours))
        text = _with(
            f"{head}: stopped watching after {hours} (last seen: {state}). {watch_again}", who
        )
    elif kind is ReplyKind.UNREACHABLE:
        tries = f" after {failures} failed checks" if failures else ""
        said = f" ({drs_text(error_message)})" if error_message else ""
        text = f"{head}: DRS is unreachable{tries}{said}, still trying. Last seen: {state}."
    elif kind is ReplyKind.REACHABLE_AGAIN:
        text = f"{head}: DRS is reachable again; {state}."
    else:  # ReplyKind.CREDENTIALS
        said = f" ({drs_text(error_message)})" if error_message else ""
        text = (
            f"{head}: DRS refused the bot's credentials{said}, so progress cannot be checked. "
            "Operators: check DRS_AUTH_TOKEN, IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN or "
            "HUAWEICLOUD_SDK_AK/SK, and DRS_PROJECT_ID, then restart the bot; this watch "
            "carries on by itself."
        )
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": t}} for t in (text, *detail)]
    return Message(text=text, blocks=blocks)


def render_observed(
    kind: ReplyKind,
    *,
    job_id: str,
    obs: Observation,
    facts: WatchFacts,
    now: datetime,
    config: PolicyConfig,
    project_id: str | None = None,
) -> Message:
    """`render_reply` fed from the observation the decision was made on (for the sweep)."""
    return render_reply(
        kind,
        job_id=job_id,
        progress=obs.progress,
        facts=facts,
        now=now,
        config=config,
        error_message=obs.error_message,
        project_id=project_id,
        first_seen_at=obs.first_seen_at,
        failures=obs.consecutive_failures,
    )
