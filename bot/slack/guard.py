"""The access policy at the door of every surface: one check, a private refusal, one log line."""

from __future__ import annotations

import logging

from bot.access.rules import NO_RULE, AccessRequest, Action
from bot.render.access import access_refused
from bot.runtime import Runtime
from bot.slack.grammar import Config, ListWatches, Status, Stop, Template, Upload, Watch
from bot.slack.languages import reader_language
from bot.slack.posting import Place, Say

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


async def permitted(
    rt: Runtime,
    place: Place,
    action: Action,
    *,
    say: Say | None,
    enterprise_id: str | None = None,
    region: str | None = None,
    project: str | None = None,
) -> bool:
    """Whether the policy lets `place`'s user do `action` there; a refusal is told privately
    through `say` (None: nowhere to answer, e.g. a link preview) and logged, never allowed.

    `region`/`project` default to the ones this process serves (DRS_REGION, DRS_PROJECT_ID).
    """
    request = AccessRequest(
        team=place.team_id,
        channel=place.channel_id,
        user=place.user_id,
        action=action,
        enterprise=enterprise_id,
        region=(region or rt.settings.drs_region or "").lower() or None,
        project=project or rt.project_id or None,
    )
    decision = await rt.access.check(request)
    if decision.allowed:
        return True
    log.info(
        "access refused: %s by rule %r (team %s, channel %s, user %s)",
        action.value,
        decision.rule,
        place.team_id,
        place.channel_id,
        place.user_id,
    )
    if say is not None:
        rule = None if decision.rule == NO_RULE else decision.rule
        lang = await reader_language(rt, place)
        await say(access_refused(action.value, rule, lang=lang))
    return False
