"""DRS_REGIONS, DRS_PROJECTS and DRS_ENDPOINTS: parsed and checked, each problem with its fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import SecretStr

_REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")
_PROJECT_RE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
REGIONS_EXAMPLE = "DRS_REGIONS=ap-southeast-1,ap-southeast-3"
PROJECTS_EXAMPLE = "DRS_PROJECTS=ap-southeast-1:0123456789abcdef0123456789abcdef"
ENDPOINTS_EXAMPLE = "DRS_ENDPOINTS=ap-southeast-1=https://drs.ap-southeast-1.myhuaweicloud.com"


class RegionSettings(Protocol):
    """The settings this module reads (bot.config.Settings has them)."""

    @property
    def drs_regions(self) -> str | None: ...
    @property
    def drs_projects(self) -> str | None: ...
    @property
    def drs_endpoints(self) -> str | None: ...
    @property
    def drs_region(self) -> str | None: ...
    @property
    def drs_project_id(self) -> str | None: ...
    @property
    def drs_endpoint(self) -> str | None: ...
    @property
    def drs_auth_token(self) -> SecretStr | None: ...


@dataclass(frozen=True)
class RegionPlan:
    """Which regions to serve: the default first; project IDs and endpoints where given."""

    names: tuple[str, ...]
    projects: dict[str, str] = field(default_factory=dict)
    endpoints: dict[str, str] = field(default_factory=dict)

    @property
    def default(self) -> str:
        return self.names[0]

    @property
    def several(self) -> bool:
        return len(self.names) > 1


def _items(raw: str | None) -> list[str]:
    return [p.strip() for p in (raw or "").split(",") if p.strip()]


def _regions(s: RegionSettings, problems: list[str]) -> list[str]:
    names: list[str] = []
    for name in _items(s.drs_regions):
        name = name.lower()
        if not _REGION_RE.fullmatch(name):
            problems.append(
                f"DRS_REGIONS: {name!r} is not a Huawei Cloud region: list regions separated "
                f"by commas, e.g. {REGIONS_EXAMPLE}."
            )
        elif name not in names:
            names.append(name)
    region = (s.drs_region or "").lower()
    if region and names and region not in names:
        problems.append(
            f"DRS_REGION={region!r} is not one of DRS_REGIONS ({', '.join(names)}): add it to "
            "DRS_REGIONS or unset DRS_REGION (the first of DRS_REGIONS is then the default)."
        )
    if region in names:  # the default region comes first
        names.remove(region)
        names.insert(0, region)
    return names


def _pairs(
    raw: str | None, sep: str, setting: str, example: str, problems: list[str]
) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in _items(raw):
        region, found, value = item.partition(sep)
        region, value = region.strip().lower(), value.strip()
        if not found or not region or not value:
            problems.append(
                f"{setting}: {item[:40]!r} is not region{sep}value: write it as {example}."
            )
            continue
        pairs[region] = value
    return pairs


def _check_pairs(
    pairs: dict[str, str], names: list[str], setting: str, problems: list[str]
) -> None:
    for region in pairs:
        if region not in names:
            problems.append(
                f"{setting} names {region!r}, which is not served: add it to DRS_REGIONS "
                f"({', '.join(names) or 'unset'}) or remove it from {setting}."
            )


def plan_regions(s: RegionSettings) -> tuple[RegionPlan | None, list[str]]:
    """The regions to serve (None: the one-region form, DRS_REGION alone) and every problem."""
    problems: list[str] = []
    names = _regions(s, problems)
    projects = _pairs(s.drs_projects, ":", "DRS_PROJECTS", PROJECTS_EXAMPLE, problems)
    endpoints = _pairs(s.drs_endpoints, "=", "DRS_ENDPOINTS", ENDPOINTS_EXAMPLE, problems)
    for region, project in projects.items():
        if not _PROJECT_RE.fullmatch(project):
            problems.append(
                f"DRS_PROJECTS: the project ID for {region} is not a project ID (letters, "
                "digits, - and _): copy it from My Credentials > API Credentials."
            )
    for region, url in endpoints.items():
        if not url.startswith(("https://", "http://")):
            problems.append(
                f"DRS_ENDPOINTS: the endpoint for {region} must be an http(s):// URL, "
                f"e.g. {ENDPOINTS_EXAMPLE}."
            )
    if not names:
        if projects or endpoints:
            given = "DRS_PROJECTS" if projects else "DRS_ENDPOINTS"
            problems.append(
                f"{given} is set without DRS_REGIONS: list the regions to serve, "
                f"e.g. {REGIONS_EXAMPLE}."
            )
        return None, problems
    _check_pairs(projects, names, "DRS_PROJECTS", problems)
    _check_pairs(endpoints, names, "DRS_ENDPOINTS", problems)
    if s.drs_project_id:  # the one-region form's project belongs to the default region
        projects.setdefault(names[0], s.drs_project_id)
    if s.drs_endpoint:
        endpoints.setdefault(names[0], s.drs_endpoint.strip())
    problems += _token_problems(s, names, projects)
    return RegionPlan(tuple(names), projects, endpoints), problems


def _token_problems(s: RegionSettings, names: list[str], projects: dict[str, str]) -> list[str]:
    if s.drs_auth_token is None:
        return []
    if len(names) > 1:
        return [
            f"DRS_AUTH_TOKEN is scoped to one project, so it serves one region, but DRS_REGIONS "
            f"names {len(names)} ({', '.join(names)}): for several regions use AK/SK "
            "(HUAWEICLOUD_SDK_AK/SK) or IAM login (IAM_USERNAME, IAM_PASSWORD, IAM_DOMAIN) "
            "instead of the token, or keep one region in DRS_REGIONS."
        ]
    return []
