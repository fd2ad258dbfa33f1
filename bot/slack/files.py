"""`template` and `upload`: the blank template into the thread, a filled one from Slack to DRS.

An upload is checked before anything reaches DRS (extension and size before the download, the
content after it), claimed once in the database by (event, file) so Slack's retries and other
replicas never send it twice, and then watched in the thread exactly like `watch`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.access.rules import Action
from bot.domain.commands import Language
from bot.domain.files import SharedFile
from bot.drs.factory import build_template_client
from bot.errors import BotError, SlackError
from bot.render import files as words
from bot.render.message import Message
from bot.runtime import Runtime
from bot.slack import control, regional, service
from bot.slack.grammar import Template, Upload
from bot.slack.languages import place_language
from bot.slack.service import Place, Say
from bot.store import uploads
from bot.templates.checks import LIMITS, check_size, check_template

log = logging.getLogger(__name__)

DOWNLOAD_CAP = max(LIMITS.values())  # the largest file DRS takes


@dataclass(frozen=True)
class Attached:
    """The files a message carried and what delivered it (Slack's event ID), for once-only."""

    files: tuple[dict[str, Any], ...] = ()
    event_key: str = ""


async def send_template(rt: Runtime, place: Place, command: Template, *, say: Say) -> None:
    """Fetch the job's blank template from DRS and post it as a file here, with how to use it."""
    lang = await place_language(rt, place)  # the file is posted for the channel
    job_id = await control.resolve(rt, place, command.job_id, say=say, lang=lang)
    if job_id is None:
        return
    in_region = await regional.job_runtime(rt, job_id, say, asker=(place, Action.TEMPLATE))
    if in_region is None:
        return
    rt = in_region  # the job's region
    client = build_template_client(rt.drs)
    try:
        blank = await client.download_template(
            job_id, level=command.level, language=command.language or lang.value
        )
    except BotError as exc:
        await say(words.template_not_fetched(job_id, exc, lang=lang))
        return
    # Never DRS's suggested name: it is untrusted text, and ours says which job it belongs to.
    name = f"drs-template-{job_id[:8]}-{command.level or 'table'}.zip"
    comment = words.template_comment(job_id, bot_user_id=rt.bot_user_id, lang=lang)
    try:
        await rt.slack.upload_file(
            place.channel_id, place.thread_ts, name=name, content=blank.content, comment=comment
        )
    except SlackError as exc:
        log.warning("could not post the template of %s: %s", job_id, exc)
        await say(words.template_not_posted(job_id, exc, lang=lang))


async def upload(
    rt: Runtime, place: Place, command: Upload, attached: Attached, *, say: Say
) -> None:
    """Check, upload once, then watch: each refusal is one message, nothing sent to DRS."""
    lang = await place_language(rt, place)  # the thread's language, as the watch it starts
    job_id = await control.resolve(rt, place, command.job_id, say=say, lang=lang)
    if job_id is None:
        return
    if not attached.files:
        await say(words.upload_needs_a_file(job_id, bot_user_id=rt.bot_user_id, lang=lang))
        return
    if len(attached.files) > 1:
        await say(words.one_file_at_a_time(len(attached.files), lang=lang))
        return
    item = attached.files[0]
    name = str(item.get("name") or item.get("id") or "the file")
    try:
        shared = await _describe(rt, item)
        check_size(shared.name, shared.size)
    except BotError as exc:
        await say(words.upload_refused(name, exc, lang=lang))
        return
    in_region = await regional.job_runtime(rt, job_id, say, asker=(place, Action.UPLOAD))
    if in_region is None:
        return
    rt = in_region  # the job's region: uploaded there, watched there
    claim = await _claim(rt, place, job_id, shared, attached.event_key, lang)
    if claim is None:
        return
    if await _send(rt, job_id, shared, command, claim, say, lang):
        await service.watch(
            rt,
            place,
            job_id,
            job_type=None,
            language=command.language or lang.value,
            say=say,
            uploaded_file=shared.name,
            region=rt.region,
        )


async def _describe(rt: Runtime, item: dict[str, Any]) -> SharedFile:
    """The file as the event describes it; `files.info` when the event left details out."""
    shared = SharedFile.from_slack(item)
    if shared is not None:
        return shared
    return await rt.slack.file_info(str(item.get("id") or ""))


async def _claim(
    rt: Runtime, place: Place, job_id: str, shared: SharedFile, event_key: str, lang: Language
) -> uploads.Claim | None:
    """This replica's claim on the upload; None when it is not ours to send (said if stuck)."""
    now = rt.clock.now()
    async with rt.sessions.begin() as session:
        claim = await uploads.claim(
            session,
            event_key=event_key or f"{place.channel_id}:{place.thread_ts}:{shared.id}",
            file_id=shared.id,
            team_id=place.team_id,
            channel_id=place.channel_id,
            thread_ts=place.thread_ts,
            job_id=job_id,
            file_name=shared.name,
            user_id=place.user_id,
            owner=rt.owner,
            now=now,
        )
        if claim.mine:
            return claim
        report = claim.interrupted(now) and await uploads.take_interrupted(
            session, claim_id=claim.id, now=now
        )
    if report:
        await _tell_thread(rt, place, words.upload_interrupted(shared.name, job_id, lang=lang))
    else:
        log.info("upload of %s for event %s is %s elsewhere", shared.id, event_key, claim.state)
    return None


async def _send(
    rt: Runtime,
    job_id: str,
    shared: SharedFile,
    command: Upload,
    claim: uploads.Claim,
    say: Say,
    lang: Language,
) -> bool:
    """Download (verified), check and upload; the claim records how it ended."""
    refusal: BotError | None = None
    try:
        data = await rt.slack.download_file(shared, cap=DOWNLOAD_CAP)
        checked = check_template(shared.name, data)
        client = build_template_client(rt.drs)
        await client.upload(
            job_id,
            checked,
            data,
            level=command.level,
            mapping=command.mapping,
            language=command.language or lang.value,
        )
    except BotError as exc:  # anything else leaves the claim `started`: reported, not resent
        log.info("upload of %s to %s refused: %s", shared.id, job_id, exc)
        refusal = exc
    state = uploads.UPLOADED if refusal is None else uploads.FAILED
    async with rt.sessions.begin() as session:
        await uploads.finish(session, claim_id=claim.id, state=state, now=rt.clock.now())
    if refusal is not None:
        await say(words.upload_refused(shared.name, refusal, lang=lang))
    return refusal is None


async def _tell_thread(rt: Runtime, place: Place, message: Message) -> None:
    try:
        await rt.slack.post(place.channel_id, message, thread_ts=place.thread_ts)
    except SlackError as exc:
        log.warning("could not report an interrupted upload in %s: %s", place.channel_id, exc)
