"""The update policy as tables: given what a watch was told and what was observed, what is sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.domain.progress import Phase, Progress
from bot.domain.states import CardState, EndState
from bot.domain.watching import (
    Note,
    Observation,
    Outcome,
    ReplyKind,
    Told,
    WatchFacts,
    initial_told,
)
from bot.watcher.policy import decide
from bot.watcher.state import ActionKind, Decision, PolicyConfig

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CONFIG = PolicyConfig()
FACTS = WatchFacts(
    created_at=T0,
    expires_at=T0 + timedelta(hours=24),
    requested_by="U123",
    joined_by=("U456",),
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def prog(send: bool | None, status: str | None = None, rows: int | None = None, m: float = 0):
    return Progress(
        job_id=JOB,
        send_success=send,
        process_status=status,
        parsed_success_number=rows,
        parsed_success_raw=None if rows is None else str(rows),
        observed_at=at(m),
    )


UPLOADING = prog(False)
PARSING_100 = prog(True, None, 100)
PARSING_500 = prog(True, None, 500)
PENDING_500 = prog(True, "pending", 500)
SUCCESS = prog(True, "success", 12340)
FAILED = prog(True, "failed", 40)


def ok(progress: Progress, *, changed: float = 0, failures: int = 0) -> Observation:
    return Observation(Outcome.OK, progress, failures, last_change_at=at(changed), first_seen_at=T0)


def failed(outcome: Outcome, progress: Progress | None, failures: int) -> Observation:
    return Observation(outcome, progress, failures, at(0), T0, error_message="boom")


def told_parsing(rows: int = 100, **kw: Any) -> Told:
    base = replace(initial_told(prog(True, None, rows)), progress_reply_at=at(0))
    return replace(base, **kw)


def summary(decision: Decision) -> list[str]:
    """`card:watching`, `reply:phase`, `reply:succeeded+broadcast`, `reaction:x`."""
    out = []
    for a in decision.actions:
        if a.kind is ActionKind.CARD:
            out.append(f"card:{a.card_state}")
        elif a.kind is ActionKind.REPLY:
            assert a.reply is not None
            out.append(f"reply:{a.reply.value}" + ("+broadcast" if a.broadcast else ""))
        else:
            out.append(f"reaction:{a.reaction}")
    return out


@dataclass
class Case:
    told: Told
    obs: Observation
    now: float  # minutes after T0
    expect: list[str]
    end: str | None = None
    facts: WatchFacts = FACTS
    config: PolicyConfig = field(default_factory=PolicyConfig)


CASES: dict[str, Case] = {
    # -- nothing changed: nothing sent
    "same parsing rows: nothing": Case(told_parsing(100), ok(PARSING_100), 5, []),
    "same uploading: nothing": Case(initial_told(UPLOADING), ok(UPLOADING), 5, []),
    # -- card edits and phase replies
    "rows rise early: card only": Case(
        told_parsing(100), ok(PARSING_500, changed=5), 5, ["card:watching"]
    ),
    "shown status changes: card only": Case(
        told_parsing(500), ok(PENDING_500, changed=5), 5, ["card:watching"]
    ),
    "uploading -> parsing: card + phase": Case(
        initial_told(UPLOADING), ok(PARSING_100, changed=3), 3, ["card:watching", "reply:phase"]
    ),
    "parsing -> uploading again: card + phase": Case(
        told_parsing(100), ok(UPLOADING, changed=3), 3, ["card:watching", "reply:phase"]
    ),
    "card posted blind, first progress: card announces phase": Case(
        initial_told(None), ok(PARSING_100), 1, ["card:watching"]
    ),
    "no card, first progress: phase reply": Case(
        initial_told(None),
        ok(PARSING_100),
        1,
        ["reply:phase"],
        facts=replace(FACTS, has_card=False),
    ),
    # -- progress replies
    "rows rise after 10 min: card + progress": Case(
        told_parsing(100), ok(PARSING_500, changed=10), 10, ["card:watching", "reply:progress"]
    ),
    "rows same after 10 min: nothing": Case(told_parsing(100), ok(PARSING_100, changed=0), 10, []),
    "card already shows rows, window open: progress only": Case(
        told_parsing(100, card_rows=500), ok(PARSING_500, changed=9), 11, ["reply:progress"]
    ),
    "progress window counts from last progress reply": Case(
        told_parsing(100, card_rows=500, progress_reply_at=at(5)),
        ok(PARSING_500, changed=9),
        14,
        [],
    ),
    "progress_reply_minutes=0: every rise": Case(
        told_parsing(100),
        ok(PARSING_500, changed=1),
        1,
        ["card:watching", "reply:progress"],
        config=PolicyConfig(progress_reply_minutes=0),
    ),
    # -- success / failure
    "succeeded: card, broadcast reply, check mark": Case(
        told_parsing(500),
        ok(SUCCESS, changed=14),
        14,
        ["card:succeeded", "reply:succeeded+broadcast", "reaction:white_check_mark"],
        "succeeded",
    ),
    "succeeded, FINAL_BROADCAST=0: reply in thread only": Case(
        told_parsing(500),
        ok(SUCCESS, changed=14),
        14,
        ["card:succeeded", "reply:succeeded", "reaction:white_check_mark"],
        "succeeded",
        config=PolicyConfig(final_broadcast=False),
    ),
    "failed: card, broadcast reply, x": Case(
        told_parsing(40),
        ok(FAILED, changed=14),
        14,
        ["card:failed", "reply:failed+broadcast", "reaction:x"],
        "failed",
    ),
    "finished straight from uploading (never saw parsing)": Case(
        initial_told(UPLOADING),
        ok(SUCCESS, changed=2),
        2,
        ["card:succeeded", "reply:succeeded+broadcast", "reaction:white_check_mark"],
        "succeeded",
    ),
    "finished seen first time even after expiry": Case(
        told_parsing(500),
        ok(SUCCESS, changed=2000),
        2000,
        ["card:succeeded", "reply:succeeded+broadcast", "reaction:white_check_mark"],
        "succeeded",
    ),
    "finished last-good progress during an outage still ends": Case(
        told_parsing(500),
        failed(Outcome.UNAVAILABLE, SUCCESS, 1),
        20,
        ["card:succeeded", "reply:succeeded+broadcast", "reaction:white_check_mark"],
        "succeeded",
    ),
    "no card: final reply only": Case(
        told_parsing(500),
        ok(SUCCESS, changed=14),
        14,
        ["reply:succeeded+broadcast"],
        "succeeded",
        facts=replace(FACTS, has_card=False),
    ),
    "crash after card edit: reply + reaction, no second edit": Case(
        replace(
            told_parsing(500),
            card_state=CardState.SUCCEEDED,
            card_phase=Phase.SUCCEEDED,
            card_rows=12340,
            card_status="success",
        ),
        ok(SUCCESS, changed=14),
        15,
        ["reply:succeeded+broadcast", "reaction:white_check_mark"],
        "succeeded",
    ),
    "crash after final reply: reaction only": Case(
        replace(
            told_parsing(500),
            card_state=CardState.SUCCEEDED,
            card_phase=Phase.SUCCEEDED,
            card_rows=12340,
            card_status="success",
            thread_phase=Phase.SUCCEEDED,
        ),
        ok(SUCCESS, changed=14),
        15,
        ["reaction:white_check_mark"],
        "succeeded",
    ),
    "told.final: nothing ever again": Case(
        replace(told_parsing(500), final=True, end_state=EndState.SUCCEEDED),
        ok(SUCCESS),
        20,
        [],
        "succeeded",
    ),
    "told.final beats not found and expiry": Case(
        replace(told_parsing(500), final=True, end_state=EndState.FAILED),
        failed(Outcome.NOT_FOUND, None, 1),
        3000,
        [],
        "failed",
    ),
    # -- not found
    "not found: card + final reply": Case(
        told_parsing(500),
        failed(Outcome.NOT_FOUND, PARSING_500, 1),
        20,
        ["card:not_found", "reply:not_found"],
        "not_found",
    ),
    "not found, no card: final reply": Case(
        told_parsing(500),
        failed(Outcome.NOT_FOUND, PARSING_500, 1),
        20,
        ["reply:not_found"],
        "not_found",
        facts=replace(FACTS, has_card=False),
    ),
    # -- expiry
    "expired: card + final reply": Case(
        told_parsing(500),
        ok(PARSING_500, changed=1400),
        24 * 60,
        ["card:expired", "reply:expired"],
        "expired",
    ),
    "expired during an outage": Case(
        told_parsing(500),
        failed(Outcome.UNAVAILABLE, PARSING_500, 2),
        24 * 60 + 1,
        ["card:expired", "reply:expired"],
        "expired",
    ),
    "one minute before expiry: still watching": Case(
        told_parsing(100),
        ok(PARSING_100, changed=1430),
        24 * 60 - 1,
        [],
    ),
    # -- stall
    "no change for 30 min: card note + stalled": Case(
        told_parsing(100), ok(PARSING_100, changed=0), 30, ["card:watching", "reply:stalled"]
    ),
    "no change for 29 min: nothing": Case(told_parsing(100), ok(PARSING_100, changed=0), 29, []),
    "stall already warned: quiet": Case(
        told_parsing(100, stall_warned=True, card_note=Note.STALLED),
        ok(PARSING_100, changed=0),
        90,
        [],
    ),
    "stall without a change time falls back to first seen": Case(
        told_parsing(100),
        Observation(Outcome.OK, PARSING_100, 0, None, T0),
        31,
        ["card:watching", "reply:stalled"],
    ),
    "stall counted in uploading too": Case(
        initial_told(UPLOADING), ok(UPLOADING), 45, ["card:watching", "reply:stalled"]
    ),
    # -- DRS unavailable
    "4 failures: nothing": Case(
        told_parsing(100), failed(Outcome.UNAVAILABLE, PARSING_100, 4), 5, []
    ),
    "5 failures: card note + unreachable": Case(
        told_parsing(100),
        failed(Outcome.UNAVAILABLE, PARSING_100, 5),
        5,
        ["card:watching", "reply:unreachable"],
    ),
    "unreachable noticed, still failing: quiet": Case(
        told_parsing(100, unreachable_noticed=True, card_note=Note.UNREACHABLE),
        failed(Outcome.UNAVAILABLE, PARSING_100, 40),
        50,
        [],
    ),
    "unreachable noticed, ok again: card + reachable again": Case(
        told_parsing(100, unreachable_noticed=True, card_note=Note.UNREACHABLE),
        ok(PARSING_100, changed=0),
        20,
        ["card:watching", "reply:reachable_again"],
    ),
    "ok again with rows risen after the window: reachable + progress": Case(
        told_parsing(100, unreachable_noticed=True, card_note=Note.UNREACHABLE),
        ok(PARSING_500, changed=20),
        20,
        ["card:watching", "reply:reachable_again", "reply:progress"],
    ),
    "outage never noticed, ok again: nothing": Case(
        told_parsing(100), ok(PARSING_100, changed=0, failures=0), 20, []
    ),
    "failures never seen progress: notice without a card row change": Case(
        initial_told(None),
        failed(Outcome.UNAVAILABLE, None, 5),
        3,
        ["card:watching", "reply:unreachable"],
    ),
    # -- credentials
    "credentials refused: card note + one reply": Case(
        told_parsing(100),
        failed(Outcome.CREDENTIALS, PARSING_100, 1),
        3,
        ["card:watching", "reply:credentials"],
    ),
    "credentials refused again: quiet": Case(
        told_parsing(100, credentials_noticed=True, card_note=Note.CREDENTIALS),
        failed(Outcome.CREDENTIALS, PARSING_100, 9),
        30,
        [],
    ),
    "credentials fixed: card + reachable again": Case(
        told_parsing(100, credentials_noticed=True, card_note=Note.CREDENTIALS),
        ok(PARSING_100, changed=0),
        20,
        ["card:watching", "reply:reachable_again"],
    ),
    "credentials then outage: unreachable notice too": Case(
        told_parsing(100, credentials_noticed=True, card_note=Note.CREDENTIALS),
        failed(Outcome.UNAVAILABLE, PARSING_100, 5),
        20,
        ["card:watching", "reply:unreachable"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_policy_table(case: Case) -> None:
    decision = decide(case.told, case.obs, case.facts, at(case.now), case.config)
    assert summary(decision) == case.expect
    assert decision.end_state == case.end
    if decision.actions:
        assert decision.told == decision.actions[-1].told_after
    # Recording what was told makes the same observation quiet: no repeated message.
    again = decide(decision.told, case.obs, case.facts, at(case.now), case.config)
    assert again.actions == ()
    assert again.end_state == case.end
    if case.end is not None:
        assert decision.told.final


def test_final_flag_is_set_only_by_the_last_action() -> None:
    decision = decide(told_parsing(500), ok(SUCCESS, changed=14), FACTS, at(14), CONFIG)
    assert [a.told_after.final for a in decision.actions] == [False, False, True]
    assert decision.told.end_state == "succeeded"


def test_a_crash_after_any_action_repeats_nothing_already_recorded() -> None:
    decision = decide(told_parsing(500), ok(SUCCESS, changed=14), FACTS, at(14), CONFIG)
    for i, action in enumerate(decision.actions):
        resumed = decide(action.told_after, ok(SUCCESS, changed=14), FACTS, at(15), CONFIG)
        assert resumed.actions == decision.actions[i + 1 :]


def test_card_action_carries_the_new_state_and_note() -> None:
    decision = decide(told_parsing(100), ok(PARSING_100), FACTS, at(30), CONFIG)
    card = decision.actions[0]
    assert card.card_note == Note.STALLED
    assert card.told_after.card_note == Note.STALLED
    assert card.told_after.card_rows == 100


def test_stall_warned_again_after_the_job_moved() -> None:
    told = told_parsing(100, stall_warned=True, card_note=Note.STALLED)
    moved = decide(told, ok(PARSING_500, changed=40), FACTS, at(41), CONFIG)
    assert summary(moved) == ["card:watching", "reply:progress"]
    assert moved.told.stall_warned is False and moved.told.card_note is None
    quiet_again = decide(moved.told, ok(PARSING_500, changed=40), FACTS, at(70), CONFIG)
    assert summary(quiet_again) == ["card:watching", "reply:stalled"]


def test_stall_reset_without_any_delivery_is_in_decision_told() -> None:
    told = told_parsing(100, stall_warned=True)  # card note already cleared
    decision = decide(told, ok(PARSING_100, changed=20), FACTS, at(21), CONFIG)
    assert decision.actions == ()
    assert decision.told.stall_warned is False


def test_phase_reply_resets_the_progress_window() -> None:
    decision = decide(initial_told(UPLOADING), ok(PARSING_100, changed=3), FACTS, at(3), CONFIG)
    assert decision.told.thread_phase is Phase.PARSING
    assert decision.told.progress_reply_at == at(3)
    assert decision.told.progress_reply_rows == 100
    later = decide(decision.told, ok(PARSING_500, changed=12), FACTS, at(12), CONFIG)
    assert summary(later) == ["card:watching"]  # only 9 min since the phase reply
    later = decide(later.told, ok(PARSING_500, changed=12), FACTS, at(13), CONFIG)
    assert summary(later) == ["reply:progress"]


def test_a_whole_watch_sends_few_messages() -> None:
    """Poll every minute for an hour of a rising parse: replies are rare, the end is once."""
    told = initial_told(UPLOADING)
    sent: list[str] = []
    rows = 0
    for minute in range(1, 61):
        progress = prog(True, None, rows, minute) if minute > 2 else prog(False, m=minute)
        if minute == 60:
            progress = prog(True, "success", rows, minute)
        decision = decide(told, ok(progress, changed=minute), FACTS, at(minute), CONFIG)
        sent += [s for s in summary(decision) if not s.startswith("card")]
        told = decision.told
        rows += 1000
    assert sent == [
        "reply:phase",  # minute 3
        "reply:progress",  # minute 13
        "reply:progress",
        "reply:progress",
        "reply:progress",
        "reply:progress",  # minute 53
        "reply:succeeded+broadcast",
        "reaction:white_check_mark",
    ]
    assert told.final


def test_initial_told_reflects_the_card() -> None:
    told = initial_told(PENDING_500)
    assert (told.card_phase, told.card_rows, told.card_status, told.card_state) == (
        Phase.PARSING,
        500,
        "pending",
        "watching",
    )
    assert told.thread_phase is Phase.PARSING
    assert initial_told(SUCCESS).card_state == "succeeded"
    blind = initial_told(None)
    assert blind.card_state == "watching" and blind.thread_phase is None


def test_told_round_trips_through_json_dicts() -> None:
    told = Told(
        card_phase=Phase.PARSING,
        card_rows=5,
        card_status="pending",
        card_note=Note.STALLED,
        card_state=CardState.WATCHING,
        thread_phase=Phase.UPLOADING,
        progress_reply_at=at(3),
        progress_reply_rows=4,
        stall_warned=True,
        unreachable_noticed=True,
        credentials_noticed=True,
        final=True,
        end_state=EndState.EXPIRED,
    )
    assert Told.from_dict(json.loads(json.dumps(told.to_dict()))) == told


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "x",
        {},
        {"future_key": 1, "card_rows": 5},
        {"card_phase": "exploded", "card_rows": "many", "progress_reply_at": "yesterday"},
        {"final": "yes", "stall_warned": 1, "card_state": "burning", "end_state": 3},
        {"card_rows": True, "progress_reply_rows": -4, "progress_reply_at": 12},
    ],
)
def test_told_from_bad_dicts_never_raises(data: Any) -> None:
    told = Told.from_dict(data)
    assert told.final is False and told.stall_warned is False
    assert told.card_phase is None and told.card_state is None and told.end_state is None
    assert told.card_rows in (None, 5)
    assert told.progress_reply_at is None


def test_config_from_settings() -> None:
    settings = load_settings(
        {
            "PROGRESS_REPLY_MINUTES": "3",
            "STALL_MINUTES": "45",
            "FAILURE_NOTICE_AFTER": "2",
            "FINAL_BROADCAST": "0",
            "WATCH_MAX_HOURS": "6",
            "SLACK_COMMAND": "/drs",
            "CARD_REFRESH_SECONDS": "15",
        }
    )
    assert PolicyConfig.from_settings(settings) == PolicyConfig(
        progress_reply_minutes=3,
        stall_minutes=45,
        failure_notice_after=2,
        final_broadcast=False,
        watch_max_hours=6,
        card_refresh_seconds=15,
        command="/drs",
    )
    assert ReplyKind("stalled") is ReplyKind.STALLED


_STEP = st.one_of(
    st.tuples(st.just(Outcome.OK), st.sampled_from([UPLOADING, PARSING_100, PARSING_500])),
    st.tuples(st.just(Outcome.OK), st.sampled_from([SUCCESS, FAILED])),
    st.tuples(st.sampled_from([Outcome.UNAVAILABLE, Outcome.CREDENTIALS]), st.none()),
    st.tuples(st.just(Outcome.NOT_FOUND), st.none()),
)


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(st.tuples(_STEP, st.integers(1, 120)), max_size=40),
    has_card=st.booleans(),
)
def test_any_run_ends_once_and_never_repeats_a_notice(
    steps: list[tuple[tuple[Outcome, Progress | None], int]], has_card: bool
) -> None:
    facts = replace(FACTS, has_card=has_card)
    told = initial_told(UPLOADING)
    last_good: Progress = UPLOADING
    failures = 0
    changed = now = 0.0
    sent: list[str] = []
    ends = 0
    for (outcome, progress), gap in steps:
        now += gap
        if outcome is Outcome.OK:
            assert progress is not None
            failures = 0
            if progress != last_good:
                changed = now
                last_good = progress
        else:
            failures += 1
        obs = Observation(outcome, last_good, failures, at(changed), T0)
        decision = decide(told, obs, facts, at(now), CONFIG)
        if told.final:
            assert decision.actions == ()
        sent += summary(decision)
        if decision.end_state is not None and not told.final:
            ends += 1
            assert decision.told.final
        told = decision.told
    finals = [s for s in sent if s.split(":")[1].split("+")[0] in set(EndState) and "reply" in s]
    assert len(finals) == ends <= 1
    # One-shot notices are never sent twice in a row without their reset in between.
    for notice, reset in (
        ("reply:unreachable", "reply:reachable_again"),
        ("reply:credentials", "reply:reachable_again"),
    ):
        pending = False
        for s in sent:
            if s == notice:
                assert not pending
                pending = True
            elif s == reset:
                pending = False


# ---- rows-only card edits are spaced by card_refresh_seconds ---------------------------


@pytest.mark.parametrize(
    ("seconds_since_edit", "observed", "edits"),
    [
        (10, PARSING_500, False),  # only rows moved, the card was edited 10 s ago: wait
        (61, PARSING_500, True),  # a minute on: show the new count
        (10, PENDING_500, True),  # the shown status changed: at once
        (10, SUCCESS, True),  # finished: at once
    ],
)
def test_rows_only_card_edits_are_spaced(
    seconds_since_edit: float, observed: Progress, edits: bool
) -> None:
    now = at(20)
    told = told_parsing(100, card_at=now - timedelta(seconds=seconds_since_edit))
    decision = decide(told, ok(observed, changed=20), FACTS, now, CONFIG)
    cards = [a for a in decision.actions if a.kind == "card"]
    assert bool(cards) is edits
    if edits:
        assert cards[0].told_after.card_at == now
    else:  # the count stays owed: the next poll after the pause shows it
        assert decision.told.card_rows == 100
        later = decide(
            decision.told, ok(observed, changed=20), FACTS, now + timedelta(seconds=61), CONFIG
        )
        assert [a.kind for a in later.actions][:1] == ["card"]


def test_a_new_card_remembers_when_it_was_posted() -> None:
    assert initial_told(PARSING_100, at(3)).card_at == at(3)
    assert initial_told(None, at(3)).card_at == at(3)
    assert Told.from_dict(initial_told(PARSING_100, at(3)).to_dict()).card_at == at(3)
