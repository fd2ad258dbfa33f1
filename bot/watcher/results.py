"""After a failed parse: the import result with each error marked, posted beside the final reply."""

from __future__ import annotations

import asyncio
import io
import logging
import zipfile

from bot.drs.factory import build_template_client
from bot.drs.retry import NO_RETRY
from bot.errors import BotError
from bot.render import files as words
from bot.render.catalog import language_of
from bot.render.message import Message
from bot.runtime import Runtime
from bot.templates.checks import OLE2_MAGIC, ZIP_MAGIC
from bot.templates.result import error_reasons

log = logging.getLogger(__name__)

# The final reply has gone out; this extra step must not hold the sweep up for long.
RESULT_TIMEOUT = 20.0


async def post_result(
    rt: Runtime,
    channel: str,
    thread_ts: str | None,
    job_id: str,
    language: str | None,
    *,
    region: str | None = None,
    project_id: str = "",
) -> None:
    """Post the marked result (its first error reasons quoted) or, failing that, the way to it.

    Never raises: the watch has ended and its final reply is out whatever happens here.
    """
    lang = language_of(language or rt.settings.drs_language)  # the watch's
    try:
        async with asyncio.timeout(RESULT_TIMEOUT):
            client = build_template_client(await rt.regions.client_for_job(region, project_id))
            client.retry = NO_RETRY
            result = await client.download_result(job_id, language=language)
            reasons = await asyncio.to_thread(error_reasons, result.content)
            comment = words.result_comment(
                job_id, reasons.first, reasons.total, column=reasons.column, lang=lang
            )
            await rt.slack.upload_file(
                channel,
                thread_ts,
                name=f"drs-result-{job_id[:8]}{_extension(result.content)}",
                content=result.content,
                comment=comment,
            )
        return
    except (BotError, TimeoutError) as exc:
        log.warning("no import result posted for %s: %s", job_id, exc)
    try:
        await rt.slack.post(
            channel, Message(words.result_not_fetched(job_id, lang=lang)), thread_ts=thread_ts
        )
    except BotError as exc:
        log.warning("could not say where the result of %s is: %s", job_id, exc)


def _extension(data: bytes) -> str:
    """Our own name's extension, from the content (DRS's suggested name is not trusted)."""
    if data.startswith(OLE2_MAGIC):
        return ".xls"
    if not data.startswith(ZIP_MAGIC):
        return ".json"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return ".xlsx" if "[Content_Types].xml" in archive.namelist() else ".zip"
    except zipfile.BadZipFile:
        return ".zip"
