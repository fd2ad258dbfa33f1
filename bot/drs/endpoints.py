"""DRS and IAM endpoints from a region (eu-west-101 lives under .myhuaweicloud.eu)."""

from __future__ import annotations

import re

_REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")
# Regions whose endpoints are not under myhuaweicloud.com (Huawei Cloud Europe).
_DOMAINS = {"eu-west-101": "myhuaweicloud.eu"}


def _domain(region: str) -> str:
    region = region.strip().lower()
    if not _REGION_RE.fullmatch(region):
        raise ValueError(
            f"{region!r} does not look like a Huawei Cloud region (e.g. ap-southeast-1)"
        )
    return f"{region}.{_DOMAINS.get(region, 'myhuaweicloud.com')}"


def drs_endpoint(region: str) -> str:
    """`https://drs.{region}.myhuaweicloud.com` (or `.eu`)."""
    return f"https://drs.{_domain(region)}"


def iam_endpoint(region: str) -> str:
    """`https://iam.{region}.myhuaweicloud.com` (or `.eu`)."""
    return f"https://iam.{_domain(region)}"
