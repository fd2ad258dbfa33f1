"""Why Slack was not reached, or refused us, in one line that names the setting to check."""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError

# Slack's answers that mean the token itself is wrong, not the network.
TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "team_access_not_granted",
    }
)
PROXY_SETTINGS = "HTTPS_PROXY/HTTP_PROXY/NO_PROXY"


def describe_slack_failure(exc: BaseException, *, token: str, api_url: str) -> str:
    """Say what failed and what to check; `token` names the setting whose token was sent.

    Only a refusal of the token names the token; a network failure or a server that is not
    Slack names SLACK_API_URL and the proxy settings. Proxy URLs never appear: they may carry
    credentials.
    """
    if isinstance(exc, SlackApiError):
        return _slack_answer(exc, token=token)
    if isinstance(exc, aiohttp.WSServerHandshakeError):
        return f"Slack refused the Socket Mode websocket (HTTP {exc.status})"
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return f"the proxy refused the connection (HTTP {exc.status}): check {PROXY_SETTINGS}"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return f"cannot reach the proxy at {exc.host}:{exc.port}: check {PROXY_SETTINGS}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or type(exc.os_error).__name__
        api_host = urlsplit(api_url).hostname
        setting = "SLACK_API_URL, " if exc.host == api_host else ""
        where = f"{setting}the network and {PROXY_SETTINGS}"
        return f"cannot reach {exc.host}:{exc.port} ({reason}): check {where}"
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return f"Slack did not answer in time: check the network and {PROXY_SETTINGS}"
    if isinstance(exc, aiohttp.ClientError | OSError):
        return f"the connection to Slack failed ({type(exc).__name__}): check the network"
    return f"unexpected {type(exc).__name__}"


def _slack_answer(exc: SlackApiError, *, token: str) -> str:
    response = exc.response
    data = response.data if isinstance(response.data, dict) else {}
    error = str(data.get("error") or "")
    if error in TOKEN_ERRORS:
        return f"Slack refused {token} ({error}): check {token}"
    if error:
        return f"Slack answered {error}"
    return (
        f"the server at SLACK_API_URL answered HTTP {response.status_code}, not Slack's API: "
        f"check SLACK_API_URL and {PROXY_SETTINGS}"
    )
