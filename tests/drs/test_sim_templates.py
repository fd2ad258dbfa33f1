"""The official SDK's template requests work against the simulator (AK/SK, UNSIGNED-PAYLOAD)."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.formdata import FormFile
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdrs.v5 import (
    DownloadDbObjectTemplateRequest,
    ShowDbObjectTemplateResultRequest,
    UploadDbObjectTemplateRequest,
    UploadDbObjectTemplateRequestBody,
)
from huaweicloudsdkdrs.v5 import DrsClient as SdkDrsClient
from openpyxl import load_workbook

from bot.drs.sim_jobs import SimJob
from bot.drs.sim_workbook import HEADER
from bot.drs.simulator import DrsSimulator
from tests.templates.helpers import xlsx

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "SDKTEMPLATEAK0000000", "sdk-template-secret"


def sdk(url: str, sk: str = SK) -> SdkDrsClient:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        SdkDrsClient.new_builder()
        .with_credentials(BasicCredentials(AK, sk, PROJECT))
        .with_endpoints([url])
        .with_http_config(config)
        .build()
    )


def download_template(url: str) -> bytes:
    response = sdk(url).download_db_object_template(
        DownloadDbObjectTemplateRequest(
            job_id=JOB, x_language="en-us", file_import_db_level="table"
        )
    )
    chunks: list[bytes] = []
    response.consume_download_stream(lambda stream: chunks.extend(stream.iter_content(65536)))
    return b"".join(chunks)


def upload(url: str, path: Path, sk: str = SK) -> object:
    body = UploadDbObjectTemplateRequestBody(file=FormFile(open(path, "rb")))  # noqa: SIM115
    request = UploadDbObjectTemplateRequest(
        job_id=JOB, x_language="en-us", file_import_db_level="table", body=body
    )
    try:
        return sdk(url, sk).upload_db_object_template(request)
    finally:
        body.file.close()


def result(url: str) -> bytes:
    response = sdk(url).show_db_object_template_result(
        ShowDbObjectTemplateResultRequest(job_id=JOB, x_language="en-us", type="detail")
    )
    chunks: list[bytes] = []
    response.consume_download_stream(lambda stream: chunks.extend(stream.iter_content(65536)))
    return b"".join(chunks)


async def test_official_sdk_round_trip(tmp_path: Path) -> None:
    sim = DrsSimulator([SimJob(JOB, [{}], step_seconds=0)], project_id=PROJECT, ak=AK, sk=SK)
    async with sim:
        blank = await asyncio.to_thread(download_template, sim.url)
        with zipfile.ZipFile(io.BytesIO(blank)) as archive:
            [name] = archive.namelist()
            assert name.endswith(".xlsx")
        filled = tmp_path / "orders.xlsx"
        filled.write_bytes(xlsx([list(HEADER), ["db", "orders", "db", "o"], ["db", "", "db", "x"]]))
        answer = await asyncio.to_thread(upload, sim.url, filled)
        assert answer.send_success is True  # type: ignore[attr-defined]
        assert sim.uploads[JOB] == filled.read_bytes()
        signed = sim.requests[-1].headers
        assert signed["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
        assert signed["Content-Type"].startswith("multipart/form-data")
        marked = load_workbook(io.BytesIO(await asyncio.to_thread(result, sim.url)))
        assert marked.worksheets[0].cell(row=3, column=5).value == "Table name is empty."


async def test_official_sdk_upload_refusals(tmp_path: Path) -> None:
    sim = DrsSimulator([SimJob(JOB, [{}], step_seconds=0)], project_id=PROJECT, ak=AK, sk=SK)
    async with sim:
        bad = tmp_path / "objects.json"
        bad.write_text("{not json")
        with pytest.raises(ClientRequestException) as refused:
            await asyncio.to_thread(upload, sim.url, bad)
        assert (refused.value.status_code, refused.value.error_code) == (400, "DRS.10000001")
        assert "not valid JSON" in refused.value.error_msg
        good = tmp_path / "good.json"
        good.write_text(json.dumps([{"source_table": "a"}]))
        with pytest.raises(ClientRequestException) as unsigned:
            await asyncio.to_thread(upload, sim.url, good, "wrong-secret")
        assert unsigned.value.status_code == 401
        assert sim.uploads == {}
