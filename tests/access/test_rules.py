"""`decide` as a table: the first matching rule decides, none refuses, unknowns stay safe."""

from __future__ import annotations

import pytest

from bot.access.rules import (
    NO_RULE,
    AccessRequest,
    Action,
    Effect,
    Outcome,
    Policy,
    Rule,
    candidate_groups,
    decide,
)

F = frozenset
POLICY = Policy(
    (
        Rule(
            "no-watch-in-denied", Effect.DENY, channels=F({"C0DENIED"}), actions=F({Action.WATCH})
        ),
        Rule("ops-stop-all", Effect.ALLOW, usergroups=F({"S0OPS"}), actions=F({Action.STOP_ALL})),
        Rule("no-stop-all", Effect.DENY, actions=F({Action.STOP_ALL})),
        Rule("no-sg3", Effect.DENY, regions=F({"ap-southeast-3"}), actions=F({Action.WATCH})),
        Rule("grid-admins", Effect.ALLOW, teams=F({"E0GRID"}), users=F({"U0ADMIN"})),
        Rule("blocked-group", Effect.DENY, usergroups=F({"S0BLOCKED"})),
        Rule("prod-project", Effect.ALLOW, projects=F({"P0PROD"}), actions=F({Action.UPLOAD})),
        Rule(
            "everyone",
            Effect.ALLOW,
            teams=F({"T0A"}),
            actions=F({Action.WATCH, Action.STATUS, Action.LIST, Action.STOP}),
        ),
    )
)


def ask(action: Action, **kw: object) -> AccessRequest:
    base: dict[str, object] = {"team": "T0A", "channel": "C0OPEN", "user": "U0USER"}
    base.update(kw)
    return AccessRequest(action=action, **base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("request_", "later", "outcome", "rule"),
    [
        (ask(Action.WATCH, region="ap-southeast-1"), False, Outcome.ALLOWED, "everyone"),
        (ask(Action.WATCH, channel="C0DENIED"), False, Outcome.REFUSED, "no-watch-in-denied"),
        (ask(Action.STATUS, channel="C0DENIED"), False, Outcome.ALLOWED, "everyone"),
        (ask(Action.STOP_ALL), False, Outcome.REFUSED, "no-stop-all"),
        (ask(Action.STOP_ALL, usergroups=F({"S0OPS"})), False, Outcome.ALLOWED, "ops-stop-all"),
        # a group Slack did not resolve never turns the allow rule on: the deny after it decides
        (ask(Action.STOP_ALL, unknown_groups=F({"S0OPS"})), False, Outcome.REFUSED, "no-stop-all"),
        (ask(Action.WATCH, region="ap-southeast-3"), False, Outcome.REFUSED, "no-sg3"),
        # the region not known yet: pending when it will be, refused (safe) when it will not
        (ask(Action.WATCH), True, Outcome.PENDING, "no-sg3"),
        (ask(Action.WATCH), False, Outcome.REFUSED, "no-sg3"),
        (ask(Action.STATUS), True, Outcome.ALLOWED, "everyone"),
        # teams match the workspace or the Enterprise Grid organisation
        (
            ask(Action.CONFIG, team="T0B", enterprise="E0GRID", user="U0ADMIN"),
            False,
            Outcome.ALLOWED,
            "grid-admins",
        ),
        (ask(Action.CONFIG, team="T0B", user="U0ADMIN"), False, Outcome.REFUSED, NO_RULE),
        # a deny rule whose group cannot be resolved applies
        (
            ask(Action.STATUS, unknown_groups=F({"S0BLOCKED"})),
            False,
            Outcome.REFUSED,
            "blocked-group",
        ),
        (ask(Action.STATUS, usergroups=F({"S0BLOCKED"})), False, Outcome.REFUSED, "blocked-group"),
        (ask(Action.UPLOAD, project="P0PROD"), False, Outcome.ALLOWED, "prod-project"),
        (ask(Action.UPLOAD, project="P0TEST"), False, Outcome.REFUSED, NO_RULE),
        # an allow rule on a project not known does not match: no rule is left
        (ask(Action.UPLOAD), False, Outcome.REFUSED, NO_RULE),
        (ask(Action.UPLOAD), True, Outcome.PENDING, "prod-project"),
        (ask(Action.RESULT), False, Outcome.REFUSED, NO_RULE),
        (
            ask(Action.WATCH, team="T0OTHER", region="ap-southeast-1"),
            False,
            Outcome.REFUSED,
            NO_RULE,
        ),
    ],
)
def test_decide(request_: AccessRequest, later: bool, outcome: Outcome, rule: str) -> None:
    decision = decide(POLICY, request_, later=later)
    assert (decision.outcome, decision.rule) == (outcome, rule)
    assert decision.allowed is (outcome is Outcome.ALLOWED)


def test_only_groups_of_rules_the_request_could_match_are_looked_up() -> None:
    assert candidate_groups(POLICY, ask(Action.STOP_ALL)) == {"S0OPS", "S0BLOCKED"}
    assert candidate_groups(POLICY, ask(Action.STATUS)) == {"S0BLOCKED"}
    assert POLICY.usergroups == {"S0OPS", "S0BLOCKED"}
