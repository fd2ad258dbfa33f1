"""A file shared in Slack, as Slack describes it (from an event or `files.info`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SharedFile:
    """What the bot needs to fetch a file: its ID, name, announced size and download URL."""

    id: str
    name: str
    size: int
    url: str
    mimetype: str = ""

    @classmethod
    def from_slack(cls, item: dict[str, Any]) -> SharedFile | None:
        """The file Slack describes in `item`; None when it lacks what a download needs."""
        file_id, url = item.get("id"), item.get("url_private_download") or item.get("url_private")
        size = item.get("size")
        if not isinstance(file_id, str) or not isinstance(url, str) or not url:
            return None
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return None
        name = item.get("name") or item.get("title") or file_id
        return cls(file_id, str(name), size, url, str(item.get("mimetype") or ""))
