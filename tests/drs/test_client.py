"""DrsClient against httpx.MockTransport: request shape, parsing, error mapping, retries."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from bot.clock import FakeClock
from bot.domain.progress import Phase
from bot.drs.client import DrsClient
from bot.drs.responses import parse_retry_after
from bot.drs.retry import RetryPolicy
from bot.errors import (
    CredentialsRefused,
    DrsRejected,
    DrsUnavailable,
    InvalidJobId,
    JobNotFound,
    Throttled,
)

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
# FakeClock: every retry wait is recorded in `clock.slept` and returns at once.
FAST = RetryPolicy()

Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, *, retry: RetryPolicy = FAST) -> tuple[DrsClient, FakeClock]:
    clock = FakeClock()
    http = httpx.AsyncClient(base_url="https://drs.test", transport=httpx.MockTransport(handler))
    return DrsClient(http, project_id=PROJECT, retry=retry, clock=clock), clock


def ok(body: object) -> Handler:
    return lambda request: httpx.Response(200, json=body)


async def test_query_sends_documented_request_and_parses_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"send_success": True, "process_status": "success", "parsed_success_number": "1234"}
        return httpx.Response(200, json=body)

    client, clock = make_client(handler)
    async with client:
        progress = await client.query(
            f"  `{JOB.upper()}` ", job_type="column", language="zh-cn", offset=0, limit=10
        )
    req = seen[0]
    assert req.method == "GET"
    assert req.url.raw_path.decode().startswith(
        f"/v5/{PROJECT}/jobs/{JOB}/db-object/template/progress?"
    )
    assert dict(req.url.params) == {"offset": "0", "limit": "10", "type": "column"}
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["X-Language"] == "zh-cn"
    assert progress.job_id == JOB
    assert progress.send_success is True
    assert progress.parsed_success_number == 1234
    assert progress.parsed_success_raw == "1234"
    assert progress.phase is Phase.SUCCEEDED
    assert progress.observed_at == clock.now()


async def test_defaults_send_no_query_and_default_language() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client, _ = make_client(handler)
    progress = await client.query(JOB)
    assert seen[0].url.query == b""
    assert seen[0].headers["X-Language"] == "en-us"
    assert progress.phase is Phase.UPLOADING
    assert progress.parsed_success_number is None


@pytest.mark.parametrize(
    ("body", "phase", "status"),
    [
        ({"process_status": "success", "parsed_success_number": "1"}, Phase.SUCCEEDED, "success"),
        ({"send_success": True, "process_status": "failed"}, Phase.FAILED, "failed"),
        ({"send_success": True}, Phase.PARSING, None),
        ({"send_success": True, "process_status": "pending"}, Phase.PARSING, "pending"),
        ({"send_success": False}, Phase.UPLOADING, None),
        ({"parsed_success_number": "many", "send_success": "yes"}, Phase.UPLOADING, None),
    ],
)
async def test_phases_and_odd_fields_never_crash(
    body: dict[str, object], phase: Phase, status: str | None
) -> None:
    client, _ = make_client(ok(body))
    progress = await client.query(JOB)
    assert progress.phase is phase
    assert progress.process_status == status


@pytest.mark.parametrize("bad", ["../etc/passwd", "%2e%2e", f"{JOB}?x=1", "a b", JOB[:-1], ""])
async def test_guard_runs_before_any_request(bad: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client, _ = make_client(handler)
    with pytest.raises(InvalidJobId):
        await client.query(bad)
    assert seen == []


def error(status: int, body: object, **headers: str) -> Handler:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    hdrs = {"X-Request-Id": "req-1", **headers}
    return lambda request: httpx.Response(status, content=content, headers=hdrs)


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (400, {"error_code": "DRS.10000010", "error_msg": "Job does not exist"}, JobNotFound, None),
        (400, {"code": "DRS.M00289", "message": "no job"}, JobNotFound, None),
        (400, {"errorCode": "DRS.M05004", "errorMsg": "deleted"}, JobNotFound, None),
        (401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM"}, CredentialsRefused, None),
        (403, {"error_code": "DRS.M00261", "error_msg": "bad project"}, CredentialsRefused, None),
        (400, {"error_code": "DRS.M00100", "error_msg": "token"}, CredentialsRefused, None),
        (403, b"forbidden", CredentialsRefused, None),
        (400, {"error_code": "DRS.10000001", "error_msg": "generic"}, DrsRejected, None),
        (404, b"", DrsRejected, None),
    ],
)
async def test_errors_map_onto_the_tree_without_retry(
    status: int, body: object, kind: type[Exception], code: None
) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return error(status, body)(request)

    client, _ = make_client(handler)
    with pytest.raises(kind) as info:
        await client.query(JOB)
    err = info.value
    assert calls == 1
    assert getattr(err, "status", None) == status
    assert getattr(err, "request_id", None) == "req-1"
    assert getattr(err, "job_id", None) == JOB
    if isinstance(body, dict):
        assert getattr(err, "code", None) == next(iter(body.values()))


async def test_unavailable_is_retried_then_succeeds() -> None:
    answers = [
        error(500, {"error_code": "DRS.10000001", "error_msg": "boom"}),
        error(200, b"<html>not json</html>"),
        ok({"send_success": True, "parsed_success_number": "7"}),
    ]
    client, clock = make_client(lambda request: answers.pop(0)(request))
    progress = await client.query(JOB)
    assert progress.parsed_success_number == 7
    assert len(clock.slept) == 2
    assert all(0 <= w <= 1.0 for w in clock.slept)


async def test_retry_after_is_honoured_instead_of_backoff() -> None:
    answers = [
        error(429, {"error_code": "APIGW.0308", "error_msg": "slow down"}, **{"Retry-After": "3"}),
        ok({}),
    ]
    client, clock = make_client(lambda request: answers.pop(0)(request))
    await client.query(JOB)
    assert clock.slept == [3.0]  # the wait happened on the injected clock


async def test_gives_up_after_attempts_with_last_error() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503, json={"error_code": "DRS.10000001", "error_msg": "down"})

    client, _ = make_client(handler)
    with pytest.raises(DrsUnavailable) as info:
        await client.query(JOB)
    assert calls == 4
    assert info.value.status == 503


async def test_gives_up_when_retry_after_passes_the_deadline() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(429, headers={"Retry-After": "60"}, json={"code": "DRS.M01503"})

    client, _ = make_client(handler, retry=RetryPolicy())
    with pytest.raises(Throttled) as info:
        await client.query(JOB)
    assert calls == 1
    assert info.value.retry_after == 60.0


async def test_deadline_bounds_total_time_on_injected_clock() -> None:
    client, clock = make_client(
        lambda request: httpx.Response(500),
        retry=RetryPolicy(attempts=100, base=1.0, cap=4.0, deadline=10.0),
    )
    start = clock.monotonic()
    with pytest.raises(DrsUnavailable):
        await client.query(JOB)
    assert clock.monotonic() - start <= 10.0
    assert len(clock.slept) >= 2


async def test_connection_errors_and_timeouts_become_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, _ = make_client(handler, retry=RetryPolicy(attempts=2))
    with pytest.raises(DrsUnavailable, match="ConnectError"):
        await client.query(JOB)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = make_client(slow, retry=RetryPolicy(attempts=1))
    with pytest.raises(DrsUnavailable, match="in time"):
        await client.query(JOB)


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2", now) == 2.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:05 GMT", now) == 5.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_is_full_jitter_and_capped() -> None:
    import random

    policy = RetryPolicy(base=0.5, cap=4.0)
    rng = random.Random(7)
    for n in range(1, 10):
        for _ in range(50):
            assert 0.0 <= policy.backoff(n, rng) <= min(4.0, 0.5 * 2 ** (n - 1))
