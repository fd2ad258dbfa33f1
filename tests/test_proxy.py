"""HTTPS_PROXY/HTTP_PROXY/NO_PROXY for DRS, IAM and Slack, against a real proxy on loopback.

The stand-ins speak plain http on 127.0.0.1, so requests reach the proxy in absolute-URI form;
an https URL shows up as a CONNECT. No client library exempts loopback by default, and every
test sets NO_PROXY itself so that the environment the tests run in cannot change the outcome.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.drs.factory import build_drs_client
from bot.drs.retry import NO_RETRY
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.errors import ConfigError, DrsError
from bot.logs import secret_values
from bot.proxy import Proxies
from bot.sandbox.harness import SIGNING_SECRET, harness_env, stand_ins
from bot.sandbox.slack_payloads import SlackSender, slash_command_body
from bot.sandbox.socket_standin import SocketModeStandIn
from tests.forward_proxy import ForwardProxy
from tests.test_serve import JOB, cards, clean_env, free_port, serve_process, wait_healthy
from tests.test_socket_mode import interrupt, slash

PROJECT = "p" * 32
STEPS = [{"send_success": True, "parsed_success_number": "7"}]

PROXIES = Proxies(
    https="http://secure.proxy:3128",
    http="http://plain.proxy:3128",
    no_proxy=" internal.example , .corp.example,10.0.0.5:8443,[::1]",
)


@pytest.mark.parametrize(
    ("url", "proxy"),
    [
        ("https://slack.com/api/", "http://secure.proxy:3128"),
        ("wss://wss-primary.slack.com/link", "http://secure.proxy:3128"),
        ("http://127.0.0.1:8080/v3", "http://plain.proxy:3128"),
        ("ws://127.0.0.1:8080/link", "http://plain.proxy:3128"),
        ("https://drs.internal.example/v3", None),  # a subdomain of a NO_PROXY name
        ("https://INTERNAL.example./v3", None),
        ("https://a.corp.example/v3", None),
        ("https://corp.example/v3", None),
        ("https://notcorp.example/v3", "http://secure.proxy:3128"),
        ("https://10.0.0.5:8443/", None),
        ("https://10.0.0.5:9443/", "http://secure.proxy:3128"),  # host:port names one port
        ("http://[::1]:80/", None),
        ("ftp://slack.com/", None),
    ],
)
def test_the_proxy_follows_the_scheme_and_no_proxy(url: str, proxy: str | None) -> None:
    assert PROXIES.for_url(url) == proxy


def test_no_proxy_star_and_unset_proxies_mean_direct() -> None:
    assert Proxies(https="http://p:1", no_proxy="*").for_url("https://slack.com/") is None
    assert Proxies().for_url("https://slack.com/") is None


def test_proxy_settings_are_secrets_checked_without_echoing_them() -> None:
    settings = load_settings({"HTTPS_PROXY": "proxy.corp:3128", "no_proxy": "localhost"})
    assert Proxies.from_settings(settings).for_url("https://x/") == "http://proxy.corp:3128"
    assert "proxy.corp" not in repr(settings) and "proxy.corp" not in repr(
        Proxies.from_settings(settings)
    )
    with pytest.raises(ConfigError) as caught:
        load_settings({"HTTP_PROXY": "ftp://ops:hunter2-secret@proxy.corp:21"})
    assert "HTTP_PROXY" in str(caught.value) and "hunter2" not in str(caught.value)
    settings = load_settings({"HTTPS_PROXY": "http://ops:s3cret%40pw@proxy.corp:3128"})
    assert {"s3cret%40pw", "s3cret@pw"} <= set(secret_values(settings))


def simulator(**kwargs: object) -> DrsSimulator:
    return DrsSimulator(
        [SimJob(JOB, STEPS, step_seconds=0)],
        project_id=PROJECT,
        token="drs-token",
        iam_users={"acme/ops": "iam-pw"},
        **kwargs,  # type: ignore[arg-type]
    )


async def query_through(env: dict[str, str]) -> None:
    settings = load_settings({"DRS_PROJECT_ID": PROJECT, **env}, drs=True)
    async with build_drs_client(settings, retry=NO_RETRY) as client:
        progress = await client.query(JOB)
    assert progress.parsed_success_number == 7


async def test_drs_requests_go_through_the_http_proxy_with_its_login() -> None:
    async with simulator() as sim, ForwardProxy() as proxy:
        await query_through(
            {
                "DRS_ENDPOINT": sim.url,
                "DRS_AUTH_TOKEN": "drs-token",
                "HTTP_PROXY": proxy.url_with_login,
                "NO_PROXY": "example.com",
            }
        )
    [passed] = proxy.passed
    assert passed.method == "GET" and passed.target.startswith(f"{sim.url}/v")
    assert f"/{PROJECT}/jobs/{JOB}/" in passed.target
    assert passed.proxy_authorization == proxy.basic_login
    assert sim.calls[JOB] == 1


async def test_iam_login_goes_through_the_proxy_too() -> None:
    async with simulator() as sim, ForwardProxy() as proxy:
        await query_through(
            {
                "DRS_ENDPOINT": sim.url,
                "IAM_ENDPOINT": sim.url,
                "IAM_USERNAME": "ops",
                "IAM_PASSWORD": "iam-pw",
                "IAM_DOMAIN": "acme",
                "HTTP_PROXY": proxy.url,
                "NO_PROXY": "example.com",
            }
        )
    assert proxy.targets()[0].split("?")[0] == f"POST {sim.url}/v3/auth/tokens"
    assert len(proxy.passed) == 2 and len(sim.iam_logins) == 1


async def test_no_proxy_sends_loopback_direct() -> None:
    async with simulator() as sim, ForwardProxy() as proxy:
        await query_through(
            {
                "DRS_ENDPOINT": sim.url,
                "DRS_AUTH_TOKEN": "drs-token",
                "HTTP_PROXY": proxy.url,
                "NO_PROXY": "localhost,127.0.0.1",
            }
        )
    assert proxy.passed == [] and sim.calls[JOB] == 1


async def test_https_goes_through_https_proxy_as_a_tunnel() -> None:
    """The proxy, not this host, resolves DRS's name: CONNECT drs.example.invalid:443."""
    async with ForwardProxy() as proxy:
        with pytest.raises(DrsError):
            await query_through(
                {
                    "DRS_ENDPOINT": "https://drs.example.invalid",
                    "DRS_AUTH_TOKEN": "drs-token",
                    "HTTPS_PROXY": proxy.url,
                    "HTTP_PROXY": "http://127.0.0.1:9",  # for http only: never used here
                    "NO_PROXY": "localhost",
                }
            )
    assert proxy.targets() == ["CONNECT drs.example.invalid:443"]


async def test_serve_reaches_slack_web_api_and_socket_mode_through_the_proxy(
    tmp_path: Path,
) -> None:
    job = SimJob(JOB, STEPS, step_seconds=60)
    async with (
        stand_ins([job]) as (sim, slack),
        SocketModeStandIn(slack) as socket,
        ForwardProxy() as proxy,
    ):
        port = free_port()
        database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        env = clean_env(
            **harness_env(sim, slack, database, HTTP_PROXY=proxy.url_with_login),
            SLACK_APP_TOKEN=socket.app_token,
            NO_PROXY="example.com",
            PORT=str(port),
        )
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            await socket.wait_connected(timeout=30)
            checking = await socket.send("slash_commands", slash(slack, JOB))
            assert "Checking" in str(checking.get("text"))
            await slack.wait_for(lambda: len(cards(slack)) == 1, timeout=15)
            assert await interrupt(bot) == 130
    targets = proxy.targets()
    api = slack.api_url.rstrip("/")
    for wanted in (
        f"POST {api}/apps.connections.open",
        f"POST {api}/auth.test",
        f"POST {api}/chat.postMessage",
        f"GET {socket.url}",  # the websocket, upgraded through the proxy
    ):
        assert wanted in targets, (wanted, targets)
    assert any(t.startswith(f"GET {sim.url}/v") for t in targets)
    assert {p.proxy_authorization for p in proxy.passed} == {proxy.basic_login}
    log = (tmp_path / "serve.log").read_text()
    assert proxy.password not in log and "Traceback" not in log and "Unclosed" not in log


async def test_serve_sends_nothing_through_the_proxy_that_no_proxy_exempts(
    tmp_path: Path,
) -> None:
    """Every Slack client, Bolt's own answers to a response_url included, follows NO_PROXY."""
    async with stand_ins([SimJob(JOB, STEPS)]) as (sim, slack), ForwardProxy() as proxy:
        port = free_port()
        database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        env = clean_env(
            **harness_env(sim, slack, database, HTTP_PROXY=proxy.url, NO_PROXY="127.0.0.1"),
            PORT=str(port),
        )
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            async with SlackSender(SIGNING_SECRET) as sender:
                body = slash_command_body(
                    text=f"status {JOB}", response_url=slack.new_response_url()
                )
                answer = await sender.send(f"http://127.0.0.1:{port}/slack/events", body)
                assert answer.status_code == 200
            await slack.wait_for(lambda: slack.calls_to("response_url") != [], timeout=15)
    assert sim.calls[JOB] == 1 and slack.calls_to("auth.test") != []
    assert proxy.passed == []
