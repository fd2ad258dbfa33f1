"""The aiohttp-backed httpx transport: bodies, headers, timeouts and errors as httpx expects."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.drs.transport import AiohttpTransport


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[web.Request]]]:
    seen: list[web.Request] = []

    async def echo(request: web.Request) -> web.Response:
        seen.append(request)
        if request.path == "/slow":
            await asyncio.sleep(2)
        if request.path == "/gzip":
            body = gzip.compress(b'{"send_success": true}')
            return web.Response(body=body, headers={"Content-Encoding": "gzip"})
        return web.json_response(
            {"path": request.path_qs, "token": request.headers.get("X-Auth-Token")},
            status=400 if request.path == "/bad" else 200,
            headers={"X-Request-Id": "req-1"},
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_requests_and_answers_pass_through(server: tuple[str, list[web.Request]]) -> None:
    url, seen = server
    async with httpx.AsyncClient(base_url=url, transport=AiohttpTransport()) as client:
        answer = await client.get(
            "/v5/p/jobs/j/progress", params={"type": "column"}, headers={"X-Auth-Token": "t"}
        )
        bad = await client.get("/bad")
    assert answer.status_code == 200
    assert answer.json() == {"path": "/v5/p/jobs/j/progress?type=column", "token": "t"}
    assert answer.headers["x-request-id"] == "req-1"
    assert bad.status_code == 400
    assert "X-Auth-Token" in seen[0].headers  # header names keep their case on the wire


async def test_compressed_bodies_are_decoded(server: tuple[str, list[web.Request]]) -> None:
    url, _ = server
    async with httpx.AsyncClient(base_url=url, transport=AiohttpTransport()) as client:
        answer = await client.get("/gzip")
    assert answer.json() == {"send_success": True}


async def test_a_slow_answer_is_an_httpx_timeout(server: tuple[str, list[web.Request]]) -> None:
    url, _ = server
    async with httpx.AsyncClient(
        base_url=url, transport=AiohttpTransport(), timeout=httpx.Timeout(0.2)
    ) as client:
        with pytest.raises(httpx.TimeoutException):
            await client.get("/slow")


async def test_a_refused_connection_is_an_httpx_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")


def test_tls_verification_is_on() -> None:
    context = AiohttpTransport()._ssl
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname


async def test_the_drs_client_keeps_no_cookie_a_response_sets() -> None:
    """A cookie set by one answer is never sent with the next request (NoCookies jar)."""
    from bot.config import load_settings
    from bot.drs.factory import build_drs_client
    from bot.drs.retry import NO_RETRY

    sent_cookies: list[str | None] = []
    job = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"

    async def progress(request: web.Request) -> web.Response:
        sent_cookies.append(request.headers.get("Cookie"))
        response = web.json_response({"send_success": True, "parsed_success_number": "1"})
        response.set_cookie("session", "from-the-gateway")
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", progress)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    env = {
        "DRS_ENDPOINT": f"http://127.0.0.1:{port}",
        "DRS_PROJECT_ID": "0" * 32,
        "DRS_AUTH_TOKEN": "token",
    }
    try:
        client = build_drs_client(load_settings(env, drs=True), retry=NO_RETRY)
        async with client:
            first = await client.query(job)
            second = await client.query(job)
            assert len(client.http.cookies) == 0
    finally:
        await runner.cleanup()
    assert first.parsed_success_number == second.parsed_success_number == 1
    assert sent_cookies == [None, None]
