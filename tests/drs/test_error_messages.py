"""Errors name their cause: the setting to fix for the credential in use, the host and the
setting that chose it for network failures; each tried for real on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.clock import FakeClock, SystemClock
from bot.config import load_settings
from bot.drs.client import DrsClient
from bot.drs.factory import build_drs_client
from bot.drs.responses import error_from_response
from bot.drs.retry import NO_RETRY
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.drs.transport import AiohttpTransport
from bot.errors import (
    CredentialsRefused,
    DrsConnectionRefused,
    DrsError,
    DrsRejected,
    DrsTimeout,
    DrsUnavailable,
    Endpoint,
    HostNotFound,
    NotDrs,
)

from .test_checkcmd import run_cli

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "ERRAK000000000000000", "err-secret-key"
IAM_NAMES = ("IAM_USERNAME", "IAM_PASSWORD", "IAM_DOMAIN")
AKSK_NAMES = ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
RETRY_HINT = "try again in a few minutes"


def simulator(**kwargs: object) -> DrsSimulator:
    return DrsSimulator(
        [SimJob(JOB, [{"send_success": False}], step_seconds=0)],
        project_id=PROJECT,
        token="good-token",
        ak=AK,
        sk=SK,
        iam_users={"acme/ops": "iam-pw"},
        **kwargs,  # type: ignore[arg-type]
    )


async def error_for(env: dict[str, str], *, clock: FakeClock | None = None) -> DrsError:
    """The error one query raises with these settings."""
    client = build_drs_client(load_settings(env, drs=True), clock=clock, retry=NO_RETRY)
    async with client:
        with pytest.raises(DrsError) as caught:
            await client.query(JOB)
    return caught.value


def assert_names_only(message: str, *names: str) -> None:
    """The message names these settings and no other credential kind's."""
    for name in names:
        assert name in message, (name, message)
    others = {"DRS_AUTH_TOKEN", *IAM_NAMES, *AKSK_NAMES} - set(names)
    assert not [o for o in others if o in message], message
    assert "operator must" not in message.lower()
    assert RETRY_HINT not in message


async def test_refused_iam_password_names_the_iam_settings() -> None:
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "IAM_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT}
        env |= {"IAM_USERNAME": "ops", "IAM_DOMAIN": "acme", "IAM_PASSWORD": "wrong"}
        error = await error_for(env)
    assert isinstance(error, CredentialsRefused)
    assert_names_only(error.user_message(), *IAM_NAMES)
    assert "The username or password is wrong." in error.user_message()


async def test_refused_aksk_names_the_keys_and_not_the_clock() -> None:
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT}
        error = await error_for(env | {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "bad"})
    assert isinstance(error, CredentialsRefused)
    assert_names_only(error.user_message(), *AKSK_NAMES)
    assert "clock" not in error.user_message()


async def test_aksk_refused_for_clock_skew_says_the_clock_is_off() -> None:
    async with simulator(max_clock_skew=900.0) as s:
        skewed = FakeClock(SystemClock().now() - timedelta(hours=1))
        env = {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT}
        env |= {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
        error = await error_for(env, clock=skewed)
    assert isinstance(error, CredentialsRefused)
    assert "clock" in error.user_message() and "15 minutes" in error.user_message()


async def test_refused_token_names_the_token_only() -> None:
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT, "DRS_AUTH_TOKEN": "stale"}
        error = await error_for(env)
    assert isinstance(error, CredentialsRefused)
    assert "token" in error.message  # the simulator answers a bad token with a token error
    assert_names_only(error.user_message(), "DRS_AUTH_TOKEN")


async def test_wrong_project_names_the_project_id_for_the_region() -> None:
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "DRS_PROJECT_ID": "0" * 32, "DRS_AUTH_TOKEN": "good-token"}
        error = await error_for(env | {"DRS_REGION": "ap-southeast-1"})
    assert isinstance(error, CredentialsRefused) and error.code == "DRS.M00261"
    message = error.user_message()
    assert "DRS_PROJECT_ID" in message and "'ap-southeast-1'" in message
    assert_names_only(message)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[web.Response | None], AsyncIterator[str]]]:
    """`url = await start(answer)`: a loopback server giving `answer`, or never answering."""
    runners: list[web.AppRunner] = []
    never = asyncio.Event()

    async def start(answer: web.Response | None) -> str:
        async def handle(_: web.Request) -> web.StreamResponse:
            if answer is None:
                await never.wait()
            assert answer is not None
            return answer

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

    yield start  # type: ignore[misc]
    never.set()
    for runner in runners:
        await runner.cleanup()


def client_for(
    url: str, endpoint: Endpoint, *, timeout: float = 5.0, resolver: AbstractResolver | None = None
) -> DrsClient:
    transport = AiohttpTransport(resolver=resolver)
    http = httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout)
    return DrsClient(http, project_id=PROJECT, retry=NO_RETRY, endpoint=endpoint)


async def raised(client: DrsClient) -> DrsError:
    async with client:
        with pytest.raises(DrsError) as caught:
            await client.query(JOB)
    return caught.value


async def test_unknown_host_refused_and_timeout_are_three_messages_naming_host_and_setting(
    serve: Callable[[web.Response | None], object],
) -> None:
    silent = await serve(None)  # type: ignore[misc]
    refused_url = f"http://127.0.0.1:{closed_port()}"
    region = Endpoint("drs.xx-nowhere-1.invalid", "DRS_REGION", region="xx-nowhere-1")
    errors = [
        await raised(client_for("http://drs.xx-nowhere-1.invalid", region)),
        await raised(client_for(refused_url, Endpoint(refused_url[7:], "DRS_ENDPOINT"))),
        await raised(client_for(silent, Endpoint(silent[7:], "DRS_ENDPOINT"), timeout=0.2)),
    ]
    assert [type(e) for e in errors] == [HostNotFound, DrsConnectionRefused, DrsTimeout]
    messages = [e.user_message() for e in errors]
    assert len(set(messages)) == 3
    assert "drs.xx-nowhere-1.invalid" in messages[0] and "DRS_REGION='xx-nowhere-1'" in messages[0]
    assert refused_url[7:] in messages[1] and "DRS_ENDPOINT" in messages[1]
    assert silent[7:] in messages[2] and "DRS_ENDPOINT" in messages[2]
    assert [RETRY_HINT in m.lower() for m in messages] == [False, False, True]
    assert [e.retryable for e in errors] == [False, False, True]


class FailingResolver(AbstractResolver):
    """Fails every name as getaddrinfo does with `errno` (what aiohttp's resolver raises)."""

    def __init__(self, errno: int, said: str) -> None:
        self.errno, self.said, self.asked = errno, said, list[str]()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        raise socket.gaierror(self.errno, self.said)

    async def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("errno", "said", "expected", "message"),
    [
        (socket.EAI_NONAME, "Name or service not known", HostNotFound, "No such host"),
        (socket.EAI_AGAIN, "Temporary failure in name resolution", DrsUnavailable, "for now"),
    ],
    ids=["nxdomain", "try-again"],
)
async def test_no_such_name_is_no_such_host_and_try_again_is_retryable(
    errno: int, said: str, expected: type[DrsError], message: str
) -> None:
    resolver = FailingResolver(errno, said)
    region = Endpoint("drs.xx-nowhere-1.example.com", "DRS_REGION", region="xx-nowhere-1")
    error = await raised(
        client_for("http://drs.xx-nowhere-1.example.com", region, resolver=resolver)
    )
    assert type(error) is expected and message in error.message
    assert resolver.asked == ["drs.xx-nowhere-1.example.com"]
    assert error.retryable is (expected is DrsUnavailable)
    assert (RETRY_HINT in error.user_message()) is error.retryable
    assert "drs.xx-nowhere-1.example.com" in error.user_message()


@pytest.mark.parametrize("host", ["drs.nowhere.invalid", "DRS.Nowhere.INVALID.", "invalid"])
async def test_invalid_names_are_no_such_host_without_asking_dns(host: str) -> None:
    """RFC 6761: `.invalid` never exists, so it is no such host even where DNS cannot answer."""
    resolver = FailingResolver(socket.EAI_AGAIN, "Temporary failure in name resolution")
    error = await raised(
        client_for(f"http://{host}", Endpoint(host, "DRS_ENDPOINT"), resolver=resolver)
    )
    assert isinstance(error, HostNotFound) and not error.retryable
    assert resolver.asked == []


async def test_unknown_endpoint_host_from_settings_names_drs_endpoint() -> None:
    env = {"DRS_ENDPOINT": "https://drs.nowhere.invalid", "DRS_PROJECT_ID": PROJECT}
    error = await error_for(env | {"DRS_AUTH_TOKEN": "t"})
    assert isinstance(error, HostNotFound)
    assert "drs.nowhere.invalid" in error.user_message() and "DRS_ENDPOINT" in error.user_message()


async def test_a_server_that_is_not_drs_says_check_drs_endpoint(
    serve: Callable[[web.Response | None], object],
) -> None:
    html = web.Response(status=404, text="<html>Not Found</html>", content_type="text/html")
    url = await serve(html)  # type: ignore[misc]
    error = await raised(client_for(url, Endpoint(url[7:], "DRS_ENDPOINT")))
    assert isinstance(error, NotDrs) and not error.retryable
    assert "DRS_ENDPOINT" in error.user_message() and url[7:] in error.user_message()
    assert "HTTP 404" in error.user_message()


async def test_check_in_the_terminal_names_the_iam_settings_and_not_other_kinds() -> None:
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "IAM_ENDPOINT": s.url, "DRS_PROJECT_ID": PROJECT}
        env |= {"IAM_USERNAME": "ops", "IAM_DOMAIN": "acme", "IAM_PASSWORD": "wrong-pw"}
        r = await run_cli("check", JOB, env=env)
    assert r.code == 1
    assert_names_only(r.err, *IAM_NAMES)
    assert "wrong-pw" not in r.err


def test_rejected_never_repeats_itself() -> None:
    plain = DrsRejected(status=400).user_message()
    assert plain.count("rejected the request") == 1 and "HTTP 400" in plain
    response = httpx.Response(400, json={"error_code": "DRS.10000001", "error_msg": "Bad offset"})
    said = error_from_response(response, JOB, SystemClock().now()).user_message()
    assert said == "DRS rejected the request: Bad offset (HTTP 400, DRS.10000001)"


def test_a_bare_server_error_says_its_status_once() -> None:
    endpoint = Endpoint("drs.example", "DRS_ENDPOINT")
    response = httpx.Response(502, text="")
    said = error_from_response(response, JOB, SystemClock().now(), endpoint=endpoint)
    message = said.user_message()
    assert message.count("502") == 1 and RETRY_HINT in message and "drs.example" in message


async def test_an_iam_endpoint_that_is_not_iam_says_check_iam_endpoint(
    serve: Callable[[web.Response | None], object],
) -> None:
    html = web.Response(status=404, text="<html>Not Found</html>", content_type="text/html")
    url = await serve(html)  # type: ignore[misc]
    async with simulator() as s:
        env = {"DRS_ENDPOINT": s.url, "IAM_ENDPOINT": url, "DRS_PROJECT_ID": PROJECT}
        env |= {"IAM_USERNAME": "ops", "IAM_DOMAIN": "acme", "IAM_PASSWORD": "iam-pw"}
        error = await error_for(env)
    assert isinstance(error, NotDrs)
    message = error.user_message()
    assert (
        "Check IAM_ENDPOINT" in message
        and url[7:] in message
        and "not an answer of the IAM API" in message
    )
