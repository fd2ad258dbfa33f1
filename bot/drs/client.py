"""The async DRS progress client: one typed query, DRS errors mapped onto bot.errors, retries."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from bot.clock import Clock, SystemClock
from bot.domain.commands import DEFAULT_LANGUAGE, Language
from bot.domain.details import JobDetails
from bot.domain.progress import Progress
from bot.drs.jobid import parse_job_id
from bot.drs.responses import KNOWN_CODES, error_from_response, outcome_of
from bot.drs.retry import DEFAULT, RetryPolicy, call_with_retry
from bot.drs.transport import error_from_transport
from bot.errors import (
    DrsError,
    DrsUnavailable,
    Endpoint,
)

logger = logging.getLogger(__name__)

LANGUAGES = tuple(lang.value for lang in Language)


_URL_CACHE_SIZE = 4096

# Told of every request sent: (outcome, DRS error code or None, seconds). `ok`, or the error
# class in snake case (`job_not_found`, `throttled`, `credentials_refused`, ...).
RequestObserver = Callable[[str, str | None, float], None]


def progress_path(project_id: str, job_id: str) -> str:
    """The API path; both segments percent-encoded even though the guard already vetted them."""
    return (
        f"/v5/{quote(project_id, safe='')}/jobs/{quote(job_id, safe='')}"
        "/db-object/template/progress"
    )


def details_path(project_id: str, job_id: str) -> str:
    """The job details API path (asked with `type=detail`)."""
    return f"/v5/{quote(project_id, safe='')}/jobs/{quote(job_id, safe='')}"


class DrsClient:
    """Queries the template-import progress of DRS jobs over an injected httpx client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        project_id: str,
        language: str = DEFAULT_LANGUAGE.value,
        retry: RetryPolicy = DEFAULT,
        clock: Clock | None = None,
        endpoint: Endpoint | None = None,
        observe: RequestObserver | None = None,
    ) -> None:
        self._http = http
        self.observe = observe
        self.endpoint = endpoint  # named in errors: host, the setting that chose it, credential
        self.project_id = project_id
        self.language = language
        self.retry = retry
        self.clock: Clock = clock or SystemClock()
        self._urls: dict[tuple[str, tuple[tuple[str, str], ...]], httpx.URL] = {}

    @property
    def http(self) -> httpx.AsyncClient:
        """The authenticated httpx client (the template APIs share it)."""
        return self._http

    async def query(
        self,
        job_id: str,
        *,
        job_type: str | None = None,
        language: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> Progress:
        """One progress query, retried while DRS is throttling or unavailable."""
        job_id = parse_job_id(job_id)  # defence in depth: callers should have done it already
        params: dict[str, str] = {}
        if offset is not None:
            if offset < 0:
                raise ValueError("offset must be >= 0")
            params["offset"] = str(offset)
        if limit is not None:
            params["limit"] = str(limit)
        if job_type:
            params["type"] = job_type
        lang = language or self.language
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        headers = {"Content-Type": "application/json", "X-Language": lang}
        path = progress_path(self.project_id, job_id)

        async def once() -> Progress:
            body = await self._get_json(path, params, headers, job_id, "progress")
            return Progress.from_body(job_id, body, self.clock.now())

        return await call_with_retry(once, policy=retry or self.retry, clock=self.clock)

    async def job_details(
        self, job_id: str, *, language: str | None = None, retry: RetryPolicy | None = None
    ) -> JobDetails:
        """The job's name, engines and direction; errors mapped as for the progress query."""
        job_id = parse_job_id(job_id)
        headers = {"Content-Type": "application/json", "X-Language": language or self.language}
        path = details_path(self.project_id, job_id)

        async def once() -> JobDetails:
            body = await self._get_json(path, {"type": "detail"}, headers, job_id, "details")
            return JobDetails.from_body(job_id, body)

        return await call_with_retry(once, policy=retry or self.retry, clock=self.clock)

    def _url(self, path: str, params: dict[str, str]) -> httpx.URL:
        """The absolute URL for a path and query, parsed once per job (the sweep asks again and
        again; httpx would otherwise re-parse and re-merge it on every request)."""
        key = (path, tuple(sorted(params.items())))
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            url = self._http.build_request("GET", path, params=params).url
            self._urls[key] = url
        return url

    async def _get_json(
        self,
        path: str,
        params: dict[str, str],
        headers: dict[str, str],
        job_id: str,
        what: str,
    ) -> dict[str, Any]:
        """GET a DRS JSON object, counted for the metrics when they are on."""
        if self.observe is None:
            return await self._exchange(path, params, headers, job_id, what)
        started = time.perf_counter()
        try:
            body = await self._exchange(path, params, headers, job_id, what)
        except DrsError as exc:
            code = exc.code if exc.code in KNOWN_CODES or not exc.code else "other"
            self.observe(outcome_of(exc), code, time.perf_counter() - started)
            raise
        self.observe("ok", None, time.perf_counter() - started)
        return body

    async def _exchange(
        self,
        path: str,
        params: dict[str, str],
        headers: dict[str, str],
        job_id: str,
        what: str,
    ) -> dict[str, Any]:
        """GET a DRS JSON object; any other answer raised as the error tree says."""
        try:
            response = await self._http.get(self._url(path, params), headers=headers)
        except httpx.TransportError as exc:
            raise error_from_transport(exc, endpoint=self.endpoint, job_id=job_id) from exc
        except DrsError as exc:  # from the credential (IAM login): it knows its own endpoint
            exc.endpoint = exc.endpoint or self.endpoint
            exc.job_id = exc.job_id or job_id
            raise
        now = self.clock.now()
        request_id = response.headers.get("X-Request-Id")
        if response.status_code != 200:
            error = error_from_response(response, job_id, now, endpoint=self.endpoint)
            logger.info(
                "%s query for %s failed: %s",
                what,
                job_id,
                error.describe(),
                extra={"job_id": job_id, "request_id": request_id},
            )
            raise error
        body = self._json_object(response, job_id, request_id)
        logger.debug(
            "%s %s: %s (request %s)",
            what,
            job_id,
            body,
            request_id,
            extra={"job_id": job_id, "request_id": request_id},
        )
        return body

    def _json_object(
        self, response: httpx.Response, job_id: str, request_id: str | None
    ) -> dict[str, Any]:
        """A 200's body as a JSON object; anything else is DRS not answering as documented."""
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise DrsUnavailable(
                "DRS answered with a body that is not the documented JSON object.",
                status=200,
                request_id=request_id,
                job_id=job_id,
                endpoint=self.endpoint,
            )
        return body

    async def aclose(self) -> None:
        """Close the httpx client (and a credential's own client, e.g. IAM login's)."""
        auth = getattr(self._http, "auth", None)
        closer = getattr(auth, "aclose", None)
        if closer is not None:
            await closer()
        await self._http.aclose()

    async def __aenter__(self) -> DrsClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
