"""TemplateClient over real HTTP against the simulator: the three APIs, errors, caps, signing."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from openpyxl import load_workbook
from pydantic import SecretStr

from bot.clock import FakeClock
from bot.drs.client import DrsClient
from bot.drs.credentials import AkSkAuth, IamPasswordAuth
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.drs.templates import TemplateClient, template_path
from bot.drs.transport import AiohttpTransport
from bot.errors import (
    CredentialsRefused,
    DownloadTooLarge,
    DrsRejected,
    DrsUnavailable,
    InvalidOption,
    JobNotFound,
    UploadRefused,
    UploadUncertain,
)
from bot.templates.checks import TemplateFile, check_template
from tests.templates.helpers import xlsx, zipped

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
OTHER = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "TEMPLATEAK0000000000", "template-secret-key"
FAST = RetryPolicy(base=0.01, cap=0.02)  # real but tiny waits: the simulator answers at once
HEADER = ["Source Database", "Source Table", "Target Database", "Target Table"]


@asynccontextmanager
async def running(
    sk: str = SK, **kwargs: int
) -> AsyncIterator[tuple[DrsSimulator, TemplateClient, DrsClient]]:
    sim = DrsSimulator(
        [SimJob(JOB, [{"send_success": False}], step_seconds=0)], project_id=PROJECT, ak=AK, sk=SK
    )
    async with sim:
        auth = AkSkAuth(SecretStr(AK), SecretStr(sk), project_id=PROJECT)
        http = httpx.AsyncClient(base_url=sim.url, auth=auth, transport=AiohttpTransport())
        drs = DrsClient(http, project_id=PROJECT, retry=FAST)
        async with drs:
            yield sim, TemplateClient(http, project_id=PROJECT, retry=FAST, **kwargs), drs


def test_multipart_signature_equals_official_sdk_signer() -> None:
    clock = FakeClock(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    auth = AkSkAuth(SecretStr(AK), SecretStr(SK), project_id=PROJECT, clock=clock)
    host = "drs.ap-southeast-1.myhuaweicloud.com"
    path = template_path(PROJECT, JOB)
    request = httpx.Request(
        "POST",
        f"https://{host}{path}",
        params={"file_import_db_level": "table"},
        headers={"X-Language": "en-us"},
        files={"file": ("o.json", b"[]", "application/json")},
    )
    request.read()
    auth.sign(request)
    assert request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    sdk = SdkRequest(
        method="POST",
        schema="https",
        host=host,
        resource_path=path,
        query_params=[("file_import_db_level", "table")],
        header_params={
            "Content-Type": request.headers["Content-Type"],
            "X-Language": "en-us",
            "X-Project-Id": PROJECT,
            "X-Sdk-Date": "20260304T050607Z",
        },
        body=request.content,
    )
    signed = Signer(BasicCredentials(AK, SK, PROJECT)).sign(sdk)
    assert signed.header_params["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert request.headers["Authorization"] == signed.header_params["Authorization"]
    assert "x-sdk-content-sha256" in request.headers["Authorization"]


async def test_round_trip_template_upload_parse_result() -> None:
    async with running() as (sim, templates, drs):
        blank = await templates.download_template(JOB, level="database")
        assert blank.suggested_name == "object_import_template_database.zip"
        with zipfile.ZipFile(io.BytesIO(blank.content)) as archive:
            [name] = archive.namelist()
            book = load_workbook(io.BytesIO(archive.read(name)))
        assert [c.value for c in book["objects"][1]] == HEADER
        assert sim.requests[-1].query == {"file_import_db_level": "database"}

        data = xlsx(
            [
                HEADER,
                ["db", "orders", "db", "orders"],
                ["db", "", "db", "x"],
                ["db", "bad name", "db", "y"],
            ]
        )
        progress = await templates.upload(
            JOB,
            check_template("orders.xlsx", data),
            data,
            level="table",
            mapping="table_mapping",
            language="zh-cn",
        )
        assert progress.send_success is True
        assert sim.uploads[JOB] == data  # the exact bytes arrived
        sent = sim.requests[-1]
        assert sent.query == {
            "file_import_db_level": "table",
            "file_import_mapping_type": "table_mapping",
        }
        assert sent.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
        assert sent.headers["X-Language"] == "zh-cn"
        assert sim.templates.upload_log[-1].filename == "orders.xlsx"

        phases = [(await drs.query(JOB)).phase.value for _ in range(3)]
        assert phases == ["parsing", "parsing", "failed"]
        assert (await drs.query(JOB)).parsed_success_number == 1

        result = await templates.download_result(JOB)
        marked = load_workbook(io.BytesIO(result.content))
        sheet = marked.worksheets[0]
        assert sheet.cell(row=1, column=5).value == "Error Reason"
        assert sheet.cell(row=3, column=5).value == "Table name is empty."
        assert "contains a space" in str(sheet.cell(row=4, column=5).value)
        assert sheet.cell(row=2, column=5).value is None
        synced = await templates.download_result(JOB, result_type="synchronized")
        rows = list(load_workbook(io.BytesIO(synced.content)).worksheets[0].values)
        assert rows[1] == ("db", "orders", "db", "orders")


async def test_json_zip_upload_that_passes_parses_to_success() -> None:
    document = json.dumps({"objects": [{"source_table": "a"}, {"source_table": "b"}]}).encode()
    data = zipped(("objects.json", document))
    async with running() as (_, templates, drs):
        await templates.upload(JOB, check_template("o.zip", data), data)
        last = [await drs.query(JOB) for _ in range(3)][-1]
        assert (last.phase.value, last.parsed_success_number) == ("succeeded", 2)
        result = await templates.download_result(JOB)
        with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
            assert "error_reason" not in archive.read("objects.json").decode()


async def test_unknown_job_bad_secret_and_no_upload_yet() -> None:
    async with running() as (sim, templates, _):
        with pytest.raises(JobNotFound):
            await templates.download_template(OTHER)
        with pytest.raises(JobNotFound):
            await templates.upload(OTHER, check_template("a.json", b"[]"), b"[]")
        with pytest.raises(DrsRejected, match="No object import file"):
            await templates.download_result(JOB)
    async with running(sk="wrong") as (sim, templates, _):
        with pytest.raises(CredentialsRefused):
            await templates.upload(JOB, check_template("a.json", b"[]"), b"[]")
        assert sim.uploads == {}


async def test_invalid_options_refused_before_sending() -> None:
    async with running() as (sim, templates, _):
        with pytest.raises(InvalidOption, match="table, database, partition"):
            await templates.download_template(JOB, level="column")
        with pytest.raises(InvalidOption, match="--mapping"):
            await templates.upload(JOB, check_template("a.json", b"[]"), b"[]", mapping="x")
        with pytest.raises(InvalidOption, match="--type"):
            await templates.download_result(JOB, result_type="everything")
        with pytest.raises(InvalidOption, match="--lang"):
            await templates.download_template(JOB, language="fr-fr")
        assert sim.requests == []


async def test_drs_limits_enforced_by_the_simulator() -> None:
    async with running() as (sim, templates, _):
        unchecked = TemplateFile("bad.json", ".json", 7)
        with pytest.raises(UploadRefused, match="not valid JSON") as refused:
            await templates.upload(JOB, unchecked, b"{nope}")
        assert refused.value.code == "DRS.10000001" and refused.value.request_id
        huge = b"[" + b"1," * (3 * 1024 * 1024) + b"1]"
        with pytest.raises(UploadRefused) as too_large:
            await templates.upload(JOB, TemplateFile("big.json", ".json", len(huge)), huge)
        assert too_large.value.status == 413
        assert sim.uploads == {}


async def test_upload_retries_throttling_but_never_a_server_error() -> None:
    async with running() as (sim, templates, _):
        sim.faults.throttle_next = 1
        await templates.upload(JOB, check_template("a.json", b"[]"), b"[]")
        assert sim.faults.fired == {"throttle_next": 1}
        assert len(sim.templates.upload_log) == 1
        sim.faults.fail_next = 1
        before = len(sim.requests)
        with pytest.raises(UploadUncertain) as uncertain:
            await templates.upload(JOB, check_template("a.json", b"[]"), b"[]")
        assert len(sim.requests) == before + 1
        assert f"drs-bot check {JOB}" in uncertain.value.user_message()


async def test_downloads_retry_and_are_capped() -> None:
    async with running(result_cap=1000) as (sim, templates, _):
        sim.faults.fail_next = 1
        assert (await templates.download_template(JOB)).content.startswith(b"PK")
        data = xlsx([HEADER, *[["db", f"t{i}", "db", "t"] for i in range(50)]])
        await templates.upload(JOB, check_template("o.xlsx", data), data)
        with pytest.raises(DownloadTooLarge, match="1,000 bytes"):
            await templates.download_result(JOB)


async def test_timeouts_and_non_zip_answers_through_plain_httpx() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, text="<html>login</html>")

    calls: list[str] = []

    def counting(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return handler(request)

    http = httpx.AsyncClient(base_url="https://drs.test", transport=httpx.MockTransport(counting))
    templates = TemplateClient(http, project_id=PROJECT, retry=FAST)
    with pytest.raises(UploadUncertain, match="did not answer the upload in time"):
        await templates.upload(JOB, check_template("a.json", b"[]"), b"[]")
    assert calls == ["POST"]
    with pytest.raises(DrsUnavailable, match="not a zip"):
        await templates.download_template(JOB)
    small = TemplateClient(http, project_id=PROJECT, retry=FAST, result_cap=5)
    with pytest.raises(DownloadTooLarge):
        await small.download_result(JOB)
    await http.aclose()


async def test_streamed_upload_resent_whole_after_an_iam_relogin() -> None:
    sim = DrsSimulator(
        [SimJob(JOB, [{"send_success": False}], step_seconds=0)],
        project_id=PROJECT,
        iam_users={"acme/ops": "pw"},
    )
    async with sim:
        auth = IamPasswordAuth(
            iam_url=sim.url,
            username="ops",
            password=SecretStr("pw"),
            domain="acme",
            project_id=PROJECT,
            http=httpx.AsyncClient(transport=AiohttpTransport()),
        )
        http = httpx.AsyncClient(base_url=sim.url, auth=auth, transport=AiohttpTransport())
        templates = TemplateClient(http, project_id=PROJECT, retry=FAST)
        data = json.dumps([{"source_table": f"t{i}"} for i in range(20_000)]).encode()
        sim.faults.unauthorized_next = 1  # the first token is voided mid-way
        await templates.upload(JOB, check_template("o.json", data), data)
        await auth.aclose()
        await http.aclose()
    assert auth.logins == 2
    assert sim.uploads[JOB] == data  # the multipart stream was sent again from its start
