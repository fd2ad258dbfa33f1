"""The App Home: your watches across channels, Stop from Home, republished when watches move."""

from __future__ import annotations

from typing import Any

from bot.drs.sim_jobs import SimJob
from bot.render.home import ACTION_HOME_STOP
from bot.sandbox.slack_interactions import home_action_body
from bot.sandbox.slack_payloads import app_home_opened_body
from bot.store.models import Watch
from bot.watcher.sweep import Sweeper
from tests.slack.live import DONE, RUNNING, LiveBot
from tests.slack.test_app_http import slash
from tests.slack.test_watch_flow import card_of, poll_now

USER = "U0USER"


def home_text(bot: LiveBot, user: str = USER) -> str:
    return str(bot.slack.home_views.get(user, {}).get("blocks", []))


def stop_buttons(bot: LiveBot, user: str = USER) -> list[dict[str, Any]]:
    blocks = bot.slack.home_views.get(user, {}).get("blocks", [])
    return [b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id")]


async def open_home(bot: LiveBot, user: str = USER) -> None:
    publishes = len(bot.slack.calls_to("views.publish"))
    await bot.sender.send(bot.events_url, app_home_opened_body(user_id=user))
    await bot.slack.wait_for(lambda: len(bot.slack.calls_to("views.publish")) > publishes)


async def test_opening_home_lists_your_watches_across_channels_then_ended_ones(
    live_bot: LiveBot,
) -> None:
    live_bot.slack.add_channel("C0AAAA")
    live_bot.slack.add_channel("C0BBBB")
    await slash(live_bot, RUNNING, channel="C0AAAA")
    await card_of(live_bot, "C0AAAA")
    await slash(live_bot, DONE, channel="C0BBBB")  # already finished: an ended watch
    await card_of(live_bot, "C0BBBB")
    await slash(live_bot, RUNNING, channel="C0CCCC", user="U0BOB")  # someone else's
    await card_of(live_bot, "C0CCCC")
    await open_home(live_bot)
    text = home_text(live_bot)
    assert "Your watches" in text and "Recently ended" in text and "How to watch" in text
    assert text.index(RUNNING) < text.index("Recently ended") < text.index(DONE)
    assert "<#C0AAAA>" in text and "open card" in text and "12,340" in text
    assert "succeeded" in text
    assert [b["text"]["text"] for b in stop_buttons(live_bot)] == ["Stop"]  # Bob's not here


async def test_stop_from_home_stops_like_the_card_and_updates_home(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    card = await card_of(live_bot, "C0SANDBOX")
    await open_home(live_bot)
    [stop] = stop_buttons(live_bot)
    publishes = len(live_bot.slack.calls_to("views.publish"))
    body = home_action_body(action_id=ACTION_HOME_STOP, value=stop["value"])
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.calls_to("views.publish")) > publishes)
    assert await live_bot.count(Watch, state="stopped") == 1
    assert "Stopped watching" in str(live_bot.slack.find_message("C0SANDBOX", card).blocks)
    assert stop_buttons(live_bot) == [] and "stopped" in home_text(live_bot)


async def test_nobody_stops_another_persons_watch_from_their_home(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await card_of(live_bot, "C0SANDBOX")
    await open_home(live_bot)
    [stop] = stop_buttons(live_bot)
    body = home_action_body(action_id=ACTION_HOME_STOP, value=stop["value"], user_id="U0EVE")
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.slack.wait_for(lambda: "U0EVE" in live_bot.slack.home_views)
    assert await live_bot.count(Watch, state="active") == 1


async def test_home_is_republished_when_a_watch_changes_phase_or_ends(live_bot: LiveBot) -> None:
    job = "5ca1ab1e-0000-4a5d-8dd6-cc44f78jb20r"
    steps = [
        {"send_success": False},
        {"send_success": True, "parsed_success_number": "100"},
        {"send_success": True, "parsed_success_number": "200"},
        {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
    ]
    live_bot.simulator.add_job(SimJob(job, steps, step_seconds=0))
    await slash(live_bot, job)
    await card_of(live_bot, "C0SANDBOX")
    sweeper = Sweeper(live_bot.runtime)
    await poll_now(live_bot, sweeper)  # uploading -> parsing: the Home shows it
    assert len(live_bot.slack.calls_to("views.publish")) == 1
    assert "parsing" in home_text(live_bot)
    await poll_now(live_bot, sweeper)  # rows only, and within the minute: not again
    assert len(live_bot.slack.calls_to("views.publish")) == 1
    await poll_now(live_bot, sweeper)  # ended: at once, whatever the minute says
    assert len(live_bot.slack.calls_to("views.publish")) == 2
    assert "Recently ended" in home_text(live_bot) and stop_buttons(live_bot) == []


async def test_a_stop_anywhere_republishes_the_starters_home(live_bot: LiveBot) -> None:
    await slash(live_bot, RUNNING)
    await card_of(live_bot, "C0SANDBOX")
    await open_home(live_bot)
    assert len(stop_buttons(live_bot)) == 1
    publishes = len(live_bot.slack.calls_to("views.publish"))
    await slash(live_bot, f"stop {RUNNING}")
    await live_bot.slack.wait_for(lambda: len(live_bot.slack.calls_to("views.publish")) > publishes)
    assert stop_buttons(live_bot) == [] and "stopped" in home_text(live_bot)
