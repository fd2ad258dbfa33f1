"""DRS answers that are not a progress, mapped onto the error tree (codes win over statuses)."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from bot.errors import (
    CredentialsRefused,
    DrsError,
    DrsRejected,
    DrsUnavailable,
    Endpoint,
    JobNotFound,
    NotDrs,
    Throttled,
)

NOT_FOUND_CODES = frozenset({"DRS.10000010", "DRS.M00289", "DRS.M05003", "DRS.M05004"})
REFUSED_CODES = frozenset(
    {"APIGW.0301", "APIG.0301", "DRS.M00100", "DRS.M00102", "DRS.M00103", "DRS.M00261"}
)
THROTTLED_CODES = frozenset({"APIGW.0308", "APIG.0308", "DRS.M01503"})
# The gateway knows no such API: the endpoint is some other service.
NO_API_CODES = frozenset({"APIGW.0101", "APIG.0101"})

# Codes reported as they are; any other is `other` (a label per unknown code would let a
# misbehaving endpoint grow the metrics without bound).
KNOWN_CODES = NOT_FOUND_CODES | REFUSED_CODES | THROTTLED_CODES | NO_API_CODES | {"DRS.10000001"}


def outcome_of(error: DrsError) -> str:
    """`JobNotFound` -> `job_not_found`: the error kind as a metric label."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def error_fields(body: Any) -> tuple[str | None, str | None]:
    """(code, message) from any of the three error-body shapes the official SDK reads."""
    if not isinstance(body, dict):
        return None, None
    for code_key, msg_key in (
        ("error_code", "error_msg"),
        ("code", "message"),
        ("errorCode", "errorMsg"),
    ):
        if code_key in body or msg_key in body:
            code, msg = body.get(code_key), body.get(msg_key)
            return (str(code) if code is not None else None, str(msg) if msg is not None else None)
    # Some gateways nest it: {"error": {"code": ..., "message": ...}}
    inner = body.get("error")
    if isinstance(inner, dict):
        return error_fields(inner)
    return None, None


def error_code(response: httpx.Response) -> str | None:
    """The DRS error code of an answer already read, or None (no body, not JSON, unread)."""
    try:
        return error_fields(response.json())[0]
    except (ValueError, httpx.ResponseNotRead):
        return None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date (relative to `now`)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def error_from_response(
    response: httpx.Response, job_id: str, now: datetime, *, endpoint: Endpoint | None = None
) -> DrsError:
    """Map a non-200 answer onto the error tree (codes win over bare statuses)."""
    status = response.status_code
    request_id = response.headers.get("X-Request-Id")
    try:
        body = response.json()
    except ValueError:
        body = None
    code, message = error_fields(body)
    kwargs: dict[str, Any] = {
        "status": status,
        "code": code,
        "request_id": request_id,
        "job_id": job_id,
        "endpoint": endpoint,
    }
    if code in NOT_FOUND_CODES:
        return JobNotFound(message, **kwargs)
    if status == 429 or code in THROTTLED_CODES:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
        return Throttled(message, retry_after=retry_after, **kwargs)
    if status in (401, 403) or code in REFUSED_CODES:
        return CredentialsRefused(message, **kwargs)
    if status >= 500:
        return DrsUnavailable(message, **kwargs)
    if code in NO_API_CODES or (code is None and (status == 404 or not isinstance(body, dict))):
        return NotDrs(message, **kwargs)
    return DrsRejected(message, **kwargs)
