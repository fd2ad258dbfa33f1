"""What OAuth mode (installs in many workspaces) needs of SLACK_CLIENT_ID/SLACK_CLIENT_SECRET."""

from __future__ import annotations


def oauth_problems(client_id: str | None, has_secret: bool) -> list[str]:
    """What is missing for OAuth installs when one of SLACK_CLIENT_ID/SECRET is set."""
    if client_id and not has_secret:
        return [
            "SLACK_CLIENT_SECRET is not set: OAuth installs need it with SLACK_CLIENT_ID "
            "(Basic Information > App Credentials), or unset SLACK_CLIENT_ID."
        ]
    if has_secret and not client_id:
        return [
            "SLACK_CLIENT_ID is not set: OAuth installs need it with SLACK_CLIENT_SECRET "
            "(Basic Information > App Credentials), or unset SLACK_CLIENT_SECRET."
        ]
    return []
