"""Slack files on the stand-in: upload v2, `files.info`, and downloads that need the bot token."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.sandbox.slack_methods import SlackMethods

# What Slack serves for a file URL fetched without a token that may read files (status 200).
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Slack</title></head>"
    "<body><h1>Sign in to your workspace</h1></body></html>"
)
_MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "json": "application/json",
    "txt": "text/plain",
    "zip": "application/zip",
}


@dataclass
class StoredFile:
    """A file in the workspace; `content` is None until its bytes were posted to the upload URL.

    `size` is what Slack announces; `hidden` files are ones the bot cannot see (not shared
    where it is a member).
    """

    id: str
    name: str
    title: str
    size: int
    user: str
    created: datetime
    content: bytes | None = None
    shares: list[tuple[str, str | None]] = field(default_factory=list)
    hidden: bool = False

    @property
    def filetype(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else "binary"

    @property
    def mimetype(self) -> str:
        return _MIMETYPES.get(self.filetype, "application/octet-stream")


class SlackFiles(SlackMethods):
    """`files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`, `files.info`.

    `files_readable=False` plays an install without `files:read`: file URLs answer with the
    login page, as Slack does.
    """

    url: str
    bot_token: str
    team_id: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, StoredFile] = {}
        self.files_readable = True
        self._file_ids = itertools.count(1)

    def file_routes(self, app: web.Application) -> None:
        app.router.add_post("/upload/{file_id}", self._upload_bytes)
        app.router.add_get("/files-pri/{key}/download/{name}", self._download)

    # -- for tests and the sandbox ------------------------------------------------------------

    def add_user_file(
        self,
        name: str,
        content: bytes,
        *,
        user: str = "U0USER",
        announced_size: int | None = None,
        hidden: bool = False,
    ) -> StoredFile:
        """A file a person shared; `announced_size` makes Slack announce another size."""
        size = len(content) if announced_size is None else announced_size
        stored = self._new_file(name, name, size, user)
        stored.content, stored.hidden = content, hidden
        return stored

    def file_item(self, stored: StoredFile) -> dict[str, Any]:
        """The file as Slack describes it in events and `files.info`."""
        base = f"{self.url}/files-pri/{self.team_id}-{stored.id}"
        return {
            "id": stored.id,
            "name": stored.name,
            "title": stored.title,
            "size": stored.size,
            "mimetype": stored.mimetype,
            "filetype": stored.filetype,
            "user": stored.user,
            "created": int(stored.created.timestamp()),
            "url_private": f"{base}/{stored.name}",
            "url_private_download": f"{base}/download/{stored.name}",
        }

    def posted_files(self, channel: str | None = None) -> list[StoredFile]:
        """Files the bot shared, oldest first (in `channel` when given)."""
        return [
            f
            for f in self.files.values()
            if f.user == self.bot_user_id and any(channel in (None, c) for c, _ in f.shares)
        ]

    def _new_file(self, name: str, title: str, size: int, user: str) -> StoredFile:
        file_id = f"F{next(self._file_ids):08d}"
        stored = StoredFile(file_id, name, title, size, user, self._clock.now())
        self.files[file_id] = stored
        return stored

    # -- Web API methods -----------------------------------------------------------------------

    def file_handlers(self) -> dict[str, Any]:
        return {
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._files_info,
        }

    async def _get_upload_url(self, p: dict[str, Any]) -> dict[str, Any]:
        name = str(p.get("filename") or "")
        try:
            length = int(p.get("length") or 0)
        except ValueError:
            length = 0
        if not name or length <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        stored = self._new_file(name, name, length, self.bot_user_id)
        return {"ok": True, "upload_url": f"{self.url}/upload/{stored.id}", "file_id": stored.id}

    async def _complete_upload(self, p: dict[str, Any]) -> dict[str, Any]:
        raw = p.get("files")
        items = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(items, list) or not items:
            return {"ok": False, "error": "invalid_arguments"}
        found = [self.files.get(str(item.get("id"))) for item in items if isinstance(item, dict)]
        shared = [f for f in found if f is not None and f.content is not None]
        if len(shared) != len(items):
            return {"ok": False, "error": "file_not_found"}
        for stored, item in zip(shared, items, strict=True):
            stored.title = str(item.get("title") or stored.name)
        channel = str(p.get("channel_id") or "")
        if channel:
            if err := self.channel_error(channel):
                return {"ok": False, "error": err}
            thread_ts = str(p["thread_ts"]) if p.get("thread_ts") else None
            comment = str(p.get("initial_comment") or "")
            msg = self.store_message(channel, comment, [], thread_ts=thread_ts)
            msg.files = [self.file_item(f) for f in shared]
            for stored in shared:
                stored.shares.append((channel, thread_ts))
            self._notify()
        return {"ok": True, "files": [self.file_item(f) for f in shared]}

    async def _files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(p.get("file") or ""))
        if stored is None or stored.hidden or stored.content is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": self.file_item(stored)}

    # -- file URLs -----------------------------------------------------------------------------

    async def _upload_bytes(self, request: web.Request) -> web.StreamResponse:
        stored = self.files.get(request.match_info["file_id"])
        if stored is None or stored.content is not None:
            return web.Response(status=404, text="Not Found")
        stored.content = await request.read()
        stored.size = len(stored.content)
        self._notify()
        return web.Response(text=f"OK - {stored.size}")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        stored = self.files.get(key.rsplit("-", 1)[-1])
        header = request.headers.get("Authorization", "")
        allowed = header == f"Bearer {self.bot_token}" and self.files_readable
        if not allowed:
            return web.Response(text=LOGIN_PAGE, content_type="text/html")
        if stored is None or stored.content is None or stored.hidden:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.content, content_type=stored.mimetype)
