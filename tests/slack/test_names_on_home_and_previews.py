"""Job names on the App Home and in console-link previews, over real HTTP; names are user text."""

from __future__ import annotations

from typing import Any

from bot.drs.sim_jobs import parse_jobs
from bot.render.message import Message
from bot.sandbox.slack_payloads import link_shared_body
from bot.watcher.sweep import Sweeper
from tests.render.payloads import assert_safe_payload
from tests.slack.live import CHANNEL, LiveBot
from tests.slack.test_app_http import slash
from tests.slack.test_home import home_text, open_home
from tests.slack.test_watch_flow import card_of, poll_now

JOB = "0rde4s00-0000-4a5d-8dd6-cc44f78jb20r"
ENDED = "0rde4s00-0000-4a5d-8dd6-cc44f78jb21e"
PARSING = [{"send_success": True, "parsed_success_number": "12340"}]
DONE = [{"send_success": True, "process_status": "success", "parsed_success_number": "500"}]
LINK = f"https://console-intl.huaweicloud.com/drs/?region=ap-southeast-1#/detail?jobId={JOB}"


def add_named(bot: LiveBot, name: str) -> None:
    """Two jobs as a jobs file names them: one parsing, one that finishes at the next poll."""
    jobs = [
        {"job_id": JOB, "steps": PARSING, "step_seconds": 3600, "name": name},
        {"job_id": ENDED, "steps": [*PARSING, *DONE], "step_seconds": 0, "name": f"{name}-old"},
    ]
    for job in parse_jobs({"jobs": jobs}):
        job.details["engine_type"] = "mysql-to-kafka"
        bot.simulator.add_job(job)


async def watch_both(bot: LiveBot) -> None:
    await slash(bot, JOB)
    await card_of(bot, CHANNEL)
    bot.slack.add_channel("C0ENDED")
    await slash(bot, ENDED, channel="C0ENDED")
    await card_of(bot, "C0ENDED")
    await poll_now(bot, Sweeper(bot.runtime))


def home_sections(bot: LiveBot) -> list[str]:
    blocks = bot.slack.home_views["U0USER"]["blocks"]
    return [b["text"]["text"] for b in blocks if b.get("type") == "section"]


async def preview(bot: LiveBot) -> list[dict[str, Any]]:
    msg = bot.slack.add_user_message(CHANNEL, f"look: <{LINK}>")
    body = link_shared_body(urls=[LINK], message_ts=msg.ts)
    assert (await bot.sender.send(bot.events_url, body)).status_code == 200
    await bot.slack.wait_for(lambda: len(bot.slack.unfurls) == 1)
    blocks: list[dict[str, Any]] = bot.slack.unfurls[0].unfurls[LINK]["blocks"]
    return blocks


async def test_home_leads_with_the_job_names_and_still_shows_the_ids(live_bot: LiveBot) -> None:
    add_named(live_bot, "orders-to-kafka")
    await watch_both(live_bot)
    await open_home(live_bot)
    [active] = [t for t in home_sections(live_bot) if JOB in t]
    assert active.startswith(f"orders-to-kafka · MySQL → Kafka\n`{JOB}`")
    [ended] = [t for t in home_sections(live_bot) if ENDED in t]
    assert ended.startswith(f"orders-to-kafka-old `{ENDED}` :white_check_mark: succeeded")


async def test_a_preview_leads_with_the_stored_name_and_still_shows_the_id(
    live_bot: LiveBot,
) -> None:
    add_named(live_bot, "orders-to-kafka")
    await watch_both(live_bot)
    first = (await preview(live_bot))[0]["text"]["text"]
    assert first.startswith(":") and "orders-to-kafka · MySQL → Kafka\n" in first
    assert first.endswith(f"*DRS template import* `{JOB}`")


async def test_an_unnamed_job_shows_as_before(live_bot: LiveBot) -> None:
    for job in parse_jobs({"jobs": [{"job_id": JOB, "steps": PARSING, "step_seconds": 3600}]}):
        live_bot.simulator.add_job(job)
    await slash(live_bot, JOB)
    await card_of(live_bot, CHANNEL)
    await open_home(live_bot)
    [active] = [t for t in home_sections(live_bot) if JOB in t]
    assert active.startswith(f"`{JOB}`\n")
    first = (await preview(live_bot))[0]["text"]["text"]
    assert "\n" not in first and first.endswith(f"*DRS template import* `{JOB}`")


async def test_a_hostile_name_is_shown_as_text_on_home_and_in_the_preview(
    live_bot: LiveBot,
) -> None:
    add_named(live_bot, "<!channel> *x* <https://evil.example|y>")
    await watch_both(live_bot)
    await open_home(live_bot)
    for job_id in (JOB, ENDED):  # what comes before the ID is the name, and only text
        [item] = [t for t in home_sections(live_bot) if job_id in t]
        name = item[: item.index(f"`{job_id}`")]
        assert name.startswith("`&lt;!channel&gt; *x* &lt;https://evil.example|y&gt;")
        assert "<" not in name and ">" not in name
    shown = await preview(live_bot)
    assert_safe_payload(Message("seen", shown))
    assert "<!channel>" not in str(shown) and "&lt;!channel&gt;" in str(shown)
    assert "<!channel>" not in home_text(live_bot)
