"""DRS_REGIONS, DRS_PROJECTS, DRS_ENDPOINTS: each mistake named with its fix."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError

AKSK = {"HUAWEICLOUD_SDK_AK": "ak", "HUAWEICLOUD_SDK_SK": "sk"}


def problems(env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings({**AKSK, **env}, drs=True)
    return str(caught.value)


def test_several_regions_need_no_project_id_and_put_drs_region_first() -> None:
    settings = load_settings(
        {
            **AKSK,
            "DRS_REGIONS": "ap-southeast-1, AP-SOUTHEAST-3",
            "DRS_REGION": "ap-southeast-3",
            "DRS_PROJECTS": "ap-southeast-1:abc123",
            "DRS_ENDPOINTS": "ap-southeast-3=http://127.0.0.1:9",
        },
        drs=True,
    )
    plan = settings.region_plan()
    assert plan is not None
    assert plan.names == ("ap-southeast-3", "ap-southeast-1")
    assert plan.projects == {"ap-southeast-1": "abc123"}
    assert plan.endpoints == {"ap-southeast-3": "http://127.0.0.1:9"}


def test_the_one_region_form_is_unchanged() -> None:
    settings = load_settings(
        {**AKSK, "DRS_REGION": "ap-southeast-1", "DRS_PROJECT_ID": "p"}, drs=True
    )
    assert settings.region_plan() is None
    assert "DRS_PROJECT_ID is not set" in problems({"DRS_REGION": "ap-southeast-1"})


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DRS_REGIONS": "ap-southeast-1,mars"},
            "DRS_REGIONS: 'mars' is not a Huawei Cloud region",
        ),
        (
            {"DRS_REGIONS": "ap-southeast-1", "DRS_PROJECTS": "ap-southeast-1=abc"},
            "DRS_PROJECTS: 'ap-southeast-1=abc' is not region:value: write it as DRS_PROJECTS=",
        ),
        (
            {"DRS_REGIONS": "ap-southeast-1", "DRS_PROJECTS": "ap-southeast-3:abc"},
            "DRS_PROJECTS names 'ap-southeast-3', which is not served: add it to DRS_REGIONS",
        ),
        (
            {"DRS_REGIONS": "ap-southeast-1", "DRS_ENDPOINTS": "ap-southeast-1=drs.example"},
            "DRS_ENDPOINTS: the endpoint for ap-southeast-1 must be an http(s):// URL",
        ),
        (
            {"DRS_REGIONS": "ap-southeast-1", "DRS_REGION": "ap-southeast-3"},
            "DRS_REGION='ap-southeast-3' is not one of DRS_REGIONS (ap-southeast-1)",
        ),
        (
            {"DRS_REGION": "ap-southeast-1", "DRS_PROJECT_ID": "p", "DRS_PROJECTS": "a-b:c"},
            "DRS_PROJECTS is set without DRS_REGIONS: list the regions to serve",
        ),
    ],
)
def test_each_mistake_is_named_with_its_fix(env: dict[str, str], expected: str) -> None:
    assert expected in problems(env)


def test_a_token_serves_one_region_only() -> None:
    env = {"DRS_AUTH_TOKEN": "t", "DRS_REGIONS": "ap-southeast-1,ap-southeast-3"}
    with pytest.raises(ConfigError) as caught:
        load_settings(env, drs=True)
    assert "DRS_AUTH_TOKEN is scoped to one project, so it serves one region" in str(caught.value)
    assert load_settings({**env, "DRS_REGIONS": "ap-southeast-3"}, drs=True).region_plan()
