"""Fetching a file people shared in Slack, verified: the bytes Slack announced, or a SlackError."""

from __future__ import annotations

import aiohttp

from bot.domain.files import SharedFile
from bot.errors import (
    FileNotReadable,
    FileNotVisible,
    FileSizeMismatch,
    SlackError,
    SlackFileTooLarge,
)

CHUNK = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=60, connect=5)


async def fetch_file(
    shared: SharedFile, *, token: str, cap: int, proxy: str | None = None
) -> bytes:
    """The file's bytes, downloaded with the bot token and never more than `cap` of them.

    Slack answers a token that may not read files with its sign-in page and status 200, so an
    HTML answer is that, not the file; a size other than the announced one is a broken download.
    """
    if shared.size > cap:
        raise SlackFileTooLarge(f"{shared.id} announced {shared.size} bytes", name=shared.name)
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.get(
                shared.url, headers={"Authorization": f"Bearer {token}"}, proxy=proxy
            ) as response,
        ):
            _check_answer(shared, response)
            data = await _read_capped(shared, response, cap)
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise SlackError(f"Slack file download failed: {type(exc).__name__}", error=None) from exc
    if len(data) != shared.size:
        raise FileSizeMismatch(
            f"{shared.id}: {len(data)} bytes arrived, {shared.size} announced", name=shared.name
        )
    return data


def _check_answer(shared: SharedFile, response: aiohttp.ClientResponse) -> None:
    if response.status in (401, 403, 404, 410):
        raise FileNotVisible(f"{shared.id}: HTTP {response.status}", name=shared.name)
    if response.status != 200:
        raise SlackError(f"Slack file download answered HTTP {response.status}", error=None)
    if response.content_type == "text/html":
        raise FileNotReadable(f"{shared.id}: an HTML page instead of the file", name=shared.name)


async def _read_capped(shared: SharedFile, response: aiohttp.ClientResponse, cap: int) -> bytes:
    data = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        data += chunk
        if len(data) > cap:
            raise SlackFileTooLarge(f"{shared.id}: over {cap} bytes", name=shared.name)
    return bytes(data)
