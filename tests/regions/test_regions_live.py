"""Several regions over real HTTP: a job in the 2nd of 3 regions, with each credential kind."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from bot.errors import ConfigError
from bot.render.cards import ACTION_REFRESH
from bot.sandbox.slack_interactions import block_action_body
from bot.sandbox.slack_payloads import link_shared_body, slash_command_body
from bot.store.models import PolledJob, Watch
from bot.watcher.sweep import Sweeper
from tests.regions.bot import JOBS, NOWHERE, PROJECTS, REGIONS, RegionalBot, regional_bot

CHANNEL = "C0REGIONS"
CONSOLE = "https://console-intl.huaweicloud.com/drs/"
SECOND = REGIONS[1]


async def slash(bot: RegionalBot, text: str, user: str = "U0USER") -> None:
    bot.slack.add_channel(CHANNEL)
    url = bot.slack.new_response_url(channel_id=CHANNEL, user_id=user)
    body = slash_command_body(text=text, response_url=url, channel_id=CHANNEL, user_id=user)
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200


def cards(bot: RegionalBot) -> list:
    return [m for m in bot.slack.messages(CHANNEL) if not m.is_reply]


async def stored(bot: RegionalBot) -> list[tuple[str, str | None, str]]:
    for _ in range(200):  # the listener stores the card right after Slack accepted it
        async with bot.runtime.sessions() as session:
            rows = (
                await session.execute(
                    select(PolledJob.job_id, PolledJob.region, PolledJob.project_id)
                    .join(Watch, Watch.polled_job_id == PolledJob.id)
                    .where(Watch.card_ts.is_not(None))
                )
            ).all()
        if rows:
            return [tuple(r) for r in rows]
        await asyncio.sleep(0.02)
    raise AssertionError("no card was stored")


def progress_calls(bot: RegionalBot, region: str) -> int:
    return sum(bot.sims[region].calls.values())


@pytest.mark.parametrize("kind", ["aksk", "iam"])
async def test_a_job_in_the_second_region_is_found_watched_and_polled_there(
    kind: str, sqlite_url: str
) -> None:
    async with regional_bot(kind, sqlite_url) as bot:
        # Every project was found through the IAM stand-in, once per region.
        assert sorted(bot.iam.iam.listings) == sorted(REGIONS)
        await slash(bot, JOBS[SECOND])
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert "Region `ap-southeast-2`" in str(cards(bot)[0].blocks)
        assert await stored(bot) == [(JOBS[SECOND], SECOND, PROJECTS[SECOND])]
        # The default region was asked first and said no; the third never had to answer later.
        assert bot.sims[REGIONS[0]].calls == {JOBS[SECOND]: 1}
        assert bot.sims[SECOND].calls == {JOBS[SECOND]: 1}

        async with bot.runtime.sessions.begin() as session:
            job = (await session.execute(select(PolledJob))).scalar_one()
            job.next_poll_at = bot.runtime.clock.now()
        await Sweeper(bot.runtime).poll_once()
        assert bot.sims[SECOND].calls == {JOBS[SECOND]: 2}  # polled in its own region
        assert bot.sims[REGIONS[0]].calls == {JOBS[SECOND]: 1}
        assert bot.iam.iam.listings.count(SECOND) == 1  # the project stayed cached
        await slash(bot, f"status {JOBS[SECOND]}")  # known now: asked in its region only
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        assert bot.sims[REGIONS[0]].calls == {JOBS[SECOND]: 1}
        assert bot.sims[SECOND].calls == {JOBS[SECOND]: 3}
        if kind == "iam":
            scopes = [login["auth"]["scope"] for login in bot.iam.iam_logins]
            assert {"project": {"id": PROJECTS[SECOND]}} in scopes


async def test_a_ready_token_serves_one_region_and_finds_its_project(sqlite_url: str) -> None:
    async with regional_bot("token", sqlite_url, regions=(SECOND,)) as bot:
        assert bot.iam.iam.listings == [SECOND]
        await slash(bot, f"status {JOBS[SECOND]}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        assert "4,200" in str(bot.slack.ephemerals()[0].blocks)


async def test_a_ready_token_with_several_regions_is_a_start_error(sqlite_url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        async with regional_bot("token", sqlite_url):
            pass
    text = str(caught.value)
    assert "DRS_AUTH_TOKEN is scoped to one project" in text
    assert "ap-southeast-1, ap-southeast-2, ap-southeast-3" in text
    assert "HUAWEICLOUD_SDK_AK/SK" in text


async def test_one_region_down_while_the_others_answer(sqlite_url: str) -> None:
    async with regional_bot("aksk", sqlite_url) as bot:
        bot.sims[REGIONS[0]].faults.down = True  # the default region answers 500
        await slash(bot, JOBS[REGIONS[2]])
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert "Region `ap-southeast-3`" in str(cards(bot)[0].blocks)

        await slash(bot, NOWHERE)
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        said = bot.slack.ephemerals()[0].text
        assert "no job" in said and "ap-southeast-2, ap-southeast-3" in said
        assert "Region ap-southeast-1 could not be asked" in said
        assert "Regions asked: ap-southeast-1, ap-southeast-2, ap-southeast-3" in said


async def test_unknown_everywhere_names_the_regions_asked(sqlite_url: str) -> None:
    async with regional_bot("aksk", sqlite_url) as bot:
        await slash(bot, f"status {NOWHERE}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        said = bot.slack.ephemerals()[0].text
        assert "DRS has no job" in said
        assert "regions ap-southeast-1, ap-southeast-2, ap-southeast-3" in said
        assert all(progress_calls(bot, r) == 1 for r in REGIONS)


async def test_region_option_asks_that_region_only(sqlite_url: str) -> None:
    async with regional_bot("aksk", sqlite_url) as bot:
        await slash(bot, f"status {JOBS[SECOND]} --region ap-southeast-3")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        assert "DRS has no job" in bot.slack.ephemerals()[0].text
        assert progress_calls(bot, REGIONS[0]) == 0 and progress_calls(bot, SECOND) == 0

        await slash(bot, f"watch {JOBS[SECOND]} --region {SECOND}")
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert progress_calls(bot, REGIONS[0]) == 0
        assert await stored(bot) == [(JOBS[SECOND], SECOND, PROJECTS[SECOND])]
        await refresh(bot, cards(bot)[0])  # the card's Refresh asks the job's region
        await bot.slack.wait_for(lambda: progress_calls(bot, SECOND) == 2)
        assert progress_calls(bot, REGIONS[0]) == 0

        await slash(bot, f"status {JOBS[SECOND]} --region eu-west-101")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 2)
        said = bot.slack.ephemerals()[1].text
        assert "I do not serve region `eu-west-101`" in said
        assert "`ap-southeast-1`, `ap-southeast-2`, `ap-southeast-3`" in said


async def refresh(bot: RegionalBot, card: Any) -> None:
    button = next(
        e
        for b in card.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ACTION_REFRESH
    )
    body = block_action_body(
        action_id=ACTION_REFRESH,
        value=button["value"],
        message_ts=card.ts,
        channel_id=CHANNEL,
        response_url=bot.slack.new_response_url(channel_id=CHANNEL),
    )
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200


async def paste(bot: RegionalBot, url: str, n: int) -> str:
    bot.slack.add_channel(CHANNEL)
    msg = bot.slack.add_user_message(CHANNEL, f"look: <{url}>")
    body = link_shared_body(urls=[url], message_ts=msg.ts, channel_id=CHANNEL)
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200
    await bot.slack.wait_for(lambda: len(bot.slack.unfurls) >= n)
    return str(bot.slack.unfurls[n - 1].unfurls[url]["blocks"])


async def test_a_console_link_is_previewed_from_the_region_it_names(sqlite_url: str) -> None:
    async with regional_bot("aksk", sqlite_url) as bot:
        third = f"{CONSOLE}?region=ap-southeast-3#/drs/migration/detail?jobId={JOBS[REGIONS[2]]}"
        assert "4,200" in await paste(bot, third, 1)
        assert progress_calls(bot, REGIONS[0]) == 0 and progress_calls(bot, SECOND) == 0
        elsewhere = f"{CONSOLE}?region=eu-west-101#/drs/migration/detail?jobId={NOWHERE}"
        preview = await paste(bot, elsewhere, 2)
        assert "eu-west-101" in preview and "ap-southeast-1, ap-southeast-2" in preview
        assert progress_calls(bot, REGIONS[0]) == 0


async def test_the_channels_region_is_asked_first_and_must_be_served(sqlite_url: str) -> None:
    async with regional_bot("aksk", sqlite_url) as bot:
        await slash(bot, "config region eu-west-101")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        said = bot.slack.ephemerals()[0].text
        assert "I do not serve region `eu-west-101`" in said
        assert "`config region ap-southeast-1`" in said

        third = REGIONS[2]
        await slash(bot, f"config region {third.upper()}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 2)
        await slash(bot, f"status {JOBS[third]}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 3)
        assert "parsing, 4,200 rows" in bot.slack.ephemerals()[2].text
        # Found in the channel's region: the others were never asked.
        assert progress_calls(bot, third) == 1
        assert progress_calls(bot, REGIONS[0]) == 0 and progress_calls(bot, SECOND) == 0

        await slash(bot, JOBS[third])
        await bot.slack.wait_for(lambda: len(cards(bot)) == 1)
        assert progress_calls(bot, REGIONS[0]) == 0 and progress_calls(bot, SECOND) == 0
        assert await stored(bot) == [(JOBS[third], third, PROJECTS[third])]
