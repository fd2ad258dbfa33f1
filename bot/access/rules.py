"""The access policy as data, and `decide`: a pure function from a request to allowed or refused.

Rules are read top to bottom; the first that matches decides; none matching refuses. A filter
left out matches everything. What is not known at decision time is treated the safe way:

- a user group whose members Slack did not tell us (`unknown_groups`): a deny rule naming it
  matches (the request is refused), an allow rule needing it does not match;
- a region or project not known (None): when `later` is set (the caller will ask again once the
  job's region is found) a rule that depends on it leaves the decision `PENDING`; otherwise a
  deny rule filtering on it matches and an allow rule filtering on it does not.

So an unknown never turns a deny into an allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Action(StrEnum):
    """What a request asks to do (the words policy files use in `actions`)."""

    WATCH = "watch"
    STATUS = "status"
    UPLOAD = "upload"
    TEMPLATE = "template"
    RESULT = "result"
    STOP = "stop"
    STOP_ALL = "stop_all"
    LIST = "list"
    CONFIG = "config"


class Effect(StrEnum):
    ALLOW = "allow"
    DENY = "deny"


class Outcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    PENDING = "pending"  # depends on a region/project not known yet: ask again when it is


NO_RULE = "no rule matched"  # the rule name a refusal carries when no rule matched


@dataclass(frozen=True)
class Rule:
    """One `[[rules]]` table; a None filter matches everything."""

    name: str
    effect: Effect
    line: int = 0  # where the rule starts in its file (for messages)
    teams: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    users: frozenset[str] | None = None
    usergroups: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    projects: frozenset[str] | None = None
    actions: frozenset[Action] | None = None


@dataclass(frozen=True)
class Policy:
    """The rules of one policy file, in order."""

    rules: tuple[Rule, ...]
    source: str = ""

    @property
    def usergroups(self) -> frozenset[str]:
        """Every user group some rule names: the only ones worth asking Slack about."""
        return frozenset(g for rule in self.rules for g in rule.usergroups or ())


@dataclass(frozen=True)
class AccessRequest:
    """Who asks to do what, where. `teams` in a rule matches the team or the enterprise ID."""

    team: str
    channel: str
    user: str
    action: Action
    enterprise: str | None = None
    usergroups: frozenset[str] = field(default_factory=frozenset)  # the user's, of those named
    unknown_groups: frozenset[str] = field(default_factory=frozenset)  # Slack did not say
    region: str | None = None
    project: str | None = None


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    rule: str  # the deciding rule's name, or NO_RULE

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOWED


class _Match(StrEnum):
    NO = "no"
    YES = "yes"
    UNKNOWN = "unknown"  # depends on a group, region or project not known


def decide(policy: Policy, request: AccessRequest, *, later: bool = False) -> Decision:
    """The first matching rule's effect; `later`: the region/project will be known later."""
    for rule in policy.rules:
        found = _matches(rule, request)
        if found is _Match.YES:
            outcome = Outcome.ALLOWED if rule.effect is Effect.ALLOW else Outcome.REFUSED
            return Decision(outcome, rule.name)
        if found is _Match.UNKNOWN:
            if later and _waits_for_scope(rule, request):
                return Decision(Outcome.PENDING, rule.name)
            if rule.effect is Effect.DENY:
                return Decision(Outcome.REFUSED, rule.name)
            # an allow rule that cannot be confirmed does not match: read on
    return Decision(Outcome.REFUSED, NO_RULE)


def _matches(rule: Rule, request: AccessRequest) -> _Match:
    teams = {request.team} | ({request.enterprise} if request.enterprise else set())
    if rule.actions is not None and request.action not in rule.actions:
        return _Match.NO
    if rule.teams is not None and not rule.teams & teams:
        return _Match.NO
    if rule.channels is not None and request.channel not in rule.channels:
        return _Match.NO
    if rule.users is not None and request.user not in rule.users:
        return _Match.NO
    known = [
        _within(rule.usergroups, request.usergroups, request.unknown_groups),
        _one_of(rule.regions, request.region),
        _one_of(rule.projects, request.project),
    ]
    if _Match.NO in known:
        return _Match.NO
    return _Match.UNKNOWN if _Match.UNKNOWN in known else _Match.YES


def _within(
    named: frozenset[str] | None, member: frozenset[str], unknown: frozenset[str]
) -> _Match:
    if named is None or named & member:
        return _Match.YES
    return _Match.UNKNOWN if named & unknown else _Match.NO


def _one_of(allowed: frozenset[str] | None, value: str | None) -> _Match:
    if allowed is None:
        return _Match.YES
    if value is None:
        return _Match.UNKNOWN
    return _Match.YES if value in allowed else _Match.NO


def _waits_for_scope(rule: Rule, request: AccessRequest) -> bool:
    """Whether the rule's unknown is the region/project (which a later check will know)."""
    return (rule.regions is not None and request.region is None) or (
        rule.projects is not None and request.project is None
    )


def candidate_groups(policy: Policy, request: AccessRequest) -> frozenset[str]:
    """The user groups worth asking Slack about: those of rules the rest of the request fits."""
    return frozenset(
        group
        for rule in policy.rules
        if rule.usergroups and _matches(replace(rule, usergroups=None), request) is not _Match.NO
        for group in rule.usergroups
    )
