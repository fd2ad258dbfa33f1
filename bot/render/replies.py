"""The watcher's thread replies: a `text` that reads alone in a phone push, plus mrkdwn blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.progress import Phase, Progress
from bot.domain.watching import Observation, ReplyKind, WatchFacts
from bot.render import jobs
from bot.render.blocks import plain_section
from bot.render.message import Message
from bot.render.text import drs_text, format_duration, format_rows, mentions


class ReplySettings(Protocol):
    """The settings replies name (the watcher's policy settings have them)."""

    @property
    def command(self) -> str: ...

    @property
    def stall_minutes(self) -> float: ...

    @property
    def watch_max_hours(self) -> float: ...


@dataclass(frozen=True)
class _Reply:
    """What every reply may say, worked out once."""

    job_id: str
    head: str  # `DRS orders-to-kafka`, or `DRS c7debc9c…jb20r` while the name is unknown
    who: str  # mentions of who asked and who joined
    state: str  # `parsing, 12,340 rows`
    rows: str
    took: str  # from the first sighting to the observation (or now)
    settings: ReplySettings
    error_message: str | None
    project_id: str | None
    failures: int | None
    progress: Progress | None

    def said(self, before: str = " (") -> str:
        return f"{before}{drs_text(self.error_message)})" if self.error_message else ""


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


def _with(text: str, who: str) -> str:
    return f"{text} {who}" if who else text


def _phase(r: _Reply) -> str:
    if r.progress is not None and r.progress.phase is Phase.PARSING:
        return f"{r.head}: upload complete, now {r.state}"
    return f"{r.head}: now {r.state}"


def _progress(r: _Reply) -> str:
    return f"{r.head}: {r.state} so far"


def _succeeded(r: _Reply) -> str:
    return _with(f"{r.head} parsed: {r.rows} in {r.took} ✅", r.who)


def _failed(r: _Reply) -> str:
    return _with(
        f"{r.head} parse failed after {r.took} ❌ ({r.rows} parsed). "
        "Download the import result to see the errors.",
        r.who,
    )


def _failed_next_step(r: _Reply) -> str:
    project = r.project_id or "{project_id}"
    return (
        "*Next step:* the import result is your uploaded file with each error marked. "
        f"API: `GET /v5/{project}/jobs/{r.job_id}/db-object/template/result?type=detail`. "
        "Console: open the DRS task, go to its object import page and download the "
        "import result. Fix the marked rows, upload the template again, and watch it "
        f"with `{r.settings.command} {r.job_id}`."
    )


def _not_found(r: _Reply) -> str:
    return _with(
        f"{r.head} no longer exists in DRS{r.said(' (DRS: ')}; stopped watching. It may have "
        "been deleted; check the job on the DRS console.",
        r.who,
    )


def _stalled(r: _Reply) -> str:
    quiet = format_duration(timedelta(minutes=r.settings.stall_minutes))
    return (
        f"{r.head}: no change for {quiet} ({r.state}). Still watching; if this is "
        "unexpected, check the task on the DRS console."
    )


def _expired(r: _Reply) -> str:
    hours = format_duration(timedelta(hours=r.settings.watch_max_hours))
    again = f"Type `{r.settings.command} {r.job_id}` to watch it again."
    return _with(f"{r.head}: stopped watching after {hours} (last seen: {r.state}). {again}", r.who)


def _unreachable(r: _Reply) -> str:
    tries = f" after {r.failures} failed checks" if r.failures else ""
    return f"{r.head}: DRS is unreachable{tries}{r.said()}, still trying. Last seen: {r.state}."


def _reachable_again(r: _Reply) -> str:
    return f"{r.head}: DRS is reachable again; {r.state}."


def _credentials(r: _Reply) -> str:
    return (
        f"{r.head}: DRS refused the bot's credentials{r.said()}, so progress cannot be checked. "
        "Operators: check DRS_AUTH_TOKEN, IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN or "
        "HUAWEICLOUD_SDK_AK/SK, and DRS_PROJECT_ID, then restart the bot; this watch "
        "carries on by itself."
    )


_TEXT: dict[ReplyKind, Callable[[_Reply], str]] = {
    ReplyKind.PHASE: _phase,
    ReplyKind.PROGRESS: _progress,
    ReplyKind.SUCCEEDED: _succeeded,
    ReplyKind.FAILED: _failed,
    ReplyKind.NOT_FOUND: _not_found,
    ReplyKind.STALLED: _stalled,
    ReplyKind.EXPIRED: _expired,
    ReplyKind.UNREACHABLE: _unreachable,
    ReplyKind.REACHABLE_AGAIN: _reachable_again,
    ReplyKind.CREDENTIALS: _credentials,
}
# Detail a push cannot show, in sections after the text.
_DETAIL: dict[ReplyKind, Callable[[_Reply], str]] = {ReplyKind.FAILED: _failed_next_step}


def render_reply(
    kind: ReplyKind,
    *,
    job_id: str,
    progress: Progress | None,
    facts: WatchFacts,
    now: datetime,
    config: ReplySettings,
    error_message: str | None = None,
    project_id: str | None = None,
    first_seen_at: datetime | None = None,
    failures: int | None = None,
    job_name: str | None = None,
) -> Message:
    """The reply for `kind`; `text` stands alone, blocks add the detail a push cannot show."""
    started = first_seen_at or facts.created_at
    end = progress.observed_at if progress is not None else now
    reply = _Reply(
        job_id=job_id,
        head=jobs.head(job_id, job_name),
        who=mentions((facts.requested_by, *facts.joined_by)),
        state=describe_state(progress),
        rows=format_rows(progress.parsed_success_number if progress else None),
        took=format_duration(end - started),
        settings=config,
        error_message=error_message,
        project_id=project_id,
        failures=failures,
        progress=progress,
    )
    text = _TEXT[kind](reply)
    detail = [_DETAIL[kind](reply)] if kind in _DETAIL else []
    return Message(text=text, blocks=[plain_section(t) for t in (text, *detail)])


def render_observed(
    kind: ReplyKind,
    *,
    job_id: str,
    obs: Observation,
    facts: WatchFacts,
    now: datetime,
    config: ReplySettings,
    project_id: str | None = None,
    job_name: str | None = None,
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
        job_name=job_name,
    )
