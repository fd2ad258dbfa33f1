"""The watcher's thread replies: a `text` that reads alone in a phone push, plus mrkdwn blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.commands import Language
from bot.domain.progress import Phase, Progress
from bot.domain.watching import Observation, ReplyKind, WatchFacts
from bot.render import jobs
from bot.render.blocks import plain_section
from bot.render.catalog import t
from bot.render.message import Message
from bot.render.text import EN, drs_text, format_duration, format_rows, mentions, phase_word


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
    lang: Language = EN

    def say(self, key: str, **values: object) -> str:
        """The sentence `key` (its `.said` form when DRS gave words), with the common values."""
        if self.error_message:
            key, values = f"{key}.said", {**values, "said": drs_text(self.error_message)}
        return t(self.lang, key, head=self.head, state=self.state, **values)


def describe_state(progress: Progress | None, *, lang: Language = EN) -> str:
    """`parsing, 12,340 rows`; an unknown parse status is shown verbatim."""
    if progress is None:
        return t(lang, "reply.state.none")
    phase = progress.phase
    if phase is Phase.UPLOADING:
        return t(lang, "reply.state.uploading")
    status = (progress.process_status or "").strip()
    rows = format_rows(progress.parsed_success_number, lang=lang)
    if phase is Phase.PARSING and status:
        return t(lang, "reply.state.parsing_status", status=drs_text(status), rows=rows)
    return t(lang, "reply.state.phase", phase=phase_word(phase, lang=lang), rows=rows)


def _with(r: _Reply, text: str) -> str:
    return t(r.lang, "reply.with_who", text=text, who=r.who) if r.who else text


def _phase(r: _Reply) -> str:
    if r.progress is not None and r.progress.phase is Phase.PARSING:
        return t(r.lang, "reply.phase.parsing", head=r.head, state=r.state)
    return t(r.lang, "reply.phase", head=r.head, state=r.state)


def _progress(r: _Reply) -> str:
    return t(r.lang, "reply.progress", head=r.head, state=r.state)


def _succeeded(r: _Reply) -> str:
    return _with(r, t(r.lang, "reply.succeeded", head=r.head, rows=r.rows, took=r.took))


def _failed(r: _Reply) -> str:
    return _with(r, t(r.lang, "reply.failed", head=r.head, rows=r.rows, took=r.took))


def _failed_next_step(r: _Reply) -> str:
    project = r.project_id or "{project_id}"
    return t(r.lang, "reply.failed.next", project=project, job_id=r.job_id, cmd=r.settings.command)


def _not_found(r: _Reply) -> str:
    return _with(r, r.say("reply.not_found"))


def _stalled(r: _Reply) -> str:
    quiet = format_duration(timedelta(minutes=r.settings.stall_minutes), lang=r.lang)
    return t(r.lang, "reply.stalled", head=r.head, quiet=quiet, state=r.state)


def _expired(r: _Reply) -> str:
    hours = format_duration(timedelta(hours=r.settings.watch_max_hours), lang=r.lang)
    text = t(
        r.lang,
        "reply.expired",
        head=r.head,
        hours=hours,
        state=r.state,
        cmd=r.settings.command,
        job_id=r.job_id,
    )
    return _with(r, text)


def _unreachable(r: _Reply) -> str:
    if r.failures:
        return r.say("reply.unreachable.tries", failures=r.failures)
    return r.say("reply.unreachable")


def _reachable_again(r: _Reply) -> str:
    return t(r.lang, "reply.reachable_again", head=r.head, state=r.state)


def _credentials(r: _Reply) -> str:
    return r.say("reply.credentials")


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
    lang: Language = EN,
) -> Message:
    """The reply for `kind`; `text` stands alone, blocks add the detail a push cannot show."""
    started = first_seen_at or facts.created_at
    end = progress.observed_at if progress is not None else now
    reply = _Reply(
        job_id=job_id,
        head=jobs.head(job_id, job_name),
        who=mentions((facts.requested_by, *facts.joined_by)),
        state=describe_state(progress, lang=lang),
        rows=format_rows(progress.parsed_success_number if progress else None, lang=lang),
        took=format_duration(end - started, lang=lang),
        settings=config,
        error_message=error_message,
        project_id=project_id,
        failures=failures,
        progress=progress,
        lang=lang,
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
    lang: Language = EN,
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
        lang=lang,
    )
