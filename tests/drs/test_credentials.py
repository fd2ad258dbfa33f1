"""Credentials: the AK/SK signer matches huaweicloudsdkcore's; token; IAM login and refresh."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from pydantic import SecretStr

from bot.clock import FakeClock
from bot.config import load_settings
from bot.drs import signer
from bot.drs.client import DrsClient, progress_path
from bot.drs.credentials import AkSkAuth, IamPasswordAuth, TokenAuth
from bot.drs.factory import build_drs_client
from bot.drs.retry import NO_RETRY
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.errors import CredentialsRefused, DrsUnavailable

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"


def sdk_authorization(
    method: str, host: str, path: str, query: list[tuple[str, object]], headers: dict[str, str]
) -> str:
    request = SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=path,
        query_params=list(query),
        header_params=dict(headers),
        body="",
    )
    signed = Signer(BasicCredentials(AK, SK, PROJECT)).sign(request)
    return str(signed.header_params["Authorization"])


@pytest.mark.parametrize(
    ("params", "host"),
    [
        ({}, "drs.ap-southeast-1.myhuaweicloud.com"),
        ({"type": "column", "offset": "0", "limit": "10"}, "drs.ap-southeast-1.myhuaweicloud.com"),
        ({"limit": "5", "type": "a b~c/d"}, "127.0.0.1:8089"),
    ],
)
def test_aksk_signature_equals_official_sdk_signer(params: dict[str, str], host: str) -> None:
    clock = FakeClock(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    auth = AkSkAuth(SecretStr(AK), SecretStr(SK), project_id=PROJECT, clock=clock)
    path = progress_path(PROJECT, JOB)
    request = httpx.Request(
        "GET",
        f"https://{host}{path}",
        params=params,
        headers={"Content-Type": "application/json", "X-Language": "en-us"},
    )
    auth.sign(request)
    assert request.headers["X-Sdk-Date"] == "20260304T050607Z"
    assert request.headers["X-Project-Id"] == PROJECT
    expected = sdk_authorization(
        "GET",
        host,
        path,
        list(params.items()),
        {
            "Content-Type": "application/json",
            "X-Language": "en-us",
            "X-Project-Id": PROJECT,
            "X-Sdk-Date": "20260304T050607Z",
        },
    )
    assert request.headers["Authorization"] == expected
    assert expected.startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;")


def test_aksk_temporary_keys_sign_the_security_token() -> None:
    clock = FakeClock(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    auth = AkSkAuth(
        SecretStr(AK),
        SecretStr(SK),
        project_id=PROJECT,
        security_token=SecretStr("sts-token"),
        clock=clock,
    )
    request = httpx.Request("GET", f"https://drs.example{progress_path(PROJECT, JOB)}")
    auth.sign(request)
    assert request.headers["X-Security-Token"] == "sts-token"
    expected = sdk_authorization(
        "GET",
        "drs.example",
        progress_path(PROJECT, JOB),
        [],
        {
            "X-Project-Id": PROJECT,
            "X-Sdk-Date": "20260304T050607Z",
            "X-Security-Token": "sts-token",
        },
    )
    assert request.headers["Authorization"] == expected


def test_parse_authorization_round_trip() -> None:
    value = signer.authorization(AK, ["host", "x-sdk-date"], "ab" * 32)
    assert signer.parse_authorization(value) == (AK, ["host", "x-sdk-date"], "ab" * 32)
    assert signer.parse_authorization("Bearer x") is None


async def test_token_auth_sends_x_auth_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    http = httpx.AsyncClient(
        base_url="https://drs.test",
        transport=httpx.MockTransport(handler),
        auth=TokenAuth(SecretStr("tok-123")),
    )
    async with DrsClient(http, project_id=PROJECT) as client:
        await client.query(JOB)
    assert seen[0].headers["X-Auth-Token"] == "tok-123"


class FakeIam:
    """IAM + DRS on one MockTransport: issues numbered tokens and accepts only `valid` ones."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.logins: list[dict[str, object]] = []
        self.valid: set[str] = set()
        self.lifetime = timedelta(hours=24)
        self.login_status = 201

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v3/auth/tokens":
            assert request.url.params["nocatalog"] == "true"
            self.logins.append(json.loads(request.content))
            await asyncio.sleep(0)  # let concurrent callers pile up behind the lock
            if self.login_status != 201:
                return httpx.Response(self.login_status, json={"error": {"code": 401}})
            token = f"iam-{len(self.logins)}"
            self.valid.add(token)
            expires = (self.clock.now() + self.lifetime).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
            return httpx.Response(
                201, headers={"X-Subject-Token": token}, json={"token": {"expires_at": expires}}
            )
        if request.headers.get("X-Auth-Token") not in self.valid:
            return httpx.Response(401, json={"error_code": "APIGW.0301", "error_msg": "bad"})
        return httpx.Response(200, json={"send_success": True})

    def client(self) -> DrsClient:
        transport = httpx.MockTransport(self.handler)
        auth = IamPasswordAuth(
            iam_url="https://iam.test",
            username="ops",
            password=SecretStr("pw"),
            domain="acme",
            project_id=PROJECT,
            http=httpx.AsyncClient(transport=transport),
            clock=self.clock,
        )
        http = httpx.AsyncClient(base_url="https://drs.test", transport=transport, auth=auth)
        return DrsClient(http, project_id=PROJECT, clock=self.clock)


async def test_iam_login_is_scoped_to_project_and_cached() -> None:
    iam = FakeIam(FakeClock())
    async with iam.client() as client:
        await client.query(JOB)
        await client.query(JOB)
    assert len(iam.logins) == 1
    assert iam.logins[0] == {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": "ops", "password": "pw", "domain": {"name": "acme"}}},
            },
            "scope": {"project": {"id": PROJECT}},
        }
    }


async def test_concurrent_callers_share_one_login() -> None:
    iam = FakeIam(FakeClock())
    async with iam.client() as client:
        await asyncio.gather(*(client.query(JOB) for _ in range(10)))
    assert len(iam.logins) == 1


async def test_token_is_refreshed_ahead_of_expiry() -> None:
    clock = FakeClock()
    iam = FakeIam(clock)
    async with iam.client() as client:
        await client.query(JOB)
        clock.advance(timedelta(hours=22).total_seconds())
        await client.query(JOB)
        assert len(iam.logins) == 1
        clock.advance(timedelta(hours=1, minutes=30).total_seconds())  # within the last hour
        await client.query(JOB)
    assert len(iam.logins) == 2


async def test_voided_token_gets_one_relogin_and_resend() -> None:
    iam = FakeIam(FakeClock())
    async with iam.client() as client:
        await client.query(JOB)
        iam.valid.clear()  # password changed: every issued token is void
        progress = await client.query(JOB)
    assert progress.send_success is True
    assert len(iam.logins) == 2


async def test_refused_login_is_credentials_refused_without_password() -> None:
    iam = FakeIam(FakeClock())
    iam.login_status = 401
    async with iam.client() as client:
        with pytest.raises(CredentialsRefused) as info:
            await client.query(JOB)
    assert "IAM refused the login" in str(info.value)
    assert "pw" not in str(info.value).split()


async def test_iam_server_error_is_unavailable() -> None:
    iam = FakeIam(FakeClock())
    iam.login_status = 503
    async with iam.client() as client:
        with pytest.raises(DrsUnavailable):
            await client.query(JOB)


def test_a_space_in_a_query_value_goes_on_the_wire_as_the_sdk_sends_it() -> None:
    clock = FakeClock(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    auth = AkSkAuth(SecretStr(AK), SecretStr(SK), project_id=PROJECT, clock=clock)
    path = progress_path(PROJECT, JOB)
    params = {"type": "a b+c", "limit": "5"}
    request = httpx.Request("GET", f"https://drs.example{path}", params=params)
    assert b"a+b" in request.url.query  # what httpx alone would send
    auth.sign(request)
    sdk = SdkRequest(
        method="GET", schema="https", host="drs.example", resource_path=path,
        query_params=list(params.items()), header_params={}, body="",
    )  # fmt: skip
    Signer.process_request_uri(sdk)
    assert request.url.raw_path.decode() == sdk.uri
    assert request.url.query == b"limit=5&type=a%20b%2Bc"


async def test_a_signed_query_with_a_space_is_accepted_by_a_verifier_decoding_like_the_sdk(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.drs.simulator")
    steps = [{"send_success": False}]
    async with DrsSimulator([SimJob(JOB, steps)], project_id=PROJECT, ak=AK, sk=SK) as sim:
        settings = {"DRS_ENDPOINT": sim.url, "DRS_PROJECT_ID": PROJECT}
        settings |= {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
        async with build_drs_client(load_settings(settings), retry=NO_RETRY) as client:
            progress = await client.query(JOB, job_type="a b")
    assert progress.send_success is False
    assert sim.requests[-1].query == {"type": "a b"}
    assert f"GET {progress_path(PROJECT, JOB)}?type=a%20b" in caplog.text  # logged at DEBUG
