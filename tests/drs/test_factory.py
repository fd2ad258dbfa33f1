"""Endpoints from regions, and build_drs_client picking exactly one credential kind."""

from __future__ import annotations

import httpx
import pytest

from bot.config import load_settings
from bot.drs.endpoints import drs_endpoint, iam_endpoint
from bot.drs.factory import build_drs_client
from bot.errors import ConfigError

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"


def test_endpoints_follow_the_region() -> None:
    assert drs_endpoint("ap-southeast-1") == "https://drs.ap-southeast-1.myhuaweicloud.com"
    assert iam_endpoint("cn-north-4") == "https://iam.cn-north-4.myhuaweicloud.com"
    assert drs_endpoint("eu-west-101") == "https://drs.eu-west-101.myhuaweicloud.eu"
    assert iam_endpoint("eu-west-101") == "https://iam.eu-west-101.myhuaweicloud.eu"
    with pytest.raises(ValueError):
        drs_endpoint("evil.com/x")


async def route(env: dict[str, str]) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v3/auth/tokens":
            return httpx.Response(201, headers={"X-Subject-Token": "iam-tok"}, json={})
        return httpx.Response(200, json={"send_success": False})

    client = build_drs_client(
        load_settings(env),
        transport=httpx.MockTransport(handler),
    )
    async with client:
        await client.query(JOB)
    return seen


async def test_token_client_uses_region_endpoint() -> None:
    seen = await route(
        {"DRS_REGION": "eu-west-101", "DRS_PROJECT_ID": PROJECT, "DRS_AUTH_TOKEN": "t"}
    )
    assert str(seen[0].url).startswith(f"https://drs.eu-west-101.myhuaweicloud.eu/v5/{PROJECT}/")
    assert seen[0].headers["X-Auth-Token"] == "t"


async def test_aksk_client_signs_and_endpoint_override_wins() -> None:
    seen = await route(
        {
            "DRS_REGION": "ap-southeast-1",
            "DRS_ENDPOINT": "http://127.0.0.1:9/",
            "DRS_PROJECT_ID": PROJECT,
            "HUAWEICLOUD_SDK_AK": "ak",
            "HUAWEICLOUD_SDK_SK": "sk",
            "DRS_LANGUAGE": "zh-cn",
        }
    )
    assert str(seen[0].url).startswith("http://127.0.0.1:9/v5/")
    assert seen[0].headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=ak,")
    assert seen[0].headers["X-Language"] == "zh-cn"
    assert "X-Auth-Token" not in seen[0].headers


async def test_iam_client_logs_in_at_derived_iam_endpoint() -> None:
    seen = await route(
        {
            "DRS_REGION": "ap-southeast-1",
            "DRS_PROJECT_ID": PROJECT,
            "IAM_USERNAME": "u",
            "IAM_PASSWORD": "p",
            "IAM_DOMAIN": "d",
        }
    )
    assert (
        str(seen[0].url)
        == "https://iam.ap-southeast-1.myhuaweicloud.com/v3/auth/tokens?nocatalog=true"
    )
    assert seen[1].headers["X-Auth-Token"] == "iam-tok"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"DRS_REGION": "ap-southeast-1", "DRS_AUTH_TOKEN": "t"}, "DRS_PROJECT_ID"),
        ({"DRS_REGION": "ap-southeast-1", "DRS_PROJECT_ID": PROJECT}, "no DRS credentials"),
        (
            {
                "DRS_REGION": "ap-southeast-1",
                "DRS_PROJECT_ID": PROJECT,
                "DRS_AUTH_TOKEN": "t",
                "HUAWEICLOUD_SDK_AK": "a",
                "HUAWEICLOUD_SDK_SK": "s",
            },
            "several DRS credential kinds",
        ),
        (
            {"DRS_REGION": "bad region!", "DRS_PROJECT_ID": PROJECT, "DRS_AUTH_TOKEN": "t"},
            "DRS_REGION",
        ),
    ],
)
def test_bad_settings_are_one_config_error(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_drs_client(load_settings(env))
    assert fragment in info.value.user_message()
