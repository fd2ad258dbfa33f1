"""Project IDs found through the IAM stand-in: as the official SDK asks, and as the bot does."""

from __future__ import annotations

import asyncio

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkdrs.v5 import DrsClient as SdkDrsClient
from huaweicloudsdkdrs.v5 import ShowDbObjectTemplateProgressRequest

from bot.errors import ConfigError
from tests.regions.bot import AK, JOBS, PROJECTS, REGIONS, SK, regional_bot, simulator
from tests.regions.test_regions_live import slash

THIRD = REGIONS[2]
WRONG_SK = "not-the-secret-key-0451"


def sdk_progress(iam_url: str, drs_url: str, region: str, job_id: str) -> tuple[str, str | None]:
    """The official SDK, given AK/SK and no project ID, finds the project through IAM itself."""
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    credentials = BasicCredentials(AK, SK).with_iam_endpoint(iam_url)
    client = (
        SdkDrsClient.new_builder()
        .with_credentials(credentials)
        .with_region(Region(region, drs_url))
        .with_http_config(config)
        .build()
    )
    answer = client.show_db_object_template_progress(
        ShowDbObjectTemplateProgressRequest(job_id=job_id)
    )
    return credentials.project_id, answer.parsed_success_number


async def test_the_official_sdk_discovers_the_project_from_the_iam_stand_in() -> None:
    async with simulator(None) as iam, simulator(THIRD, iam) as drs:
        found = await asyncio.to_thread(sdk_progress, iam.url, drs.url, THIRD, JOBS[THIRD])
    assert found == (PROJECTS[THIRD], "4200")
    assert iam.iam.listings == [THIRD]
    assert [r.query for r in iam.requests] == [{"name": THIRD}]


async def test_a_region_iam_does_not_list_fails_alone(sqlite_url: str) -> None:
    env = {"DRS_PROJECTS": f"{REGIONS[0]}:{PROJECTS[REGIONS[0]]}"}
    async with regional_bot("aksk", sqlite_url, env=env, unlisted=(THIRD,)) as bot:
        # Region 1's project was given, so IAM was asked only for the two others.
        assert sorted(bot.iam.iam.listings) == sorted(REGIONS[1:])
        await slash(bot, f"status {JOBS[REGIONS[1]]}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
        assert "4,200" in str(bot.slack.ephemerals()[0].blocks)
        await slash(bot, f"status {JOBS[THIRD]}")
        await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 2)
        said = bot.slack.ephemerals()[1].text
        assert f"Region {THIRD} could not be asked" in said
        assert f"IAM knows no project named {THIRD}" in said
        assert f"DRS_PROJECTS={THIRD}:PROJECT_ID" in said
        # Not asked again within RETRY_DISCOVERY_AFTER: polls must not hammer IAM.
        assert bot.iam.iam.listings.count(THIRD) == 1


async def test_a_default_region_without_a_project_stops_the_start(sqlite_url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        async with regional_bot("aksk", sqlite_url, env={"HUAWEICLOUD_SDK_SK": WRONG_SK}):
            pass
    text = str(caught.value)
    assert "the project of the default region ap-southeast-1 could not be found" in text
    assert "refused the AK/SK signature" in text
    assert "DRS_PROJECTS=ap-southeast-1:PROJECT_ID" in text
    assert WRONG_SK not in text
