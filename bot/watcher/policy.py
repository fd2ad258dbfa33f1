"""The update policy: what to send to one watch now, as a pure function of data (no I/O).

The sweep polls a job once, builds an `Observation`, and for each watch of that job calls
`decide(told, observation, facts, now, config)`. The `Decision` lists deliveries in order;
the sweep performs them one by one and records `action.told_after` after each one Slack
accepted, so a crash repeats at most one delivery and never skips one. `told.final` means
the watch has said its last word: `decide` then returns no actions, only the end state.
The watch's data live in `bot.domain`, the policy's own types in `bot.watcher.state`.
Which note a card shows is decided here (a `Note`); `bot.render.notes` words it.

Precedence, first match wins:
1. `told.final`: nothing more, ever.
2. A finished progress (this poll's, or the last good one) ends the watch: card edit,
   final SUCCEEDED/FAILED reply (broadcast per config, by one watch per channel), reaction
   on the card.
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

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.progress import Phase, Progress
from bot.domain.states import CardState, EndState
from bot.domain.watching import Note, Observation, Outcome, ReplyKind, Told, WatchFacts
from bot.watcher.state import Action, ActionKind, Decision, PolicyConfig

_REACTIONS = {EndState.SUCCEEDED: "white_check_mark", EndState.FAILED: "x"}


class _Plan:
    """Accumulates actions, each carrying the told state after it."""

    def __init__(self, told: Told) -> None:
        self.told = told
        self.silent = told  # `told` plus bookkeeping that rides on the first action
        self.actions: list[Action] = []

    def add(
        self,
        kind: ActionKind,
        changes: dict[str, Any],
        *,
        reply: ReplyKind | None = None,
        broadcast: bool = False,
        reaction: str | None = None,
        card_state: CardState | None = None,
        card_note: Note | None = None,
    ) -> None:
        base = self.silent if not self.actions else self.told
        self.told = replace(base, **changes)
        action = Action(kind, self.told, reply, broadcast, reaction, card_state, card_note)
        self.actions.append(action)

    def note_silently(self, **changes: Any) -> None:
        """Bookkeeping that needs no delivery of its own."""
        self.silent = replace(self.silent, **changes)

    def decision(self, end_state: EndState | None) -> Decision:
        told = self.told if self.actions else self.silent
        return Decision(tuple(self.actions), end_state, told)


def _card_changes(progress: Progress | None, state: CardState, note: Note | None) -> dict[str, Any]:
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


def _edit_card(
    plan: _Plan, card: dict[str, Any], *, state: CardState, note: Note | None, now: datetime
) -> None:
    changes = {**card, "card_at": now}
    plan.add(ActionKind.CARD, changes, card_state=state, card_note=note)


@dataclass(frozen=True)
class _End:
    """How a watch ends: its state, its final reply, and what the card shows."""

    state: EndState
    reply: ReplyKind
    progress: Progress | None = None
    note: Note | None = None


def _finish(
    plan: _Plan, end: _End, *, now: datetime, facts: WatchFacts, config: PolicyConfig
) -> Decision:
    card = _card_changes(end.progress, end.state.card_state, end.note)
    if facts.has_card and _card_differs(plan.told, card):
        _edit_card(plan, card, state=end.state.card_state, note=end.note, now=now)
    done: dict[str, Any] = {"final": True, "end_state": end.state}
    if end.progress is None:
        plan.add(ActionKind.REPLY, done, reply=end.reply)
    else:
        broadcast = config.final_broadcast and facts.broadcasts_final
        _final_reply_and_reaction(plan, end, done, has_card=facts.has_card, broadcast=broadcast)
    return plan.decision(end.state)


def _final_reply_and_reaction(
    plan: _Plan, end: _End, done: dict[str, Any], *, has_card: bool, broadcast: bool
) -> None:
    """The SUCCEEDED/FAILED reply and the card's reaction; the last one delivered sets `final`."""
    assert end.progress is not None
    reaction = _REACTIONS.get(end.state) if has_card else None
    # thread_phase records the final reply, so a crash before the reaction does not repeat it
    if plan.told.thread_phase != end.progress.phase:
        changes: dict[str, Any] = {"thread_phase": end.progress.phase}
        if reaction is None:
            changes |= done
        plan.add(ActionKind.REPLY, changes, reply=end.reply, broadcast=broadcast)
    if reaction is not None:
        plan.add(ActionKind.REACTION, done, reaction=reaction)
    elif not plan.told.final:
        plan.told = replace(plan.told, **done)
        plan.note_silently(**done)


def _minutes_since(now: datetime, then: datetime) -> float:
    return (now - then) / timedelta(minutes=1)


def _ending(obs: Observation, facts: WatchFacts, now: datetime) -> _End | None:
    """How this observation ends the watch (rules 2 to 4), or None to keep watching."""
    progress = obs.progress
    if progress is not None and progress.finished:
        if progress.phase is Phase.SUCCEEDED:
            return _End(EndState.SUCCEEDED, ReplyKind.SUCCEEDED, progress)
        return _End(EndState.FAILED, ReplyKind.FAILED, progress)
    if obs.outcome is Outcome.NOT_FOUND:
        return _End(EndState.NOT_FOUND, ReplyKind.NOT_FOUND, note=Note.NOT_FOUND)
    if now >= facts.expires_at:
        return _End(EndState.EXPIRED, ReplyKind.EXPIRED, note=Note.EXPIRED)
    return None


def decide(
    told: Told, obs: Observation, facts: WatchFacts, now: datetime, config: PolicyConfig
) -> Decision:
    """What to deliver to one watch now; see the module docstring for the rules."""
    if told.final:
        return Decision((), told.end_state or EndState.EXPIRED, told)
    plan = _Plan(told)
    end = _ending(obs, facts, now)
    if end is not None:
        return _finish(plan, end, now=now, facts=facts, config=config)
    return _keep_watching(plan, obs, facts, now, config)


def _is_stalled(
    plan: _Plan,
    progress: Progress,
    obs: Observation,
    facts: WatchFacts,
    now: datetime,
    config: PolicyConfig,
) -> bool:
    """Whether the job has not moved for `stall_minutes`; keeps the silent bookkeeping."""
    since = obs.last_change_at or obs.first_seen_at or facts.created_at
    stalled = _minutes_since(now, since) >= config.stall_minutes
    if not stalled and plan.told.stall_warned:
        plan.note_silently(stall_warned=False)  # it moved: warn again later
    if plan.silent.thread_phase is None:
        # Nothing was known when the card was posted: the card announces the first phase.
        plan.note_silently(thread_phase=progress.phase)
    return stalled


def _note(told: Told, obs: Observation, *, stalled: bool, unreachable: bool) -> Note | None:
    """The note the card should show now."""
    if obs.outcome is Outcome.CREDENTIALS:
        return Note.CREDENTIALS
    if unreachable or (obs.outcome is Outcome.UNAVAILABLE and told.unreachable_noticed):
        return Note.UNREACHABLE
    if obs.outcome is not Outcome.OK or obs.progress is None:
        return told.card_note  # a failure below the notice threshold: leave the card alone
    return Note.STALLED if stalled else None


def _keep_watching(
    plan: _Plan, obs: Observation, facts: WatchFacts, now: datetime, config: PolicyConfig
) -> Decision:
    """Rule 5: the card edit, then the replies this observation calls for."""
    told = plan.told
    progress = obs.progress if obs.outcome is Outcome.OK else None
    stalled = progress is not None and _is_stalled(plan, progress, obs, facts, now, config)
    unreachable = (
        obs.outcome is Outcome.UNAVAILABLE
        and obs.consecutive_failures >= config.failure_notice_after
    )
    note = _note(told, obs, stalled=stalled, unreachable=unreachable)
    card = _card_changes(progress, CardState.WATCHING, note)
    if (
        facts.has_card
        and _card_differs(told, card)
        and not _rows_only_too_soon(told, card, now, config)
    ):
        _edit_card(plan, card, state=CardState.WATCHING, note=note, now=now)

    if progress is not None:
        _progress_replies(
            plan, told, progress, stalled=stalled, facts=facts, now=now, config=config
        )
    elif obs.outcome is Outcome.CREDENTIALS and not told.credentials_noticed:
        plan.add(ActionKind.REPLY, {"credentials_noticed": True}, reply=ReplyKind.CREDENTIALS)
    elif unreachable and not told.unreachable_noticed:
        plan.add(ActionKind.REPLY, {"unreachable_noticed": True}, reply=ReplyKind.UNREACHABLE)
    return plan.decision(None)


def _progress_replies(
    plan: _Plan,
    told: Told,
    progress: Progress,
    *,
    stalled: bool,
    facts: WatchFacts,
    now: datetime,
    config: PolicyConfig,
) -> None:
    """Replies after a good poll: reachable again, a new phase or more rows, a stall."""
    if told.unreachable_noticed or told.credentials_noticed:
        again = {"unreachable_noticed": False, "credentials_noticed": False}
        plan.add(ActionKind.REPLY, again, reply=ReplyKind.REACHABLE_AGAIN)
    rows = progress.parsed_success_number
    if plan.told.thread_phase != progress.phase:
        changes: dict[str, Any] = {"thread_phase": progress.phase, "progress_reply_at": now}
        plan.add(ActionKind.REPLY, {**changes, "progress_reply_rows": rows}, reply=ReplyKind.PHASE)
    elif progress.phase is Phase.PARSING and rows is not None:
        base_rows = told.progress_reply_rows or 0
        base_at = told.progress_reply_at or facts.created_at
        if rows > base_rows and _minutes_since(now, base_at) >= config.progress_reply_minutes:
            changes = {"progress_reply_at": now, "progress_reply_rows": rows}
            plan.add(ActionKind.REPLY, changes, reply=ReplyKind.PROGRESS)
    if stalled and not told.stall_warned:
        plan.add(ActionKind.REPLY, {"stall_warned": True}, reply=ReplyKind.STALLED)
