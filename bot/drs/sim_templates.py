"""The simulator's template APIs: blank template, multipart upload (DRS's limits), result file."""

from __future__ import annotations

import email.parser
import email.policy
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from bot.drs.sim_jobs import SimJob
from bot.drs.sim_workbook import HEADER, Parsed, blank_template, parse_upload, workbook_bytes
from bot.drs.template_options import DOWNLOAD_LEVELS, MAPPINGS, RESULT_TYPES, UPLOAD_LEVELS
from bot.errors import TemplateFileError
from bot.templates.checks import check_template

if TYPE_CHECKING:
    from bot.drs.simulator import DrsSimulator

# Bodies above this get the gateway's 413 (a 5 MB file plus the multipart framing fits).
MAX_BODY = 6 * 1024 * 1024
GENERIC = "DRS.10000001"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class SimUpload:
    """One accepted upload, as the simulator received it."""

    job_id: str
    filename: str
    content: bytes
    level: str | None
    mapping: str | None
    language: str | None


def _refuse(message: str) -> web.Response:
    return web.json_response(
        {"error_code": GENERIC, "error_msg": message},
        status=400,
        headers={"X-Request-Id": uuid.uuid4().hex},
    )


def _file(data: bytes, name: str, content_type: str) -> web.Response:
    headers = {
        "X-Request-Id": uuid.uuid4().hex,
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    return web.Response(body=data, content_type=content_type, headers=headers)


def form_file(content_type: str, body: bytes) -> tuple[str, bytes] | None:
    """(filename, bytes) of the multipart field `file`, or None."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return part.get_filename() or "upload", payload
    return None


class TemplateApi:
    """Routes and state for the three template APIs of a DrsSimulator."""

    def __init__(self, sim: DrsSimulator) -> None:
        self._sim = sim
        self.uploads: dict[str, bytes] = {}  # job ID -> the exact bytes of its last upload
        self.upload_log: list[SimUpload] = []
        self.parsed: dict[str, Parsed] = {}

    async def route(self, request: web.Request, parts: list[str]) -> web.StreamResponse | None:
        """Answer a template API request, or None when the path is not one of them."""
        if len(parts) not in (7, 8) or parts[:2] != ["", "v5"] or parts[3] != "jobs":
            return None
        if parts[5:7] != ["db-object", "template"]:
            return None
        tail = parts[7] if len(parts) == 8 else ""
        refused = await self._gate(request, parts[2], parts[4])
        if refused is not None:
            return refused
        job_id = parts[4]
        if tail == "" and request.method == "GET":
            return self._template(request)
        if tail == "" and request.method == "POST":
            return await self._upload(request, job_id)
        if tail == "result" and request.method == "GET":
            return self._result(request, job_id)
        return None

    async def _gate(self, request: web.Request, project: str, job_id: str) -> web.Response | None:
        sim, faults = self._sim, self._sim.faults
        if faults.take("unauthorized_next"):
            return sim._reply(401, {"error_code": "APIGW.0301", "error_msg": "Unauthorized"})
        refusal = await sim._refusal(request)
        if refusal is not None:
            return sim._reply(401, refusal)
        if faults.take("throttle_next"):
            return sim._reply(
                429,
                {"error_code": "APIGW.0308", "error_msg": "The throttling threshold is reached"},
                **{"Retry-After": f"{faults.retry_after:g}"},
            )
        if faults.take("fail_next"):
            return sim._reply(500, {"error_code": GENERIC, "error_msg": "System error."})
        if sim.project_id and project != sim.project_id:
            return sim._reply(
                403, {"error_code": "DRS.M00261", "error_msg": "The project ID is incorrect."}
            )
        if sim.job_in(project, job_id) is None:
            return sim._reply(
                400,
                {
                    "error_code": "DRS.10000010",
                    "error_msg": "Job does not exist, please check job ID.",
                },
            )
        return None

    def _template(self, request: web.Request) -> web.Response:
        level = request.query.get("file_import_db_level", "table")
        if level not in DOWNLOAD_LEVELS:
            return _refuse(f"Invalid file_import_db_level: {level[:40]}.")
        name, data = blank_template(level)
        return _file(data, name, "application/zip")

    async def _upload(self, request: web.Request, job_id: str) -> web.Response:
        query = request.query
        level, mapping = query.get("file_import_db_level"), query.get("file_import_mapping_type")
        if level is not None and level not in UPLOAD_LEVELS:
            return _refuse(f"Invalid file_import_db_level: {level[:40]}.")
        if mapping is not None and mapping not in MAPPINGS:
            return _refuse(f"Invalid file_import_mapping_type: {mapping[:40]}.")
        content_type = request.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return _refuse("The request must be multipart/form-data with a field named file.")
        found = form_file(content_type, await request.read())
        if found is None:
            return _refuse("The multipart form has no field named file.")
        filename, content = found
        try:
            check_template(filename, content)
        except TemplateFileError as exc:
            return _refuse(exc.problem)
        self._accept(
            job_id,
            SimUpload(job_id, filename, content, level, mapping, request.headers.get("X-Language")),
        )
        return self._sim._reply(200, {"send_success": True, "parsed_success_number": "0"})

    def _accept(self, job_id: str, upload: SimUpload) -> None:
        """Store the upload and restart the job's parse: 0 rows, half, then the outcome."""
        parsed = parse_upload(upload.filename, upload.content)
        self.uploads[job_id] = upload.content
        self.upload_log.append(upload)
        self.parsed[job_id] = parsed
        good = str(parsed.rows - len(parsed.rejected))
        steps = [
            {"send_success": True, "parsed_success_number": "0"},
            {"send_success": True, "parsed_success_number": str(int(good) // 2)},
            {"send_success": True, "process_status": parsed.status, "parsed_success_number": good},
        ]
        old = self._sim.jobs[job_id]
        self._sim.add_job(SimJob(job_id, steps, old.step_seconds, dict(old.details)))

    @property
    def _names(self) -> dict[str, str]:
        return {u.job_id: u.filename for u in self.upload_log}

    def _result(self, request: web.Request, job_id: str) -> web.Response:
        kind = request.query.get("type", "detail")
        if kind not in RESULT_TYPES:
            return _refuse(f"Invalid type: {kind[:40]}.")
        parsed = self.parsed.get(job_id)
        if parsed is None:
            return _refuse("No object import file has been uploaded for this job.")
        if kind == "detail":
            name = _SAFE_NAME.sub("_", self._names.get(job_id, "upload"))
            return _file(parsed.marked, f"result_{name}", "application/octet-stream")
        rows = parsed.accepted if kind == "synchronized" else []
        sheet = workbook_bytes(kind, HEADER, rows)
        return _file(sheet, f"result_{kind}.xlsx", "application/octet-stream")
