"""Job names over real HTTP: signed slash commands, the simulator's job details, Slack stand-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.drs.sim_jobs import SimJob
from bot.render.message import Message
from bot.store.models import PolledJob, Watch
from bot.watcher.sweep import Sweeper
from tests.render.payloads import assert_safe_payload
from tests.slack.live import LiveBot
from tests.slack.test_app_http import channel_messages, slash
from tests.slack.test_watch_flow import card_of, poll_now

JOB = "0rde4s00-0000-4a5d-8dd6-cc44f78jb20r"
PARSING = [{"send_success": True, "parsed_success_number": "12340"}]
NAMED = {"name": "orders-to-kafka", "engine_type": "mysql-to-kafka", "job_direction": "up"}


def add_named(bot: LiveBot, name: str = "orders-to-kafka") -> None:
    bot.simulator.add_job(SimJob(JOB, PARSING, step_seconds=3600, details={**NAMED, "name": name}))


def details_requests(bot: LiveBot) -> int:
    return sum(1 for r in bot.simulator.requests if r.path.endswith(f"/jobs/{JOB}"))


async def stored_name(bot: LiveBot) -> str | None:
    async with bot.runtime.sessions() as session:
        return (await session.scalars(select(PolledJob.job_name))).one()


async def test_the_card_and_its_text_lead_with_the_job_name(live_bot: LiveBot) -> None:
    add_named(live_bot)
    await slash(live_bot, JOB)
    await card_of(live_bot, "C0SANDBOX")
    card = channel_messages(live_bot)[0]
    assert card.text == "DRS orders-to-kafka: parsing, 12,340 rows"
    first = card.blocks[0]["text"]["text"]
    assert "orders-to-kafka · MySQL → Kafka" in first and f"`{JOB}`" in first
    assert await stored_name(live_bot) == "orders-to-kafka"
    assert details_requests(live_bot) == 1


async def test_a_refused_details_call_never_blocks_the_watch_and_the_name_comes_later(
    live_bot: LiveBot,
) -> None:
    add_named(live_bot)
    live_bot.simulator.faults.details_down = True
    await slash(live_bot, JOB)
    ts = await card_of(live_bot, "C0SANDBOX")
    assert channel_messages(live_bot)[0].text == "DRS 0rde4s00…jb20r: parsing, 12,340 rows"
    assert await live_bot.count(Watch, state="active") == 1
    assert await stored_name(live_bot) is None

    live_bot.simulator.faults.details_down = False
    sweeper = Sweeper(live_bot.runtime)
    await poll_now(live_bot, sweeper)
    asked = details_requests(live_bot)
    assert asked >= 1 and await stored_name(live_bot) is None, "asked too soon after a refusal"

    # Ten poll intervals later the sweep asks again, and the card shows the name.
    later = live_bot.runtime.clock.now() - timedelta(seconds=11 * sweeper.interval)
    async with live_bot.runtime.sessions.begin() as session:
        await session.execute(update(PolledJob).values(details_asked_at=later))
    await poll_now(live_bot, sweeper)
    await live_bot.slack.wait_for(
        lambda: channel_messages(live_bot)[0].text.startswith("DRS orders-to-kafka:")
    )
    card = channel_messages(live_bot)[0]
    assert card.ts == ts and f"`{JOB}`" in card.blocks[0]["text"]["text"]
    assert await stored_name(live_bot) == "orders-to-kafka"
    await poll_now(live_bot, sweeper)
    assert details_requests(live_bot) == asked + 1, "a known name is never asked for again"


async def test_a_hostile_job_name_is_shown_as_text(live_bot: LiveBot) -> None:
    add_named(live_bot, name="<!channel> *x*")
    await slash(live_bot, JOB)
    await card_of(live_bot, "C0SANDBOX")
    card = channel_messages(live_bot)[0]
    assert_safe_payload(Message(card.text, card.blocks))
    assert "<!channel>" not in card.text and "<!channel>" not in str(card.blocks)
    assert "&lt;!channel&gt;" in card.text
    await slash(live_bot, "list")
    await live_bot.slack.wait_for(lambda: bool(live_bot.slack.ephemerals("C0SANDBOX")))
    listed = live_bot.slack.ephemerals("C0SANDBOX")[-1]
    assert "&lt;!channel&gt;" in listed.text and "<!channel>" not in str(listed.blocks)


async def test_status_answers_and_thread_replies_lead_with_the_name(live_bot: LiveBot) -> None:
    done = {"send_success": True, "process_status": "success", "parsed_success_number": "500"}
    live_bot.simulator.add_job(SimJob(JOB, [*PARSING, done], step_seconds=0, details=NAMED))
    await slash(live_bot, JOB)
    ts = await card_of(live_bot, "C0SANDBOX")
    await slash(live_bot, f"status {JOB}")
    await live_bot.slack.wait_for(lambda: bool(live_bot.slack.ephemerals("C0SANDBOX")))
    assert live_bot.slack.ephemerals("C0SANDBOX")[-1].text.startswith("DRS orders-to-kafka: ")
    await poll_now(live_bot, Sweeper(live_bot.runtime))
    replies = [m.text for m in live_bot.slack.thread("C0SANDBOX", ts)]
    assert any(t.startswith("DRS orders-to-kafka parsed: 500 rows") for t in replies), replies


async def test_a_job_already_finished_gets_a_named_final_card(live_bot: LiveBot) -> None:
    done = {"send_success": True, "process_status": "success", "parsed_success_number": "500"}
    live_bot.simulator.add_job(SimJob(JOB, [done], details=NAMED))
    await slash(live_bot, JOB)
    await live_bot.slack.wait_for(lambda: len(channel_messages(live_bot)) == 1)
    card = channel_messages(live_bot)[0]
    assert card.text == "DRS orders-to-kafka: succeeded, 500 rows"
    assert f"`{JOB}`" in card.blocks[0]["text"]["text"]
    assert await stored_name(live_bot) == "orders-to-kafka"  # the Home and previews show it too
