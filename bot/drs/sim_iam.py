"""The simulator's IAM: password login (issues tokens) and the project listing by region."""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.drs.simulator import DrsSimulator

_STAMP = "%Y-%m-%dT%H:%M:%S.000000Z"


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


class IamApi:
    """`POST /v3/auth/tokens` and `GET /v3/projects?name=REGION` for one simulator.

    `projects` maps region names to project IDs (what IAM lists); a login may be scoped to one
    of those projects, to the simulator's own project, or to the account (domain).
    """

    def __init__(self, sim: DrsSimulator, projects: dict[str, str] | None = None) -> None:
        self._sim = sim
        self.projects = dict(projects or {})
        self.listings: list[str] = []  # the region names asked for, in order

    def route(self, request: web.Request, path: str) -> bool:
        return path.rstrip("/") in ("/v3/auth/tokens", "/v3/projects")

    async def handle(self, request: web.Request, path: str) -> web.Response:
        if request.method == "POST" and path.rstrip("/") == "/v3/auth/tokens":
            return await self.login(request)
        if request.method == "GET" and path.rstrip("/") == "/v3/projects":
            return await self.list_projects(request)
        return self._sim._reply(405, _error(405, "Method not allowed"))

    def _scope_ok(self, scope: dict[str, Any]) -> bool:
        project = scope.get("project", {}).get("id") if "project" in scope else None
        if project is None:
            return "domain" in scope  # an account-scoped token (lists projects)
        if project in self.projects.values():
            return True
        return not self._sim.project_id or project == self._sim.project_id

    async def login(self, request: web.Request) -> web.Response:
        sim = self._sim
        try:
            body = json.loads(await request.read())
            sim.iam_logins.append(body)
            user = body["auth"]["identity"]["password"]["user"]
            name, password = str(user["name"]), str(user["password"])
            domain = str(user.get("domain", {}).get("name", ""))
            scope = dict(body["auth"].get("scope", {}))
        except (ValueError, KeyError, TypeError, AttributeError):
            return sim._reply(400, _error(400, "Invalid request body"))
        known = sim.iam_users.get(f"{domain}/{name}", sim.iam_users.get(name))
        if known is None or not hmac.compare_digest(known, password):
            return sim._reply(401, _error(401, "The username or password is wrong."))
        if not self._scope_ok(scope):
            return sim._reply(400, _error(400, "Project scope invalid."))
        token = f"sim-iam-{uuid.uuid4().hex}"
        sim.issued_tokens.add(token)
        now = sim.clock.now()
        answer = {
            "token": {
                "methods": ["password"],
                "issued_at": now.strftime(_STAMP),
                "expires_at": (now + timedelta(hours=24)).strftime(_STAMP),
                "project": {"id": scope.get("project", {}).get("id")},
                "user": {"name": name, "domain": {"name": domain}},
            }
        }
        return sim._reply(201, answer, **{"X-Subject-Token": token})

    async def list_projects(self, request: web.Request) -> web.Response:
        """Keystone's listing, filtered by `name` as the SDK asks it (token or AK/SK)."""
        sim = self._sim
        refusal = await sim._refusal(request)
        if refusal is not None:
            return sim._reply(401, refusal)
        name = request.query.get("name")
        self.listings.append(name or "")
        projects = [
            {"id": pid, "name": region, "enabled": True, "domain_id": "sim-domain"}
            for region, pid in self.projects.items()
            if name is None or region == name
        ]
        return sim._reply(200, {"projects": projects, "links": {"self": str(request.url)}})
