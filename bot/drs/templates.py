"""The three template APIs of a DRS job: blank template, upload of a filled one, import result."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from bot.clock import Clock, SystemClock
from bot.domain.progress import Progress
from bot.drs.client import LANGUAGES
from bot.drs.jobid import parse_job_id
from bot.drs.responses import error_from_response
from bot.drs.retry import DEFAULT, RetryPolicy, call_with_retry
from bot.drs.template_options import DOWNLOAD_LEVELS, MAPPINGS, RESULT_TYPES, UPLOAD_LEVELS
from bot.drs.transport import BODY_CAP
from bot.errors import (
    DownloadTooLarge,
    DrsError,
    DrsRejected,
    DrsUnavailable,
    InvalidOption,
    Throttled,
    UploadRefused,
    UploadUncertain,
)
from bot.templates.checks import TemplateFile

logger = logging.getLogger(__name__)

TEMPLATE_CAP = 10 * 1024 * 1024  # a blank template is a small zip
RESULT_CAP = 50 * 1024 * 1024  # a marked-up upload (<= 20 MB unpacked) or an export
# DRS may take its time to accept a 5 MB file; the read timeout covers its answer.
UPLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
_FILENAME_RE = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Download:
    """A file DRS sent: its bytes, the name DRS suggested (unchecked, may be None)."""

    content: bytes
    suggested_name: str | None
    content_type: str | None
    request_id: str | None


def choose(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    """`value` when DRS takes it (None stays None); InvalidOption naming the choices otherwise."""
    if value is None or value in allowed:
        return value
    shown = value if len(value) <= 40 and value.isprintable() else repr(value[:40])
    raise InvalidOption(f"{option} {shown} is not one DRS takes; use one of: {', '.join(allowed)}.")


def template_path(project_id: str, job_id: str, tail: str = "") -> str:
    return (
        f"/v5/{quote(project_id, safe='')}/jobs/{quote(job_id, safe='')}/db-object/template{tail}"
    )


def _suggested_name(response: httpx.Response) -> str | None:
    match = _FILENAME_RE.search(response.headers.get("Content-Disposition", ""))
    return match.group(1).strip() if match else None


class TemplateClient:
    """Blank template, upload and import result over the progress client's httpx client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        project_id: str,
        language: str = "en-us",
        retry: RetryPolicy = DEFAULT,
        clock: Clock | None = None,
        template_cap: int = TEMPLATE_CAP,
        result_cap: int = RESULT_CAP,
    ) -> None:
        self._http = http
        self.project_id = project_id
        self.language = language
        self.retry = retry
        self.clock: Clock = clock or SystemClock()
        self.template_cap, self.result_cap = template_cap, result_cap

    def _headers(self, language: str | None) -> dict[str, str]:
        lang = choose(language or self.language, LANGUAGES, "--lang")
        assert lang is not None
        return {"X-Language": lang}

    async def download_template(
        self, job_id: str, *, level: str | None = None, language: str | None = None
    ) -> Download:
        """The job's blank template (a zip); retried while DRS throttles or is unavailable."""
        job_id = parse_job_id(job_id)
        params = {"file_import_db_level": choose(level, DOWNLOAD_LEVELS, "--level") or "table"}
        headers = {"Content-Type": "application/json", **self._headers(language)}
        path = template_path(self.project_id, job_id)
        download = await self._download(path, params, headers, job_id, self.template_cap)
        if not download.content.startswith(b"PK"):
            raise DrsUnavailable(
                "DRS answered the template download with something that is not a zip.",
                status=200,
                request_id=download.request_id,
                job_id=job_id,
            )
        return download

    async def download_result(
        self,
        job_id: str,
        *,
        result_type: str | None = None,
        object_level: str | None = None,
        language: str | None = None,
    ) -> Download:
        """The import result; `detail` is the latest upload with its errors marked."""
        job_id = parse_job_id(job_id)
        params = {"type": choose(result_type, RESULT_TYPES, "--type") or "detail"}
        if choose(object_level, ("column",), "--object-level"):
            params["file_export_object_level"] = "column"
        headers = {"Content-Type": "application/json", **self._headers(language)}
        path = template_path(self.project_id, job_id, "/result")
        return await self._download(path, params, headers, job_id, self.result_cap)

    async def _download(
        self, path: str, params: dict[str, str], headers: dict[str, str], job_id: str, cap: int
    ) -> Download:
        async def once() -> Download:
            return await self._get_file(path, params, headers, job_id, cap)

        return await call_with_retry(once, policy=self.retry, clock=self.clock)

    async def _get_file(
        self, path: str, params: dict[str, str], headers: dict[str, str], job_id: str, cap: int
    ) -> Download:
        parts: list[bytes] = []
        total = 0
        try:
            request = self._http.build_request(
                "GET", path, params=params, headers=headers, extensions={BODY_CAP: cap}
            )
            response = await self._http.send(request, stream=True)
            try:
                if response.status_code != 200:
                    await response.aread()
                    raise error_from_response(response, job_id, self.clock.now())
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
                    if total > cap:
                        raise DownloadTooLarge(
                            f"DRS sent a file over {cap:,} bytes.",
                            status=200,
                            request_id=response.headers.get("X-Request-Id"),
                            job_id=job_id,
                        )
                    parts.append(chunk)
            finally:
                await response.aclose()
        except httpx.TimeoutException as exc:
            raise DrsUnavailable(
                f"DRS did not answer in time ({type(exc).__name__}).", job_id=job_id
            ) from exc
        except httpx.TransportError as exc:
            raise DrsUnavailable(
                f"Could not reach DRS ({type(exc).__name__}).", job_id=job_id
            ) from exc
        return Download(
            b"".join(parts),
            _suggested_name(response),
            response.headers.get("Content-Type"),
            response.headers.get("X-Request-Id"),
        )

    async def upload(
        self,
        job_id: str,
        checked: TemplateFile,
        content: bytes,
        *,
        level: str | None = None,
        mapping: str | None = None,
        language: str | None = None,
    ) -> Progress:
        """Upload a file that passed `check_template`; only throttling is retried (DRS did not
        take the request), never a timeout or a server error (it may have arrived)."""
        job_id = parse_job_id(job_id)
        params: dict[str, str] = {}
        if (chosen := choose(level, UPLOAD_LEVELS, "--level")) is not None:
            params["file_import_db_level"] = chosen
        if (chosen := choose(mapping, MAPPINGS, "--mapping")) is not None:
            params["file_import_mapping_type"] = chosen
        headers = self._headers(language)
        path = template_path(self.project_id, job_id)

        async def once() -> Progress:
            # A file object (not bytes) makes httpx send 64 KB chunks: no joined copy of the
            # file, no multi-megabyte socket buffer. BytesIO shares `content`, never copies it.
            files = {"file": (checked.name, io.BytesIO(content), checked.content_type)}
            try:
                return await self._post(path, params, headers, files, job_id)
            except Throttled:
                raise
            except DrsUnavailable as exc:
                raise UploadUncertain(
                    exc.message,
                    status=exc.status,
                    code=exc.code,
                    request_id=exc.request_id,
                    job_id=job_id,
                ) from exc

        return await call_with_retry(once, policy=self.retry, clock=self.clock)

    async def _post(
        self,
        path: str,
        params: dict[str, str],
        headers: dict[str, str],
        files: dict[str, tuple[str, io.BytesIO, str]],
        job_id: str,
    ) -> Progress:
        try:
            response = await self._http.post(
                path, params=params, headers=headers, files=files, timeout=UPLOAD_TIMEOUT
            )
        except httpx.TimeoutException as exc:
            raise DrsUnavailable(
                f"DRS did not answer the upload in time ({type(exc).__name__}).", job_id=job_id
            ) from exc
        except httpx.TransportError as exc:
            raise DrsUnavailable(
                f"The upload to DRS broke off ({type(exc).__name__}).", job_id=job_id
            ) from exc
        if response.status_code != 200:
            raise self._upload_error(response, job_id)
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise DrsUnavailable(
                "DRS answered the upload with a body that is not the documented JSON object.",
                status=200,
                request_id=response.headers.get("X-Request-Id"),
                job_id=job_id,
            )
        logger.info("uploaded a template for %s: %s", job_id, body)
        return Progress.from_body(job_id, body, self.clock.now())

    def _upload_error(self, response: httpx.Response, job_id: str) -> DrsError:
        error = error_from_response(response, job_id, self.clock.now())
        if response.status_code == 413 or (
            response.status_code == 400 and type(error) is DrsRejected
        ):
            message = error.message if error.message != error.default_message else None
            if response.status_code == 413 and message is None:
                message = "DRS refused the file as too large."
            return UploadRefused(
                message,
                status=error.status,
                code=error.code,
                request_id=error.request_id,
                job_id=job_id,
            )
        return error
