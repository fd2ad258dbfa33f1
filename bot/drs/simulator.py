"""A local DRS (and IAM login) stand-in: a real HTTP server speaking the progress API.

A library: tests, the sandbox and benchmarks start it in-process on an ephemeral port;
`bot.drs.sim_cli` wraps it as the `drs-bot simulator` command.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, timedelta
from email.utils import format_datetime
from types import TracebackType
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.drs import signer
from bot.drs.sim_details import detail_body, is_details_path
from bot.drs.sim_iam import IamApi
from bot.drs.sim_jobs import Faults, SimJob
from bot.drs.sim_templates import MAX_BODY, TemplateApi

logger = logging.getLogger(__name__)

NOT_FOUND = {"error_code": "DRS.10000010", "error_msg": "Job does not exist, please check job ID."}
BAD_PROJECT = {"error_code": "DRS.M00261", "error_msg": "The project ID is incorrect."}
UNAUTHORIZED = {
    "error_code": "APIGW.0301",
    "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
}
BAD_TOKEN = {
    "error_code": "APIGW.0301",
    "error_msg": "Incorrect IAM authentication information: decrypt token fail",
}
SKEWED = {
    "error_code": "APIGW.0301",
    "error_msg": "Incorrect IAM authentication information: calc ak sk signature fail:"
    "signature expired",
}


@dataclass(frozen=True)
class SimRequest:
    """What arrived, for assertions."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float = 0.0  # when it arrived, on the simulator's clock (monotonic seconds)


class DrsSimulator:
    """Serves the progress API for `jobs` on host:port (port 0 = ephemeral); async context manager.

    Accepts every credential it is given at once: the token, AK/SK signatures (verified with the
    SDK's algorithm) and tokens it issued through IAM password login. With none, it accepts all.
    """

    def __init__(
        self,
        jobs: list[SimJob],
        *,
        project_id: str | None = None,
        token: str | None = None,
        ak: str | None = None,
        sk: str | None = None,
        iam_users: dict[str, str] | None = None,
        iam_projects: dict[str, str] | None = None,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        max_clock_skew: float | None = None,
    ) -> None:
        self.jobs: dict[str, SimJob] = {j.job_id: j for j in jobs}
        self.project_id = project_id
        self.token = token
        self.ak, self.sk = ak, sk
        # name -> password, or "domain/name" -> password to pin the account too
        self.iam_users = dict(iam_users or {})
        self.clock: Clock = clock or SystemClock()
        self.host, self.port = host, port
        self.max_clock_skew = max_clock_skew  # the real gateway allows 15 min (900 s)
        self.faults = Faults()
        # Seconds added to the Date header of every answer: a gateway whose clock is off.
        self.date_offset = 0.0
        self.calls: dict[str, int] = {}
        self.requests: list[SimRequest] = []
        self.iam_logins: list[dict[str, Any]] = []
        self.issued_tokens: set[str] = set()
        self._first_seen: dict[str, float] = {}
        self._answered: dict[str, int] = {}  # 200 answers per job (faulted ones do not move it)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.iam = IamApi(self, iam_projects)  # login; project listing: region -> project ID
        self.templates = TemplateApi(self)  # blank template, upload, import result
        self.uploads = self.templates.uploads  # job ID -> exact bytes of its last upload

    # ---- jobs -----------------------------------------------------------------------------

    def add_job(self, job: SimJob) -> None:
        self.jobs[job.job_id] = job
        self._first_seen.pop(job.job_id, None)
        self._answered.pop(job.job_id, None)

    def remove_job(self, job_id: str) -> None:
        """The job is deleted: from now on it answers 400 DRS.10000010."""
        self.jobs.pop(job_id, None)

    def job_in(self, project: str, job_id: str) -> SimJob | None:
        """The job, unless it carries a `project_id` other than `project` (another region's)."""
        job = self.jobs.get(job_id)
        if job is None or job.details.get("project_id", project) != project:
            return None
        return job

    @property
    def open_auth(self) -> bool:
        return not (self.token or (self.ak and self.sk) or self.iam_users)

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        app.on_response_prepare.append(self._date)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://{self.host}:{self.port}"
        logger.info("DRS simulator on %s with %d jobs", self.url, len(self.jobs))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DrsSimulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- HTTP -----------------------------------------------------------------------------

    async def _date(self, _request: web.Request, response: web.StreamResponse) -> None:
        if not self.date_offset:
            return  # aiohttp's own Date
        when = self.clock.now() + timedelta(seconds=self.date_offset)
        response.headers["Date"] = format_datetime(when.astimezone(UTC), usegmt=True)

    def _reply(self, status: int, body: Any, **headers: str) -> web.Response:
        hdrs = {"X-Request-Id": uuid.uuid4().hex, **headers}
        return web.json_response(body, status=status, headers=hdrs)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.raw_path.split("?", 1)[0]
        logger.debug("%s %s", request.method, request.raw_path)
        self.requests.append(
            SimRequest(
                request.method,
                path,
                dict(request.query),
                dict(request.headers),
                self.clock.monotonic(),
            )
        )
        parts = path.split("/")
        if self.iam.route(request, path):
            return await self.iam.handle(request, path)
        if (
            request.method == "GET"
            and len(parts) == 8
            and parts[:2] == ["", "v5"]
            and parts[3] == "jobs"
            and parts[5:] == ["db-object", "template", "progress"]
        ):
            return await self._progress(request, unquote(parts[2]), unquote(parts[4]))
        if is_details_path(request.method, parts):
            return await self._details(request, unquote(parts[2]), unquote(parts[4]))
        templates = await self.templates.route(request, [unquote(p) for p in parts])
        if templates is not None:
            return templates
        return self._reply(404, {"error_code": "APIGW.0101", "error_msg": "API not found"})

    async def _progress(self, request: web.Request, project: str, job_id: str) -> web.Response:
        self.calls[job_id] = self.calls.get(job_id, 0) + 1
        faults = self.faults
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)  # real time: this is the network being slow
        if faults.holds("refuse_credentials"):
            return self._reply(401, UNAUTHORIZED)
        if faults.holds("down"):
            return self._reply(500, {"error_code": "DRS.10000001", "error_msg": "System error."})
        if faults.take("unauthorized_next"):
            return self._reply(401, UNAUTHORIZED)
        refusal = await self._refusal(request)
        if refusal is not None:
            return self._reply(401, refusal)
        if faults.take("throttle_next"):
            return self._reply(
                429,
                {
                    "error_code": "APIGW.0308",
                    "error_msg": "The throttling threshold has been reached",
                },
                **{"Retry-After": f"{faults.retry_after:g}"},
            )
        if faults.take("fail_next"):
            return self._reply(500, {"error_code": "DRS.10000001", "error_msg": "System error."})
        if faults.take("garbage_next"):
            return web.Response(status=200, text="<html>502 Bad Gateway</html>")
        if self.project_id and project != self.project_id:
            return self._reply(403, BAD_PROJECT)
        job = self.job_in(project, job_id)
        if job is None:
            return self._reply(400, NOT_FOUND)
        now = self.clock.monotonic()
        first = self._first_seen.setdefault(job_id, now)
        answered = self._answered[job_id] = self._answered.get(job_id, 0) + 1
        return self._reply(200, job.step_at(now - first, answered))

    async def _details(self, request: web.Request, project: str, job_id: str) -> web.Response:
        """The job details API: the credentials and project are checked as for progress."""
        if self.faults.holds("details_down"):
            return self._reply(500, {"error_code": "DRS.10000001", "error_msg": "System error."})
        refusal = await self._refusal(request)
        if refusal is not None:
            return self._reply(401, refusal)
        if self.project_id and project != self.project_id:
            return self._reply(403, BAD_PROJECT)
        job = self.job_in(project, job_id)
        if job is None:
            return self._reply(400, NOT_FOUND)
        return self._reply(200, detail_body(job))

    async def _refusal(self, request: web.Request) -> dict[str, str] | None:
        """The gateway's 401 body for these credentials, or None when they are good."""
        if self.open_auth:
            return None
        token = request.headers.get("X-Auth-Token")
        if token is not None:
            if self.token and hmac.compare_digest(token, self.token):
                return None
            return None if token in self.issued_tokens else BAD_TOKEN
        auth = request.headers.get("Authorization")
        if auth and self.ak and self.sk:
            return await self._signature_refusal(request, auth)
        return UNAUTHORIZED

    async def _signature_refusal(self, request: web.Request, auth: str) -> dict[str, str] | None:
        assert self.ak is not None and self.sk is not None
        verdict = signer.verify(
            auth,
            access_key=self.ak,
            secret_key=self.sk,
            method=request.method,
            raw_path=request.raw_path,
            headers=request.headers,
            body=await request.read(),
            now=self.clock.now(),
            max_skew=self.max_clock_skew,
        )
        if verdict is None:
            return None
        return SKEWED if verdict == "expired" else UNAUTHORIZED
