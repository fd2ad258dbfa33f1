"""A region's project ID from IAM (`GET /v3/projects?name=REGION`), as the official SDK finds it."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.drs.transport import error_from_transport
from bot.errors import CredentialsRefused, DrsError, DrsRejected, DrsUnavailable, Endpoint, NotDrs

log = logging.getLogger(__name__)


def projects_url(iam_url: str) -> str:
    """IAM's project listing; the endpoint may be given bare or ending in /v3."""
    return iam_url.rstrip("/").removesuffix("/v3") + "/v3/projects"


async def discover_project(
    http: httpx.AsyncClient, *, iam_url: str, region: str, endpoint: Endpoint | None
) -> str:
    """The ID of the project named `region` (each region has one), asked of IAM once."""
    try:
        response = await http.get(
            projects_url(iam_url),
            params={"name": region},
            headers={"Content-Type": "application/json"},
        )
    except httpx.TransportError as exc:
        raise error_from_transport(exc, endpoint=endpoint) from exc
    except DrsError as exc:  # the IAM login of the credential failed: it names its endpoint
        exc.endpoint = exc.endpoint or endpoint
        raise
    request_id = response.headers.get("X-Request-Id")
    status = response.status_code
    if status in (401, 403):
        raise CredentialsRefused(
            f"IAM refused to list the projects of region {region}.",
            status=status,
            request_id=request_id,
            endpoint=endpoint,
        )
    if status == 404:
        raise NotDrs(status=404, request_id=request_id, endpoint=endpoint)
    if status != 200:
        raise DrsUnavailable(
            f"IAM did not list the projects of region {region}.",
            status=status,
            request_id=request_id,
            endpoint=endpoint,
        )
    project = _project_named(_json(response), region)
    if project is None:
        raise DrsRejected(
            f"IAM knows no project named {region}: check the region's name in DRS_REGIONS, "
            f"or give its project ID as DRS_PROJECTS={region}:PROJECT_ID.",
            status=status,
            request_id=request_id,
            endpoint=endpoint,
        )
    log.info("region %s: project %s (discovered through IAM)", region, project)
    return project


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _project_named(body: Any, region: str) -> str | None:
    """The first listed project whose name is exactly the region's (as the SDK picks it)."""
    projects = body.get("projects") if isinstance(body, dict) else None
    if not isinstance(projects, list):
        return None
    for item in projects:
        if isinstance(item, dict) and item.get("name") == region and item.get("id"):
            return str(item["id"])
    return None
