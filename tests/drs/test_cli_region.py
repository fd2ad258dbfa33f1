"""`--region` on the one-shot commands, against `drs-bot simulator --iam-projects` (both real
processes): the region's project is discovered through IAM and the job asked there."""

from __future__ import annotations

import json
from pathlib import Path

from tests.drs.test_checkcmd import run_cli
from tests.drs.test_simulator_cmd import clean_env, start, stop

JOB = "c3c3c3c3-0000-4a5d-8dd6-cc44f78jb203"
P1, P3 = "1" * 32, "3" * 32
SG1, SG3 = "ap-southeast-1", "ap-southeast-3"
AK, SK = "CLIREGIONAK000000", "cli-region-secret"


def jobs_file(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.json"
    steps = [{"send_success": True, "parsed_success_number": "777"}]
    job = {"job_id": JOB, "step_seconds": 60, "steps": steps, "project_id": P3}
    path.write_text(json.dumps({"jobs": [job]}), encoding="utf-8")
    return path


def bot_env(url: str) -> dict[str, str]:
    return {
        "DRS_REGIONS": f"{SG1},{SG3}",
        "DRS_ENDPOINTS": f"{SG1}={url},{SG3}={url}",
        "IAM_ENDPOINT": url,  # no DRS_PROJECTS: both projects are asked of IAM
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
    }


async def test_region_option_picks_the_regions_client(tmp_path: Path) -> None:
    keys = clean_env(HUAWEICLOUD_SDK_AK=AK, HUAWEICLOUD_SDK_SK=SK)
    proc, url = await start(
        "--jobs", str(jobs_file(tmp_path)), "--iam-projects", f"{SG1}:{P1},{SG3}:{P3}", env=keys
    )
    try:
        found = await run_cli("check", JOB, "--region", SG3.upper(), "--json", env=bot_env(url))
        assert found.code == 0, found.err
        assert json.loads(found.out)["parsed_success_number"] == 777
        default = await run_cli("check", JOB, "--json", env=bot_env(url))  # asks ap-southeast-1
        assert default.code == 1 and JOB in default.err
        out = tmp_path / "blank.zip"
        template = await run_cli("template", JOB, "--region", SG3, "-o", str(out), env=bot_env(url))
        assert template.code == 0, template.err
        assert out.read_bytes()[:2] == b"PK"
        unserved = await run_cli("check", JOB, "--region", "eu-west-101", env=bot_env(url))
        assert unserved.code == 2
        assert "eu-west-101" in unserved.err and f"`{SG1}`, `{SG3}`" in unserved.err
        result = await run_cli("result", JOB, "--region", "eu-west-101", env=bot_env(url))
        assert result.code == 2 and f"--region {SG1}" in result.err
    finally:
        assert await stop(proc) == 0


async def test_simulator_names_a_malformed_iam_projects_value() -> None:
    bad = await run_cli("simulator", "--port", "0", "--iam-projects", f"{SG1}={P1}", env={})
    assert bad.code == 2, bad.out
    assert f"`{SG1}={P1}` is not REGION:PROJECT_ID" in bad.err
