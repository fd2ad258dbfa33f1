"""Which proxy carries a request to a URL: HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for every client.

One reading of the variables for Slack (Web API and Socket Mode), DRS and IAM alike, because the
libraries underneath disagree: httpx ignores them once given a transport, aiohttp reads them only
with `trust_env` (and then also reads `~/.netrc`), slack_sdk reads HTTPS_PROXY/HTTP_PROXY for every
scheme and ignores NO_PROXY. None of them exempts 127.0.0.1 or localhost by default, and neither
does this: list them in NO_PROXY.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.config import Settings

# What slack_sdk reads from the environment by itself, in both spellings.
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
_SECURE = frozenset({"https", "wss"})
_PLAIN = frozenset({"http", "ws"})


@dataclass(frozen=True)
class Proxies:
    """Proxy URLs per scheme and the NO_PROXY exemptions; the URLs may carry credentials."""

    https: str | None = field(default=None, repr=False)
    http: str | None = field(default=None, repr=False)
    no_proxy: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Proxies:
        https, http = settings.https_proxy, settings.http_proxy
        return cls(
            https=https.get_secret_value() if https is not None else None,
            http=http.get_secret_value() if http is not None else None,
            no_proxy=settings.no_proxy or "",
        )

    def for_url(self, url: str) -> str | None:
        """The proxy for `url` (HTTPS_PROXY for https/wss, HTTP_PROXY for http/ws), or None."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        proxy = self.https if scheme in _SECURE else self.http if scheme in _PLAIN else None
        if proxy is None or self.exempt(parts.hostname or "", parts.port):
            return None
        return proxy

    def exempt(self, host: str, port: int | None = None) -> bool:
        """True when NO_PROXY names `host`: `*`, the host, a parent domain, or `host:port`."""
        host = host.lower().rstrip(".")
        for entry in self.no_proxy.lower().split(","):
            name = entry.strip().lstrip(".").strip("[]")
            if name == "*":
                return True
            if not name:
                continue
            if port is not None and name == f"{host}:{port}":
                return True
            if host == name or host.endswith("." + name):
                return True
        return False


def keep_proxies_to_ourselves(environ: MutableMapping[str, str]) -> None:
    """Remove the proxy variables from `environ` (the process's) once Settings have read them.

    slack_sdk falls back on HTTPS_PROXY/HTTP_PROXY whenever a client is given no proxy, and
    Bolt builds such clients itself (one per request, and one per response_url answer), so a
    host that NO_PROXY exempts would be proxied anyway. Without the variables, no proxy means
    a direct connection, as `Proxies` decided.
    """
    for name in PROXY_VARIABLES:
        environ.pop(name, None)
