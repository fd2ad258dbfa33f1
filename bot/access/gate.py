"""The live policy of a process: checks requests, asks Slack who is in a group, reloads the file.

Without ACCESS_POLICY the gate is open (everyone may do everything). Group members are cached
per (team, group) for `GROUP_TTL`; a lookup that fails leaves that group unknown for
`FAILED_TTL`, and an unknown group never turns a deny rule into an allow (see `rules`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.access.parse import parse_policy
from bot.access.rules import (
    AccessRequest,
    Decision,
    Outcome,
    Policy,
    candidate_groups,
    decide,
)
from bot.clock import Clock, SystemClock
from bot.errors import BotError, PolicyError

log = logging.getLogger(__name__)

# (team, user group ID) -> the group's user IDs; raises BotError when Slack does not say.
GroupMembers = Callable[[str, str], Awaitable[frozenset[str]]]
GROUP_TTL = timedelta(minutes=5)
FAILED_TTL = timedelta(seconds=30)
OPEN = "no access policy"  # the rule name of every decision when no policy is set


@dataclass(frozen=True)
class _Members:
    users: frozenset[str] | None  # None: the lookup failed
    at: datetime


class AccessGate:
    """Holds the last good policy; `check` decides, `accept` swaps in a new file's text."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        path: Path | None = None,
        text: str = "",
        clock: Clock | None = None,
        members: GroupMembers | None = None,
    ) -> None:
        self.policy = policy
        self.path = path
        self.clock = clock or SystemClock()
        self.members = members
        self._seen = text  # the file's text last read, good or bad: unchanged means no reload
        self._groups: dict[tuple[str, str], _Members] = {}

    @classmethod
    def from_file(cls, path: Path, *, clock: Clock | None = None) -> AccessGate:
        """A gate with the policy in `path`; `PolicyError` naming the file and line if broken."""
        text = read_policy_text(path)
        return cls(parse_policy(text, source=str(path)), path=path, text=text, clock=clock)

    async def check(
        self, request: AccessRequest, *, later: bool = False, members: GroupMembers | None = None
    ) -> Decision:
        """Allowed or refused (or pending, with `later`), and the deciding rule's name.

        `members`: how to ask the request's own workspace who is in a group (its token, in
        OAuth mode); the gate's own lookup when None. Answers are cached per (team, group).
        """
        policy = self.policy
        if policy is None:
            return Decision(Outcome.ALLOWED, OPEN)
        known: set[str] = set()
        unknown: set[str] = set()
        for group in sorted(candidate_groups(policy, request)):
            users = await self._group(request.team, group, members or self.members)
            if users is None:
                unknown.add(group)
            elif request.user in users:
                known.add(group)
        asked = replace(request, usergroups=frozenset(known), unknown_groups=frozenset(unknown))
        return decide(policy, asked, later=later)

    async def _group(
        self, team: str, group: str, members: GroupMembers | None
    ) -> frozenset[str] | None:
        now = self.clock.now()
        kept = self._groups.get((team, group))
        if kept is not None and now - kept.at < (
            GROUP_TTL if kept.users is not None else FAILED_TTL
        ):
            return kept.users
        users: frozenset[str] | None = None
        if members is None:
            log.warning("access policy: cannot look up user group %s (no Slack client)", group)
        else:
            try:
                users = await members(team, group)
            except BotError as exc:
                log.warning(
                    "access policy: user group %s of team %s not resolved: %s; rules "
                    "needing it count as unknown (deny rules apply)",
                    group,
                    team,
                    exc,
                )
        self._groups[(team, group)] = _Members(users, now)
        return users

    def accept(self, text: str) -> bool:
        """Use `text` as the policy file's new content when it changed and parses.

        A broken file keeps the last good policy and logs why (file and line); True when the
        policy was replaced.
        """
        if text == self._seen or self.path is None:
            return False
        self._seen = text
        try:
            policy = parse_policy(text, source=str(self.path))
        except PolicyError as exc:
            log.error(
                "access policy not reloaded, keeping the last good one: %s: %s",
                exc.where(),
                exc.reason,
            )
            return False
        self.policy = policy
        self._groups.clear()  # the groups named may have changed
        log.info("access policy reloaded from %s: %d rules", self.path, len(policy.rules))
        return True


def read_policy_text(path: Path) -> str:
    """The file's text; `PolicyError` naming the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(
            str(path),
            0,
            f"cannot read it ({type(exc).__name__}); point ACCESS_POLICY at a "
            "readable UTF-8 TOML file",
        ) from exc
