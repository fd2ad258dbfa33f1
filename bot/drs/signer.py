"""SDK-HMAC-SHA256 signing as huaweicloudsdkcore does it; shared by the client and the simulator."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
CONTENT_SHA256 = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_AUTH_RE = re.compile(
    rf"^{ALGORITHM}\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$"
)


def _encode(text: str) -> str:
    return quote(text, safe="~")


def sdk_date(when: datetime) -> str:
    """X-Sdk-Date: basic ISO 8601 in UTC."""
    return when.astimezone(UTC).strftime(DATE_FORMAT)


def canonical_uri(raw_path: str) -> str:
    """Each segment percent-encoded (only `~` safe), always with a trailing slash."""
    path = raw_path.split("?", 1)[0]
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Decoded (key, value) pairs sorted by key then value, each encoded, joined by `&`."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(pairs))


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """A query string as the gateway reads it: `%XX` decoded, `+` kept as a plus sign."""
    pairs = []
    for part in raw_query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def canonical_request(
    method: str,
    raw_path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: list[str],
    body: bytes,
    *,
    content_sha256: str | None = None,
) -> str:
    """The six-line canonical request; `headers` keyed by lower-case name.

    `content_sha256` is the X-Sdk-Content-Sha256 header: when present it stands in for the
    hash of a non-empty body, as the official signer does (`UNSIGNED-PAYLOAD` for multipart).
    """
    lines = "".join(f"{name}:{headers[name].strip()}\n" for name in signed_headers)
    if not body:
        payload = EMPTY_HASH
    elif content_sha256:
        payload = content_sha256
    else:
        payload = hashlib.sha256(body).hexdigest()
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(query),
            lines,
            ";".join(signed_headers),
            payload,
        ]
    )


def unsigned_payload(content_type: str | None) -> bool:
    """The official signer leaves the body out for every content type but JSON and BSON."""
    return bool(content_type) and not str(content_type).startswith(
        ("application/json", "application/bson")
    )


def signature(secret_key: str, date: str, canonical: str) -> str:
    """hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\\n{date}\\n{hex(sha256(canonical))}"))."""
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    string_to_sign = f"{ALGORITHM}\n{date}\n{digest}"
    return hmac.new(secret_key.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(access_key: str, signed_headers: list[str], sig: str) -> str:
    names = ";".join(signed_headers)
    return f"{ALGORITHM} Access={access_key}, SignedHeaders={names}, Signature={sig}"


def parse_authorization(value: str) -> tuple[str, list[str], str] | None:
    """(access key, signed header names, signature) from an Authorization header, or None."""
    match = _AUTH_RE.match(value.strip())
    if not match:
        return None
    return match.group(1), match.group(2).split(";"), match.group(3).lower()


def _expired(date: str, now: datetime, max_skew: float | None) -> bool:
    if max_skew is None:
        return False
    try:
        when = datetime.strptime(date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return True
    return abs((now - when).total_seconds()) > max_skew


def verify(
    authorization_header: str,
    *,
    access_key: str,
    secret_key: str,
    method: str,
    raw_path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    max_skew: float | None = None,
) -> Literal["bad", "expired"] | None:
    """Check a signed request as the gateway does (`headers` looked up case-insensitively by
    the caller's mapping, the query decoded like the SDK): None when it is good."""
    parsed = parse_authorization(authorization_header)
    if parsed is None:
        return "bad"
    access, names, sig = parsed
    if access != access_key or "x-sdk-date" not in names or "host" not in names:
        return "bad"
    try:
        values = {name: headers[name] for name in names}
    except KeyError:
        return "bad"
    if _expired(values["x-sdk-date"], now, max_skew):
        return "expired"
    query = query_pairs(raw_path.partition("?")[2])
    canonical = canonical_request(
        method, raw_path, query, values, names, body, content_sha256=headers.get(CONTENT_SHA256)
    )
    expected = signature(secret_key, values["x-sdk-date"], canonical)
    return None if hmac.compare_digest(expected, sig) else "bad"
