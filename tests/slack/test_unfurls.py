"""Pasted DRS console links unfurl: progress, Watch in thread, Refresh; DRS asked once a minute."""

from __future__ import annotations

import asyncio

import pytest

from bot.drs.console import console_link
from bot.render.unfurls import ACTION_UNFURL_REFRESH, ACTION_UNFURL_WATCH
from bot.sandbox.slack_interactions import unfurl_action_body
from bot.sandbox.slack_payloads import link_shared_body
from bot.store.models import Watch
from tests.slack.live import CHANNEL, RUNNING, LiveBot

INTL = "https://console-intl.huaweicloud.com/drs/?region=ap-southeast-1"
LINK = f"{INTL}#/drs/migration/detail?jobId={RUNNING}"

SHAPES = {
    "fragment, jobId": (LINK, RUNNING, "ap-southeast-1"),
    "query, id": (
        f"https://console.huaweicloud.com/drs/?region=cn-north-4&id={RUNNING}#/list",
        RUNNING,
        "cn-north-4",
    ),
    "encoded fragment": (f"{INTL}#%2Fdrs%2Fdetail%3FjobId%3D{RUNNING}", RUNNING, "ap-southeast-1"),
    "region in the fragment": (
        f"https://console.eu.huaweicloud.com/drs/#/detail?region=eu-west-101&jobId={RUNNING}",
        RUNNING,
        "eu-west-101",
    ),
    "no region": (f"https://console.huaweicloud.com/drs/#/detail?jobId={RUNNING}", RUNNING, None),
}


@pytest.mark.parametrize(("url", "job_id", "region"), SHAPES.values(), ids=SHAPES.keys())
def test_console_links_name_the_job_and_region_as_pasted(
    url: str, job_id: str, region: str | None
) -> None:
    found = console_link(url)
    assert found is not None and (found.job_id, found.region) == (job_id, region)


@pytest.mark.parametrize(
    "url",
    [f"https://example.com/?jobId={RUNNING}", "https://console.huaweicloud.com/drs/", "http://["],
)
def test_other_links_are_not_console_links(url: str) -> None:
    assert console_link(url) is None


async def paste(bot: LiveBot, url: str, n: int, **extra: str) -> str:
    msg = bot.slack.add_user_message(CHANNEL, f"look: <{url}>")
    body = link_shared_body(urls=[url], message_ts=msg.ts, **extra)
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200
    await bot.slack.wait_for(lambda: len(bot.slack.unfurls) >= n)
    return msg.ts


async def test_a_link_pasted_three_times_in_a_minute_asks_drs_once(live_bot: LiveBot) -> None:
    stamps = [await paste(live_bot, LINK, n) for n in (1, 2, 3)]
    assert [u.ts for u in live_bot.slack.unfurls] == stamps  # each message gets its preview
    assert live_bot.simulator.calls.get(RUNNING) == 1
    preview = str(live_bot.slack.unfurls[0].unfurls[LINK]["blocks"])
    assert "12,340" in preview and "Watch in thread" in preview and "Refresh" in preview
    assert await live_bot.count(Watch) == 0  # an unfurl never starts a watch by itself


async def test_three_pastes_at_the_same_moment_ask_drs_once(live_bot: LiveBot) -> None:
    stamps = [live_bot.slack.add_user_message(CHANNEL, LINK).ts for _ in range(3)]
    bodies = [link_shared_body(urls=[LINK], message_ts=ts) for ts in stamps]
    await asyncio.gather(*(live_bot.sender.send(live_bot.events_url, b) for b in bodies))
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.unfurls) == 3)
    assert sorted(u.ts for u in live_bot.slack.unfurls) == sorted(stamps)
    assert live_bot.simulator.calls.get(RUNNING) == 1


async def test_a_retried_link_shared_event_is_unfurled_once(live_bot: LiveBot) -> None:
    msg = live_bot.slack.add_user_message(CHANNEL, LINK)
    body = link_shared_body(urls=[LINK], message_ts=msg.ts)
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.sender.send(live_bot.events_url, body, retry_num=1)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.unfurls) == 1)
    await paste(live_bot, LINK, 2)  # a later paste is answered; the retry before it was not
    assert len(live_bot.slack.calls_to("chat.unfurl")) == 2


async def test_a_link_to_another_region_says_so_instead_of_asking(live_bot: LiveBot) -> None:
    rt = live_bot.runtime
    rt.settings = rt.settings.model_copy(update={"drs_region": "cn-north-4"})
    await paste(live_bot, LINK, 1)
    preview = str(live_bot.slack.unfurls[0].unfurls[LINK]["blocks"])
    assert "ap-southeast-1" in preview and "cn-north-4" in preview
    assert live_bot.simulator.calls.get(RUNNING) is None


async def test_watch_in_thread_starts_a_watch_under_the_pasted_message(live_bot: LiveBot) -> None:
    ts = await paste(live_bot, LINK, 1)
    body = unfurl_action_body(
        action_id=ACTION_UNFURL_WATCH,
        value=RUNNING,
        url=LINK,
        message_ts=ts,
        response_url=live_bot.slack.new_response_url(),
    )
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.thread(CHANNEL, ts)) == 1)
    assert RUNNING in str(live_bot.slack.thread(CHANNEL, ts)[0].blocks)
    assert await live_bot.count(Watch, state="active") == 1
    assert [m.ts for m in live_bot.slack.messages(CHANNEL)] == [ts]  # the card is in the thread


async def test_refresh_shows_the_preview_again_without_a_second_call_in_the_minute(
    live_bot: LiveBot,
) -> None:
    ts = await paste(live_bot, LINK, 1)
    body = unfurl_action_body(
        action_id=ACTION_UNFURL_REFRESH,
        value=RUNNING,
        url=LINK,
        message_ts=ts,
        response_url=live_bot.slack.new_response_url(),
    )
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.unfurls) == 2)
    assert [u.ts for u in live_bot.slack.unfurls] == [ts, ts]
    assert live_bot.simulator.calls.get(RUNNING) == 1
