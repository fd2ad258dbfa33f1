"""DRS console links as people paste them: which job they name, and in which region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from bot.drs.jobid import job_ids_in

# The Huawei Cloud consoles (the app's unfurl domains): international, Chinese mainland, Europe.
CONSOLE_HOSTS = frozenset(
    {"console.huaweicloud.com", "console-intl.huaweicloud.com", "console.eu.huaweicloud.com"}
)
_REGION = re.compile(r"^[a-z]{2,5}(?:-[a-z0-9]{1,20}){1,3}$")


@dataclass(frozen=True)
class ConsoleLink:
    url: str
    job_id: str
    region: str | None  # None: the link does not say


def console_link(url: str) -> ConsoleLink | None:
    """The job a console URL names (query or fragment), or None for any other link.

    `https://console-intl.huaweicloud.com/drs/?region=ap-southeast-1#/drs/migration/detail?jobId=ID`
    and `https://console.huaweicloud.com/drs/?region=cn-north-4&id=ID#/list` both name `ID`.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in CONSOLE_HOSTS:
        return None
    found = job_ids_in(url)
    if not found:
        return None
    return ConsoleLink(url, found[0], _region_of(parts.query, parts.fragment))


def _region_of(query: str, fragment: str) -> str | None:
    fragment_query = fragment.split("?", 1)[1] if "?" in fragment else ""
    for key, value in parse_qsl(query) + parse_qsl(fragment_query):
        if key.lower() == "region" and _REGION.match(value.strip().lower()):
            return value.strip().lower()
    return None
