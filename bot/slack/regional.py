"""Which region a request speaks to: `--region`, the job's stored region, or a lookup."""

from __future__ import annotations

import logging

from bot.access.rules import Action
from bot.domain.commands import Language
from bot.domain.progress import Progress
from bot.drs.lookup import locate
from bot.drs.retry import INTERACTIVE
from bot.errors import DrsError, UnknownRegion
from bot.render import answers
from bot.render.catalog import language_of
from bot.runtime import Runtime
from bot.slack.guard import permitted
from bot.slack.posting import Place, Say, channel_of
from bot.store.regions import regions_of_job

log = logging.getLogger(__name__)

Resolved = tuple[Runtime, Progress | None]
Asker = tuple[Place, Action]  # who asks to do what: checked again in the job's region


async def channel_region(rt: Runtime, place: Place) -> str | None:
    """The channel's default region (`config region`), when it is one this process serves."""
    found = await channel_of(rt, place)
    if found and found.region and rt.regions.known(found.region):
        return found.region
    return None


async def stored_region(rt: Runtime, job_id: str) -> str | None:
    """The served region this job was watched in before (stored, or its project's)."""
    async with rt.sessions() as session:
        rows = await regions_of_job(session, job_id=job_id)
    for project_id, region in rows:
        if region and rt.regions.known(region):
            return region
        if (of_project := rt.regions.region_of(project_id)) is not None:
            return of_project
    return None


async def stop_permitted(rt: Runtime, place: Place, job_id: str, *, say: Say) -> bool:
    """`stop JOB_ID` checked again in the job's stored region and project (several served)."""
    if not rt.regions.several:  # the one region served (a pending first check decides now)
        return await permitted(rt, place, Action.STOP, say=say)
    region, project = None, None
    async with rt.sessions() as session:
        rows = await regions_of_job(session, job_id=job_id)
    for project_id, stored in rows:
        found = stored if stored and rt.regions.known(stored) else rt.regions.region_of(project_id)
        if found is not None:
            region, project = found, project_id
            break
    return await permitted(rt, place, Action.STOP, say=say, region=region, project=project)


async def scope(
    rt: Runtime,
    job_id: str,
    *,
    region: str | None,
    preferred: str | None = None,
    job_type: str | None = None,
    language: str | None = None,
) -> Resolved:
    """`rt` for the job's region, with the progress a lookup already got (None: not asked yet).

    `region` (`--region`) forces one; with one region served nothing changes; else a job
    watched before keeps its region, and a new one is looked up (`preferred` first). Raises
    UnknownRegion for a region not served, the DrsError of a failed lookup.
    """
    if region is not None:
        if not rt.regions.known(region):
            raise UnknownRegion(region, rt.regions.names)
        return await rt.in_region(region), None
    if not rt.regions.several:
        return rt, None
    known = await stored_region(rt, job_id)
    if known is not None:
        return await rt.in_region(known), None
    found = await locate(
        rt.regions,
        job_id,
        preferred=preferred,
        job_type=job_type,
        language=language,
        retry=INTERACTIVE,
    )
    log.info("job %s found in region %s", job_id, found.region)
    return await rt.in_region(found.region), found.progress


def unserved(rt: Runtime, region: str | None) -> tuple[str, str] | None:
    """(the link's region, the regions served) when a console link names one not served."""
    if not region:
        return None
    if rt.regions.several:
        return None if rt.regions.known(region) else (region, ", ".join(rt.regions.names))
    ours = rt.settings.drs_region
    return (region, ours) if ours and region != ours.lower() else None


async def resolve(
    rt: Runtime,
    job_id: str,
    region: str | None,
    preferred: str | None,
    job_type: str | None,
    language: str | None,
    say: Say,
    lang: Language | None = None,
    *,
    asker: Asker | None = None,
) -> Resolved | None:
    """`scope`, the asker told why when it fails (None then), in `lang` (else `language`'s).

    `asker` (who asks to do what): once the job's region and project are known the access
    policy is asked again with them, before anything is stored or uploaded; a refusal is
    told privately through `say` (None then).
    """
    lang = lang or language_of(language or rt.settings.drs_language)
    try:
        found = await scope(
            rt, job_id, region=region, preferred=preferred, job_type=job_type, language=language
        )
    except UnknownRegion as exc:
        await say(answers.error_message(exc, lang=lang))
        return None
    except DrsError as exc:
        await say(answers.drs_error_message(job_id, exc, lang=lang))
        return None
    if asker is not None and not await permitted(found[0], asker[0], asker[1], say=say):
        return None
    return found


async def job_runtime(
    rt: Runtime, job_id: str, say: Say, *, asker: Asker | None = None
) -> Runtime | None:
    """`rt` for the job's region (template, upload); None when the asker was told why not."""
    resolved = await resolve(rt, job_id, None, None, None, None, say, asker=asker)
    return resolved[0] if resolved is not None else None
