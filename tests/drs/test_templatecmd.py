"""`drs-bot template`, `upload`, `result` run as subprocesses against the simulator."""

from __future__ import annotations

import asyncio
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.drs.sim_jobs import SimJob
from bot.drs.sim_workbook import HEADER
from bot.drs.simulator import DrsSimulator
from tests.drs.test_checkcmd import _OURS, Result, drs_bot, run_cli
from tests.templates.helpers import xlsx, zipped

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
OTHER = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "CMDTEMPLATEAK0000000", "cmd-template-secret"


def simulator() -> DrsSimulator:
    return DrsSimulator(
        [SimJob(JOB, [{"send_success": False}], step_seconds=0)],
        project_id=PROJECT,
        token="tok-secret",
        ak=AK,
        sk=SK,
        iam_users={"acme/ops": "iam-pw"},
    )


def credentials(kind: str, url: str) -> dict[str, str]:
    env = {"DRS_ENDPOINT": url, "DRS_PROJECT_ID": PROJECT, "POLL_INTERVAL_SECONDS": "1"}
    if kind == "token":
        return {**env, "DRS_AUTH_TOKEN": "tok-secret"}
    if kind == "aksk":
        return {**env, "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
    return {
        **env,
        "IAM_USERNAME": "ops",
        "IAM_PASSWORD": "iam-pw",
        "IAM_DOMAIN": "acme",
        "IAM_ENDPOINT": url,
    }


@pytest.mark.parametrize("kind", ["token", "aksk", "iam"])
async def test_round_trip_with_each_credential_kind(kind: str, tmp_path: Path) -> None:
    blank, result = tmp_path / "blank.zip", tmp_path / "result.xlsx"
    filled = tmp_path / "orders.xlsx"
    filled.write_bytes(xlsx([list(HEADER), ["db", "orders", "db", "o"], ["db", "", "db", "x"]]))
    async with simulator() as sim:
        env = credentials(kind, sim.url)
        got = await run_cli("template", JOB, "-o", str(blank), "--level", "partition", env=env)
        sent = await run_cli("upload", JOB, str(filled), "--mapping", "topic_mapping", env=env)
        for _ in range(3):  # the simulator moves one step per progress query
            await run_cli("check", JOB, env=env)
        fetched = await run_cli("result", JOB, "-o", str(result), env=env)
    assert (got.code, sent.code, fetched.code) == (0, 0, 0), got.err + sent.err + fetched.err
    assert f"Saved the blank template to {blank}" in got.out
    with zipfile.ZipFile(blank) as archive:
        assert archive.namelist() == ["object_import_template_partition.xlsx"]
    assert sent.out.startswith("Uploaded orders.xlsx (")
    assert sim.uploads[JOB] == filled.read_bytes()
    assert sim.templates.upload_log[0].mapping == "topic_mapping"
    assert "1 rows carry an error reason" in fetched.out
    assert "row 3: Table name is empty." in fetched.out
    book = load_workbook(io.BytesIO(result.read_bytes()))
    assert book.worksheets[0].cell(row=1, column=5).value == "Error Reason"


async def test_upload_watch_follows_the_parse_to_its_end(tmp_path: Path) -> None:
    good = tmp_path / "objects.zip"
    good.write_bytes(zipped(("objects.json", json.dumps([{"source_table": "a"}]).encode())))
    async with simulator() as sim:
        r = await run_cli("upload", JOB, str(good), "--watch", env=credentials("aksk", sim.url))
    assert r.code == 0, r.err
    assert r.out.splitlines()[-1].startswith(f"{JOB}: succeeded · 1 rows parsed")


async def test_result_default_name_from_the_detected_type(tmp_path: Path) -> None:
    doc = tmp_path / "o.json"
    doc.write_text(json.dumps([{"source_table": "a b"}]))
    async with simulator() as sim:
        env = credentials("token", sim.url)
        await run_cli("upload", JOB, str(doc), env=env)
        r = await run_in(tmp_path, "result", JOB, "--type", "detail", env=env)
    assert r.code == 0, r.err
    assert (tmp_path / f"{JOB}-result-detail.json").is_file()
    assert "row 1: Table name 'a b' contains a space." in r.out


async def run_in(folder: Path, *argv: str, env: dict[str, str]) -> Result:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    proc = await asyncio.create_subprocess_exec(
        *drs_bot(),
        *argv,
        env={**base, **env},
        cwd=folder,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return Result(proc.returncode or 0, out.decode(), err.decode())


def _files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "report.csv": b"a,b",
        "bad.json": b"{'single': 'quotes'}",
        "fake.xlsx": b"just text",
        "two.zip": zipped(("a.json", b"[]"), ("b.json", b"[]")),
        "nested.zip": zipped(("inner.zip", zipped(("a.json", b"[]")))),
        "climb.zip": zipped(("nn/x.json", b"[]")).replace(b"nn/x.json", b"../x.json"),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse: the size check must come before reading
    paths["big.json"] = big
    return paths


async def test_every_refusal_exits_2_with_nothing_sent(tmp_path: Path) -> None:
    expected = {
        "report.csv": "is not a file DRS imports",
        "bad.json": "is not valid JSON",
        "fake.xlsx": "is not an .xlsx workbook",
        "two.zip": "holds 2 entries",
        "nested.zip": "an archive inside an archive",
        "climb.zip": "unsafe path",
        "big.json": "DRS takes .json files up to 5 MB",
    }
    async with simulator() as sim:
        env = credentials("iam", sim.url)  # an IAM login would be the first request
        for name, path in _files(tmp_path).items():
            r = await run_cli("upload", JOB, str(path), env=env)
            assert r.code == 2, (name, r.err)
            assert expected[name] in r.err and "Nothing was sent to DRS" in r.err, r.err
            assert "Traceback" not in r.err
        missing = await run_cli("upload", JOB, str(tmp_path / "nope.xlsx"), env=env)
        bad_id = await run_cli("template", JOB[:-1], env=env)
        bad_level = await run_cli("template", JOB, "--level", "column", env=env)
    assert (missing.code, bad_id.code, bad_level.code) == (2, 2, 2)
    assert "There is no file" in missing.err and "8-4-4-4-12" in bad_id.err
    assert sim.requests == [] and sim.iam_logins == []


async def test_api_errors_exit_1(tmp_path: Path) -> None:
    doc = tmp_path / "o.json"
    doc.write_text("[]")
    async with simulator() as sim:
        env = credentials("token", sim.url)
        unknown = await run_cli("upload", OTHER, str(doc), env=env)
        no_result = await run_cli("result", JOB, "-o", str(tmp_path / "r"), env=env)
        refused = await run_cli("template", JOB, env={**env, "DRS_AUTH_TOKEN": "wrong"})
    assert (unknown.code, no_result.code, refused.code) == (1, 1, 1)
    assert unknown.err.startswith("drs-bot upload: DRS has no job")
    assert "No object import file has been uploaded" in no_result.err
    assert "refused the bot's credentials" in refused.err
    assert not (tmp_path / "r").exists()
