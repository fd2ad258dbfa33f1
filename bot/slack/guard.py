"""The access policy at the door of every surface: one check, a private refusal, one log line."""

from __future__ import annotations

import logging
from typing import TypedDict

from bot.access.gate import GroupMembers
from bot.access.rules import NO_RULE, AccessRequest, Action, Outcome
from bot.render.access import access_refused
from bot.runtime import Runtime
from bot.slack.gateway import SlackGateway
from bot.slack.grammar import Config, ListWatches, Status, Stop, Template, Upload, Watch
from bot.slack.languages import reader_language
from bot.slack.posting import Place, Say
from bot.slack.usergroups import usergroup_members
from bot.store import repo
from bot.store.models import Watch as Watch_

log = logging.getLogger(__name__)

Asked = Watch | Status | Stop | ListWatches | Template | Upload | Config


def action_of(command: Asked) -> Action:
    """The policy's word for what a parsed command asks."""
    if isinstance(command, Stop):
        return Action.STOP_ALL if command.job_id is None else Action.STOP
    actions: dict[type[Asked], Action] = {
        Watch: Action.WATCH,
        Status: Action.STATUS,
        ListWatches: Action.LIST,
        Template: Action.TEMPLATE,
        Upload: Action.UPLOAD,
        Config: Action.CONFIG,
    }
    return actions[type(command)]


class EarlyScope(TypedDict, total=False):
    region: str | None
    later: bool


def early_scope(command: Asked) -> EarlyScope:
    """How a command is checked before its job's region is known: `--region` when given, and
    `later` for the commands that look the job up (checked again in its region, `regional`)."""
    if isinstance(command, Watch | Status):
        return {"region": command.region, "later": True}
    if isinstance(command, Template | Upload) or (
        isinstance(command, Stop) and command.job_id is not None
    ):
        return {"later": True}  # a stop: checked again in the watched job's region
    return {}


async def permitted(
    rt: Runtime,
    place: Place,
    action: Action,
    *,
    say: Say | None,
    enterprise_id: str | None = None,
    region: str | None = None,
    project: str | None = None,
    later: bool = False,
) -> bool:
    """Whether the policy lets `place`'s user do `action` there; a refusal is told privately
    through `say` (None: nowhere to answer, e.g. a link preview) and logged, never allowed.

    `region`/`project` default to the runtime's: the job's in `rt.in_region`'s copy, the one
    served with one region, unknown otherwise. `later`: the caller checks again once the job's
    region is known, so a decision that waits for it lets the request go on (pending).
    The enterprise defaults to the request's (Bolt's `context.enterprise_id`, on `rt`).
    """
    where, which = _scope(rt, region, project)
    request = AccessRequest(
        team=place.team_id,
        channel=place.channel_id,
        user=place.user_id,
        action=action,
        enterprise=enterprise_id or rt.enterprise_id,
        region=where,
        project=which,
    )
    decision = await rt.access.check(request, later=later, members=_members(rt))
    if decision.allowed or (later and decision.outcome is Outcome.PENDING):
        return True
    log.info(
        "access refused: %s by rule %r (team %s, channel %s, user %s)%s",
        action.value,
        decision.rule,
        place.team_id,
        place.channel_id,
        place.user_id,
        f" in region {where}" if where else "",
    )
    if say is not None:
        rule = None if decision.rule == NO_RULE else decision.rule
        lang = await reader_language(rt, place)
        await say(access_refused(action.value, rule, lang=lang))
    return False


def _scope(rt: Runtime, region: str | None, project: str | None) -> tuple[str | None, str | None]:
    """The (region, project) a request is checked against; None where not known yet."""
    if region:
        return region.lower(), project
    if rt.region:  # `rt.in_region`'s copy with several regions served: the job's
        return rt.region.lower(), project or rt.project_id or None
    if not rt.regions.several:
        return (rt.settings.drs_region or "").lower() or None, project or rt.project_id or None
    return None, project


def _members(rt: Runtime) -> GroupMembers | None:
    """User group lookups with the asking workspace's own token (`rt.slack`, scoped per request
    in OAuth mode); None: the gate's default."""
    if isinstance(rt.slack, SlackGateway):
        return usergroup_members(rt.slack.client, observe=rt.slack.observe)
    return None


class WatchScope(TypedDict, total=False):
    region: str | None
    project: str | None


def scope_of_watch(rt: Runtime, watch: Watch_) -> WatchScope:
    """The region and project a watch's job lives in, for checking its buttons ({} with one
    region: the one served)."""
    if not rt.regions.several:
        return {}
    job = watch.polled_job
    region = rt.regions.job_region(job.region, job.project_id) or None
    return {"region": region, "project": job.project_id}


async def watch_scope(rt: Runtime, watch_id: int) -> WatchScope:
    """`scope_of_watch` by the watch's ID ({} when there is none: the runtime's own)."""
    async with rt.sessions() as session:
        found = await repo.get_watch(session, watch_id=watch_id)
    return {} if found is None else scope_of_watch(rt, found)
