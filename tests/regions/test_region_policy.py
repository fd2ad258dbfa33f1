"""The access policy checks a job's real region and project, learned by `--region` or the lookup."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.store.models import Watch
from tests.regions.bot import JOBS, PROJECTS, REGIONS, RegionalBot, regional_bot
from tests.regions.test_regions_live import CHANNEL, cards, refresh, slash, stored

FIRST, SECOND, THIRD = REGIONS

DENY_SG3 = f"""
[[rules]]
name = "no-jobs-in-sg3"
effect = "deny"
regions = ["{THIRD}"]

[[rules]]
name = "no-watching-project-2"
effect = "deny"
projects = ["{PROJECTS[SECOND]}"]
actions = ["watch"]

[[rules]]
name = "everyone"
effect = "allow"
"""

ALLOW_ONLY = f"""
[[rules]]
name = "sg1-and-sg2-only"
effect = "allow"
regions = ["{FIRST}", "{SECOND}"]

[[rules]]
name = "nothing-else"
effect = "deny"
"""


def policy(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return {"ACCESS_POLICY": str(path)}


async def watches(bot: RegionalBot) -> int:
    async with bot.runtime.sessions() as session:
        return int((await session.execute(select(func.count(Watch.id)))).scalar_one())


async def answer(bot: RegionalBot, n: int) -> str:
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) >= n)
    return bot.slack.ephemerals(CHANNEL)[n - 1].text


async def test_deny_rules_on_regions_and_projects_follow_the_job_found(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with regional_bot("aksk", sqlite_url, env=policy(tmp_path, DENY_SG3)) as bot:
        await slash(bot, JOBS[THIRD])  # found only by the lookup, in the third region
        refused = await answer(bot, 1)
        assert "no-jobs-in-sg3" in refused
        assert bot.sims[THIRD].calls[JOBS[THIRD]] == 1  # it was looked up, then refused
        await slash(bot, JOBS[SECOND])  # the project rule
        assert "no-watching-project-2" in await answer(bot, 2)
        assert await watches(bot) == 0 and cards(bot) == []
        await slash(bot, f"status {JOBS[SECOND]}")  # that rule is about watching only
        assert "4,200 rows" in await answer(bot, 3)
        await slash(bot, JOBS[FIRST])  # another region: watched
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert await watches(bot) == 1
        await slash(bot, f"status {JOBS[THIRD]} --region {THIRD}")  # known at once: no DRS call
        assert "no-jobs-in-sg3" in await answer(bot, 4)
        assert bot.sims[THIRD].calls[JOBS[THIRD]] == 1
        await slash(bot, f"template {JOBS[THIRD]}")  # looked up again, refused before any download
        assert "no-jobs-in-sg3" in await answer(bot, 5)
        assert not [c for c in bot.slack.calls if c.method.startswith("files.")]


async def test_an_allow_rule_on_regions_waits_for_the_lookup(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with regional_bot("aksk", sqlite_url, env=policy(tmp_path, ALLOW_ONLY)) as bot:
        await slash(bot, JOBS[SECOND])  # unknown at first (pending), allowed once found
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert "Region `ap-southeast-2`" in str(cards(bot)[0].blocks)
        assert await stored(bot) == [(JOBS[SECOND], SECOND, PROJECTS[SECOND])]
        before = bot.sims[SECOND].calls[JOBS[SECOND]]
        await refresh(bot, cards(bot)[0])  # checked with the watched job's stored region
        await bot.slack.wait_for(lambda: bot.sims[SECOND].calls[JOBS[SECOND]] == before + 1)
        await slash(bot, JOBS[THIRD])
        assert "nothing-else" in await answer(bot, 1)
        assert await watches(bot) == 1
        await slash(bot, "list")  # no region to wait for: the deny rule decides at once
        assert "nothing-else" in await answer(bot, 2)
        await slash(bot, f"stop {JOBS[SECOND]}")  # checked in the watched job's stored region
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals(CHANNEL)) >= 3)
        async with bot.runtime.sessions() as session:
            states = (await session.execute(select(Watch.state))).scalars().all()
        assert states == ["stopped"]
