"""The update policy: what to send to one watch now, as a pure function of data (no I/O).

The sweep polls a job once, builds an `Observation`, and for each watch of that job calls
`decide(told, observation, facts, now, config)`. The `Decision` lists deliveries in order;
the sweep performs them one by one and records `action.told_after` after each one Slack
accepted, so a crash repeats at most one delivery and never skips one. `told.final` means
the watch has said its last word: `decide` then returns no actions, only the end state.
The watch's data live in `bot.domain`, the policy's own types in `bot.watcher.state`;
both are re-exported here.

Precedence, first match wins:
1. `told.final`: nothing more, ever.
2. A finished progress (this poll's, or the last good one) ends the watch: card edit,
   final SUCCEEDED/FAILED reply (broadcast per config), reaction on the card.
3. NOT_FOUND: card edit, final NOT_FOUND reply.
4. `now >= expires_at`: card edit, final EXPIRED reply.
5. Otherwise keep watching: card edit when phase, rows, shown status or note differ from
   what the card shows; REACHABLE_AGAIN after an UNREACHABLE or CREDENTIALS notice once an OK
   arrives; PHASE reply when the phase differs from the one the thread last heard of; at most
   one PROGRESS reply per `progress_reply_minutes` while rows rise; one STALLED reply after
   `stall_minutes` without change (allowed again once it moves); one UNREACHABLE reply after
   `failure_notice_after` consecutive failures; one CREDENTIALS reply while credentials are
   refused.

Bookkeeping that needs no delivery (the first phase the card announced, a stall that ended)
rides on the first action's `told_after`; with no action at all it is in `Decision.told`
only, so the sweep should record `decision.told` whenever it differs from the input.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.domain.progress import Phase, Progress
from bot.domain.watching import (
    CARD_STATES,
    END_STATES,
    WATCHING,
    Observation,
    Outcome,
    ReplyKind,
    Told,
    WatchFacts,
    initial_told,
)
from bot.watcher.state import Action, Decision, PolicyConfig

__all__ = [
    "CARD_STATES",
    "END_STATES",
    "WATCHING",
    "Action",
    "Decision",
    "Observation",
    "Outcome",
    "PolicyConfig",
    "ReplyKind",
    "Told",
    "WatchFacts",
    "decide",
    "initial_told",
]


# Card notes: short lines under the card saying why it is not moving.
def note_unreachable() -> str:
    return "DRS is not answering; still trying."


def note_credentials() -> str:
    return "DRS refused the bot's credentials; an operator must fix them."


def note_stalled(minutes: float) -> str:
    return f"No change for {minutes:g} min."


def note_not_found() -> str:
    return "DRS no longer knows this job; stopped watching."


def note_expired(hours: float) -> str:
    return f"Stopped watching after {hours:g} h."


class _Plan:
    """Accumulates actions, each carrying the told state after it."""

    def __init__(self, told: Told, silent: Told) -> None:
        self.told = told
        self.silent = silent  # `told` plus bookkeeping that rides on the first action
        self.actions: list[Action] = []

    def add(self, kind: Literal["card", "reply", "reaction"], **kwargs: Any) -> None:
        changes = kwargs.pop("changes", {})
        base = self.silent if not self.actions else self.told
        self.told = replace(base, **changes)
        self.actions.append(Action(kind=kind, told_after=self.told, **kwargs))

    def decision(self, end_state: str | None) -> Decision:
        told = self.told if self.actions else self.silent
        return Decision(tuple(self.actions), end_state, told)


def _card_changes(progress: Progress | None, state: str, note: str | None) -> dict[str, Any]:
    if progress is None:
        return {"card_state": state, "card_note": note}
    return {
        "card_phase": progress.phase,
        "card_rows": progress.parsed_success_number,
        "card_status": progress.process_status,
        "card_state": state,
        "card_note": note,
    }


def _card_differs(told: Told, changes: dict[str, Any]) -> bool:
    return any(getattr(told, k) != v for k, v in changes.items())


def _rows_only_too_soon(
    told: Told, changes: dict[str, Any], now: datetime, config: PolicyConfig
) -> bool:
    """Only the row count moved, and the card was edited less than card_refresh_seconds ago."""
    differing = {k for k, v in changes.items() if getattr(told, k) != v}
    if differing != {"card_rows"} or told.card_at is None:
        return False
    return (now - told.card_at).total_seconds() < config.card_refresh_seconds


def _finish(
    plan: _Plan,
    *,
    now: datetime,
    progress: Progress | None,
    end: str,
    reply: ReplyKind,
    note: str | None,
    facts: WatchFacts,
    config: PolicyConfig,
) -> Decision:
    told = plan.told
    card = _card_changes(progress, end, note)
    if facts.has_card and _card_differs(told, card):
        plan.add("card", card_state=end, card_note=note, changes={**card, "card_at": now})
    reaction = {"succeeded": "white_check_mark", "failed": "x"}.get(end)
    done: dict[str, Any] = {"final": True, "end_state": end}
    react = reaction is not None and facts.has_card
    if reply in (ReplyKind.SUCCEEDED, ReplyKind.FAILED):
        assert progress is not None  # only finished progresses lead here
        # thread_phase records the final reply, so a crash before the reaction does not repeat it
        if told.thread_phase != progress.phase:
            changes: dict[str, Any] = {"thread_phase": progress.phase}
            if not react:
                changes |= done
            plan.add("reply", reply=reply, broadcast=config.final_broadcast, changes=changes)
        if react:
            plan.add("reaction", reaction=reaction, changes=done)
        elif not plan.told.final:
            plan.told = replace(plan.told, **done)
            plan.silent = replace(plan.silent, **done)
    else:
        plan.add("reply", reply=reply, changes=done)
    return plan.decision(end)


def _minutes_since(now: datetime, then: datetime) -> float:
    return (now - then) / timedelta(minutes=1)


def decide(
    told: Told, obs: Observation, facts: WatchFacts, now: datetime, config: PolicyConfig
) -> Decision:
    """What to deliver to one watch now; see the module docstring for the rules."""
    if told.final:
        return Decision((), told.end_state or "expired", told)
    progress = obs.progress
    plan = _Plan(told, told)

    if progress is not None and progress.finished:
        end = progress.phase.value
        kind = ReplyKind.SUCCEEDED if end == "succeeded" else ReplyKind.FAILED
        return _finish(
            plan,
            now=now,
            progress=progress,
            end=end,
            reply=kind,
            note=None,
            facts=facts,
            config=config,
        )
    if obs.outcome is Outcome.NOT_FOUND:
        return _finish(
            plan,
            now=now,
            progress=None,
            end="not_found",
            reply=ReplyKind.NOT_FOUND,
            note=note_not_found(),
            facts=facts,
            config=config,
        )
    if now >= facts.expires_at:
        return _finish(
            plan,
            now=now,
            progress=None,
            end="expired",
            reply=ReplyKind.EXPIRED,
            note=note_expired(config.watch_max_hours),
            facts=facts,
            config=config,
        )
    return _keep_watching(plan, obs, facts, now, config)


def _keep_watching(
    plan: _Plan, obs: Observation, facts: WatchFacts, now: datetime, config: PolicyConfig
) -> Decision:
    told = plan.told
    progress = obs.progress
    ok = obs.outcome is Outcome.OK and progress is not None

    stalled = False
    if ok:
        assert progress is not None
        since = obs.last_change_at or obs.first_seen_at or facts.created_at
        stalled = _minutes_since(now, since) >= config.stall_minutes
        if not stalled and told.stall_warned:
            plan.silent = replace(plan.silent, stall_warned=False)  # it moved: warn again later
        if plan.silent.thread_phase is None:
            # Nothing was known when the card was posted: the card announces the first phase.
            plan.silent = replace(plan.silent, thread_phase=progress.phase)
    unreachable = (
        obs.outcome is Outcome.UNAVAILABLE
        and obs.consecutive_failures >= config.failure_notice_after
    )
    credentials = obs.outcome is Outcome.CREDENTIALS

    if credentials:
        note: str | None = note_credentials()
    elif unreachable or (obs.outcome is Outcome.UNAVAILABLE and told.unreachable_noticed):
        note = note_unreachable()
    elif not ok:
        note = told.card_note  # a failure below the notice threshold: leave the card alone
    elif stalled:
        note = note_stalled(config.stall_minutes)
    else:
        note = None
    card = _card_changes(progress if ok else None, WATCHING, note)
    if (
        facts.has_card
        and _card_differs(told, card)
        and not _rows_only_too_soon(told, card, now, config)
    ):
        plan.add("card", card_state=WATCHING, card_note=note, changes={**card, "card_at": now})

    if ok:
        assert progress is not None
        if told.unreachable_noticed or told.credentials_noticed:
            plan.add(
                "reply",
                reply=ReplyKind.REACHABLE_AGAIN,
                changes={"unreachable_noticed": False, "credentials_noticed": False},
            )
        rows = progress.parsed_success_number
        phase = progress.phase
        if plan.told.thread_phase != phase:
            plan.add(
                "reply",
                reply=ReplyKind.PHASE,
                changes={
                    "thread_phase": phase,
                    "progress_reply_at": now,
                    "progress_reply_rows": rows,
                },
            )
        elif phase is Phase.PARSING and rows is not None:
            base_rows = told.progress_reply_rows or 0
            base_at = told.progress_reply_at or facts.created_at
            if rows > base_rows and _minutes_since(now, base_at) >= config.progress_reply_minutes:
                plan.add(
                    "reply",
                    reply=ReplyKind.PROGRESS,
                    changes={"progress_reply_at": now, "progress_reply_rows": rows},
                )
        if stalled and not told.stall_warned:
            plan.add("reply", reply=ReplyKind.STALLED, changes={"stall_warned": True})
    elif credentials and not told.credentials_noticed:
        plan.add("reply", reply=ReplyKind.CREDENTIALS, changes={"credentials_noticed": True})
    elif unreachable and not told.unreachable_noticed:
        plan.add("reply", reply=ReplyKind.UNREACHABLE, changes={"unreachable_noticed": True})
    return plan.decision(None)
