"""`drs-bot doctor`: every setting checked against the real services, one line each with a fix."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.access.gate import AccessGate
from bot.clock import Clock, SystemClock
from bot.config import CredentialKind, Settings, load_settings
from bot.drs import probe
from bot.drs.endpoints import drs_endpoint, iam_endpoint
from bot.drs.region_factory import region_urls
from bot.errors import PolicyError, StoreError
from bot.proxy import Proxies
from bot.slack.reach import describe_slack_failure
from bot.slack.scopes import BOT_SCOPES
from bot.store.db import is_sqlite, make_engine, normalize_url, require_sqlite_folder, safe_url
from bot.store.migrate import current_revision, head_revision

MAX_SKEW = timedelta(minutes=15)  # the gateway refuses signed requests beyond it


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed, what it found, the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        fix = f" Fix: {self.fix}" if not self.ok and self.fix else ""
        return f"{mark} {self.name}: {self.detail.rstrip('.')}.{fix}"


async def slack_checks(settings: Settings) -> list[Check]:
    """The bot token (auth.test) and the scopes granted to it, against what the app asks for."""
    if settings.slack_client_id or settings.slack_client_secret is not None:
        from bot.slack.oauth_doctor import oauth_checks  # OAuth mode: tokens are per workspace

        return await oauth_checks(settings)
    token = settings.slack_bot_token
    if token is None or not token.get_secret_value().startswith("xoxb-"):
        fix = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...), OAuth & Permissions"
        return [Check("slack token", False, "SLACK_BOT_TOKEN is not a bot token", fix)]
    api_url = settings.slack_api_url
    client = AsyncWebClient(
        token=token.get_secret_value(),
        base_url=api_url,
        timeout=10,
        proxy=Proxies.from_settings(settings).for_url(api_url),
    )
    try:
        answer = await client.auth_test()
    except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
        why = describe_slack_failure(exc, token="SLACK_BOT_TOKEN", api_url=api_url)
        fix = (
            "copy the token again (reinstall the app if it was revoked)"
            if isinstance(exc, SlackApiError)
            else "make Slack reachable from here: SLACK_API_URL, DNS, firewall, HTTPS_PROXY"
        )
        return [Check("slack token", False, f"auth.test failed: {why}", fix)]
    who = f"auth.test: bot {answer.get('user_id')} in team {answer.get('team_id')}"
    header = next((v for k, v in answer.headers.items() if k.lower() == "x-oauth-scopes"), "")
    value = header[0] if isinstance(header, list) else str(header)
    granted = {s.strip() for s in value.split(",") if s.strip()}
    missing = [s for s in BOT_SCOPES if s not in granted]
    scopes = Check("slack scopes", True, f"granted {', '.join(s for s in BOT_SCOPES)}")
    if missing:
        fix = "add them under OAuth & Permissions (or from manifest.yml), then reinstall the app"
        scopes = Check("slack scopes", False, f"missing {', '.join(missing)}", fix)
    return [Check("slack token", True, who), scopes]


def mode_checks(settings: Settings) -> list[Check]:
    """The signing secret (HTTP mode) and the app-level token's shape (Socket Mode)."""
    app_token = settings.slack_app_token
    if app_token is None:
        socket = Check("socket mode token", True, "SLACK_APP_TOKEN unset: HTTP mode")
    elif app_token.get_secret_value().startswith("xapp-"):
        socket = Check("socket mode token", True, "SLACK_APP_TOKEN is an app-level token")
    else:
        fix = "set SLACK_APP_TOKEN to an app-level token (xapp-..., scope connections:write)"
        socket = Check("socket mode token", False, "SLACK_APP_TOKEN is not xapp-...", fix)
    if app_token is not None:
        secret = Check("signing secret", True, "not needed in Socket Mode")
    elif settings.slack_signing_secret and settings.slack_signing_secret.get_secret_value():
        secret = Check("signing secret", True, "SLACK_SIGNING_SECRET is set")
    else:
        fix = "set SLACK_SIGNING_SECRET from the app's Basic Information page"
        secret = Check("signing secret", False, "SLACK_SIGNING_SECRET is not set", fix)
    return [secret, socket]


def endpoint_urls(settings: Settings) -> dict[str, str]:
    """Every URL the bot will call on the cloud side, by the setting that chose it."""
    urls: dict[str, str] = {}
    if regional := region_urls(settings):  # DRS_REGIONS: every region's endpoint
        urls.update(regional)
    elif settings.drs_endpoint:
        urls["DRS_ENDPOINT"] = settings.drs_endpoint
    elif settings.drs_region:
        urls["DRS_REGION"] = drs_endpoint(settings.drs_region)
    if CredentialKind.IAM in settings.credential_kinds():
        if settings.iam_endpoint:
            urls["IAM_ENDPOINT"] = settings.iam_endpoint
        elif settings.drs_region:
            urls["IAM (DRS_REGION)"] = iam_endpoint(settings.drs_region)
    return urls


async def endpoint_checks(settings: Settings) -> list[Check]:
    """Name resolution, connection and TLS for each endpoint (through a proxy: not direct)."""
    checks = []
    proxies = Proxies.from_settings(settings)
    for setting, url in endpoint_urls(settings).items():
        name = f"endpoint {setting}"
        if proxies.for_url(url) is not None:
            checks.append(Check(name, True, f"{url} is reached through the proxy"))
            continue
        reached = await probe.reach(url)
        fix = f"check {setting.split()[0]}, DNS, the firewall and HTTPS_PROXY/NO_PROXY"
        checks.append(Check(name, reached.ok, reached.detail, "" if reached.ok else fix))
    return checks


async def drs_checks(settings: Settings, *, clock: Clock) -> list[Check]:
    """The credentials (a query for a job no project has) and the clock against DRS's Date."""
    problems = settings.drs_problems()
    if problems:
        return [Check("drs settings", False, " ".join(problems), "set them as each one says")]
    checks = await endpoint_checks(settings)
    answer = await probe.ask_drs(settings, clock=clock)
    kind = settings.credential_kinds()[0].value
    if answer.error is None:
        checks.append(Check("drs credentials", True, f"DRS accepted the {kind} credentials"))
    else:
        fix = "renew or correct the credentials" if probe.refused(answer) else ""
        detail = answer.error.user_message().rstrip(".")
        checks.append(Check("drs credentials", False, detail, fix or "see the endpoint checks"))
    if answer.date is None:
        fix = "make DRS reachable first (see above)"
        checks.append(Check("clock", False, "DRS sent no Date to compare with", fix))
        return checks
    skew = abs(clock.now() - answer.date)
    detail = f"{skew.total_seconds():.0f} s from DRS's clock"
    fix = "" if skew <= MAX_SKEW else "synchronise this machine's clock (NTP)"
    checks.append(Check("clock", skew <= MAX_SKEW, detail, fix))
    return checks


async def database_check(settings: Settings) -> Check:
    """Reachable, and the schema at the newest migration."""
    url = settings.database_url
    fix = "run `drs-bot db upgrade` with the same DATABASE_URL"
    if is_sqlite(url) and ":memory:" not in url:
        path = make_url(normalize_url(url)).database or ""
        if not await asyncio.to_thread(os.path.exists, path):
            return Check("database", False, f"{safe_url(url)} does not exist yet", fix)
    try:
        require_sqlite_folder(url)
        engine = make_engine(url)
        try:
            async with asyncio.timeout(10):
                current = await current_revision(engine)
        finally:
            await engine.dispose()
    except (SQLAlchemyError, OSError, TimeoutError, StoreError) as exc:
        reason = f"{safe_url(url)} unreachable ({type(exc).__name__})"
        return Check("database", False, reason, "check DATABASE_URL and the database server")
    head = head_revision()
    if current != head:
        return Check("database", False, f"schema at {current or 'nothing'}, needs {head}", fix)
    return Check("database", True, f"{safe_url(url)} at the newest revision {head}")


async def policy_check(settings: Settings) -> Check:
    """The access policy file parses (unset: everyone may do everything)."""
    if not settings.access_policy:
        return Check("access policy", True, "ACCESS_POLICY unset: everyone may do everything")
    try:
        gate = await asyncio.to_thread(AccessGate.from_file, Path(settings.access_policy))
    except PolicyError as exc:
        return Check("access policy", False, f"{exc.where()}: {exc.reason}", "fix that line")
    rules = len(gate.policy.rules) if gate.policy is not None else 0
    return Check("access policy", True, f"{settings.access_policy}: {rules} rules")


async def run_checks(settings: Settings, *, clock: Clock | None = None) -> list[Check]:
    """Every check, in the order the report shows them."""
    clock = clock or SystemClock()
    return [
        *(await slack_checks(settings)),
        *mode_checks(settings),
        *(await drs_checks(settings, clock=clock)),
        await database_check(settings),
        await policy_check(settings),
    ]


def report(checks: list[Check], *, as_json: bool) -> str:
    if as_json:
        body = {"ok": all(c.ok for c in checks), "checks": [asdict(c) for c in checks]}
        return json.dumps(body, ensure_ascii=False)
    return "\n".join(c.line() for c in checks)


def run_doctor(args: argparse.Namespace) -> int:
    """`drs-bot doctor [--json]`: exit 0 when every check passes, 1 otherwise."""
    checks = asyncio.run(run_checks(load_settings()))
    print(report(checks, as_json=args.json))
    return 0 if all(c.ok for c in checks) else 1
