"""SDK-HMAC-SHA256 signing as huaweicloudsdkcore does it; shared by the client and the simulator."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
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
