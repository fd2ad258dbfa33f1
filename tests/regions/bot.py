"""A live bot serving three regions, each a simulator of its own, with one IAM stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from bot.compose import build_runtime, close_runtime
from bot.config import load_settings
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.runtime import Runtime
from bot.sandbox.harness import BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, TEAM_ID, serving
from bot.sandbox.slack_payloads import SlackSender
from bot.sandbox.slack_standin import SlackStandIn
from bot.server import build_web
from bot.slack.app import build_app

REGIONS = ("ap-southeast-1", "ap-southeast-2", "ap-southeast-3")
PROJECTS = {region: f"{n}" * 32 for n, region in enumerate(REGIONS, start=1)}
# One job per region; each served only under its region's project.
JOBS = {
    "ap-southeast-1": "a1a1a1a1-0000-4a5d-8dd6-cc44f78jb201",
    "ap-southeast-2": "b2b2b2b2-0000-4a5d-8dd6-cc44f78jb202",
    "ap-southeast-3": "c3c3c3c3-0000-4a5d-8dd6-cc44f78jb203",
}
NOWHERE = "d4d4d4d4-0000-4a5d-8dd6-cc44f78jb204"
AK, SK = "SIMAKREGIONS0000", "sim-secret-key-regions"
USER, PASSWORD, DOMAIN = "drs-bot", "iam-password", "acme"
TOKEN = "a-ready-iam-token"
KINDS = ("aksk", "iam", "token")
STEPS = [{"send_success": True, "parsed_success_number": "4200"}]


@dataclass
class RegionalBot:
    url: str
    sender: SlackSender
    slack: SlackStandIn
    iam: DrsSimulator
    sims: dict[str, DrsSimulator]
    runtime: Runtime

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"


def credentials(kind: str, iam_url: str) -> dict[str, str]:
    if kind == "aksk":
        return {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "IAM_ENDPOINT": iam_url}
    if kind == "iam":
        return {
            "IAM_USERNAME": USER,
            "IAM_PASSWORD": PASSWORD,
            "IAM_DOMAIN": DOMAIN,
            "IAM_ENDPOINT": iam_url,
        }
    return {"DRS_AUTH_TOKEN": TOKEN, "IAM_ENDPOINT": iam_url}


def simulator(region: str | None, iam: DrsSimulator | None = None) -> DrsSimulator:
    """A region's DRS (or, with region None, the IAM every region logs in to)."""
    jobs = (
        []
        if region is None
        else [SimJob(JOBS[region], STEPS, 3600, {"project_id": PROJECTS[region]})]
    )
    sim = DrsSimulator(
        jobs,
        project_id=PROJECTS[region] if region else None,
        token=TOKEN,
        ak=AK,
        sk=SK,
        iam_users={f"{DOMAIN}/{USER}": PASSWORD},
        iam_projects=dict(PROJECTS) if region is None else None,
    )
    if iam is not None:  # one IAM: the tokens it issues are good in every region
        sim.issued_tokens = iam.issued_tokens
    return sim


def bot_env(
    kind: str, slack: SlackStandIn, iam: DrsSimulator, sims: dict[str, DrsSimulator], db: str
) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": db,
        "DRS_REGIONS": ",".join(sims),
        "DRS_ENDPOINTS": ",".join(f"{region}={sim.url}" for region, sim in sims.items()),
        **credentials(kind, iam.url),
    }


@asynccontextmanager
async def regional_bot(
    kind: str,
    database_url: str,
    *,
    regions: tuple[str, ...] = REGIONS,
    env: dict[str, str] | None = None,
    unlisted: tuple[str, ...] = (),
) -> AsyncIterator[RegionalBot]:
    """Start IAM, one simulator per region, the Slack stand-in and the bot over real HTTP.

    `unlisted`: regions whose project IAM does not list (their discovery fails).
    """
    async with AsyncExitStack() as stack:
        iam = await stack.enter_async_context(simulator(None))
        for region in unlisted:
            del iam.iam.projects[region]
        sims = {r: await stack.enter_async_context(simulator(r, iam)) for r in regions}
        slack = SlackStandIn(bot_token=BOT_TOKEN, team_id=TEAM_ID, bot_user_id=BOT_USER_ID)
        await slack.start()
        stack.push_async_callback(slack.close)
        settings = load_settings({**bot_env(kind, slack, iam, sims, database_url), **(env or {})})
        retry = RetryPolicy(attempts=1, base=0.01, cap=0.01, deadline=0.5)
        runtime = await build_runtime(settings, drs_retry=retry)
        stack.push_async_callback(close_runtime, runtime)
        runtime.bot_user_id = BOT_USER_ID
        web = build_web(runtime, build_app(runtime), watcher=None)
        url = await stack.enter_async_context(serving(web))
        sender = await stack.enter_async_context(SlackSender(SIGNING_SECRET))
        yield RegionalBot(url, sender, slack, iam, sims, runtime)
