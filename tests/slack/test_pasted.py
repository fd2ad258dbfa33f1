"""Pasted text just works: IDs in links, lists and prose, short forms, typos, right forms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.context.async_context import AsyncBoltContext

from bot.drs.jobid import ShortRef, job_ids_in, parse_job_id
from bot.drs.retry import RetryPolicy
from bot.drs.sim_jobs import SimJob
from bot.errors import InvalidJobId, UsageError
from bot.sandbox.harness import BOT_USER_ID, TEAM_ID, Harness, harness
from bot.slack.grammar import Status, Stop, Watch, parse_command, parse_mention
from bot.slack.listeners.commands import handle_command
from bot.slack.listeners.context import RUNTIME
from bot.slack.listeners.events import handle_mention
from bot.slack.listeners.shortcuts import handle_watch_in_thread
from tests.slack.live import CHANNEL, DONE, FAILED, RUNNING, sim_jobs

J1 = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
J2 = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3bjb21"
CONSOLE = "https://console-intl.huaweicloud.com/drs/?region=ap-southeast-1"
USER = "U0USER"

PASTES = {
    "console URL, ID in the fragment": (f"{CONSOLE}#/drs/migration/detail?jobId={J1}", [J1]),
    "console URL, id= in the query": (
        f"https://console.huaweicloud.com/drs/?region=cn-north-4&id={J1}#/list",
        [J1],
    ),
    "encoded fragment": (f"{CONSOLE}#%2Fdrs%2Fdetail%3FjobId%3D{J1}%26tab%3D1", [J1]),
    "Slack link with a label": (f"<{CONSOLE}#/detail?jobId={J1}|the console>", [J1]),
    "Markdown link": (f"[job page]({CONSOLE}#/drs/migration/detail?jobId={J1})", [J1]),
    "comma list": (f"{J1}, {J2}", [J1, J2]),
    "comma list without spaces": (f"{J1},{J2}", [J1, J2]),
    "prose": (f"please watch {J1} (the cutover job), thanks!", [J1]),
    "en and em dashes": (
        "c7debc9c–8e09–4a5d–8dd6–cc44f78jb20r and " + J2.replace("-", "—"),
        [J1, J2],
    ),
}


@pytest.mark.parametrize(("text", "expected"), PASTES.values(), ids=PASTES.keys())
def test_pasted_text_names_the_same_jobs_on_every_surface(text: str, expected: list[str]) -> None:
    assert job_ids_in(text) == expected  # the message shortcut (and direct messages)
    assert parse_command(text) == Watch(tuple(expected))
    assert parse_mention(f"<@{BOT_USER_ID}> {text}") == Watch(tuple(expected))
    assert parse_mention(f"<@{BOT_USER_ID}> watch {text}") == Watch(tuple(expected))
    if len(expected) == 1:
        assert parse_command(f"status {text}") == Status(expected[0])


def test_an_id_with_em_dashes_that_is_otherwise_wrong_is_refused_naming_them() -> None:
    with pytest.raises(InvalidJobId, match=r"em dashes \(—\) where a job ID has hyphens"):
        parse_job_id("c7debc9c—8e09—4a5d—8dd6—cc44f78jb20")
    with pytest.raises(InvalidJobId, match="en dashes"):
        parse_command("status c7debc9c–8e09–4a5d–8dd6–cc44f78jb2")


def test_short_forms_from_notifications_parse_as_references() -> None:
    assert parse_command("status c7debc9c…jb20r") == Status(ShortRef("c7debc9c", "jb20r"))
    assert parse_command("stop c7debc9c...JB20R") == Stop(ShortRef("c7debc9c", "jb20r"))
    assert parse_command("c7debc9c") == Watch((ShortRef("c7debc9c"),))
    assert parse_mention(f"<@{BOT_USER_ID}> watch c7debc9c-8e09") == Watch(
        (ShortRef("c7debc9c-8e09"),)
    )


@pytest.mark.parametrize(
    ("text", "meant"),
    [("stauts", "status"), (f"stauts {J1}", "status"), ("lsit", "list"), (f"stpo {J1}", "stop")],
)
def test_a_mistyped_command_gets_a_suggestion(text: str, meant: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_command(text)
    assert f"did you mean `{meant}`?" in str(info.value)
    assert f"`/drs-progress {meant}" in str(info.value)


# ---- through the listeners ---------------------------------------------------------------


class Calls:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    retry = RetryPolicy(attempts=2, base=0.05, cap=0.1, deadline=1.0)
    async with harness(sim_jobs(), database_url=sqlite_url, drs_retry=retry) as h:
        yield h


def context_for(h: Harness, *, thread_ts: str | None = None) -> AsyncBoltContext:
    values: dict[str, Any] = {"team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": USER}
    values[RUNTIME] = h.runtime
    if thread_ts is not None:
        values["thread_ts"] = thread_ts
    return AsyncBoltContext(values)


async def slash(h: Harness, text: str) -> tuple[Calls, Calls]:
    ack, respond = Calls(), Calls()
    await handle_command(ack, {"text": text}, context_for(h), respond)
    return ack, respond


async def test_status_and_stop_accept_the_short_form_of_a_job_watched_here(bot: Harness) -> None:
    await slash(bot, RUNNING)
    _, respond = await slash(bot, "status c7debc9c…jb20r")
    [answer] = respond.calls
    assert answer["replace_original"] is True  # it replaces "Checking …"
    assert "12,340" in str(answer["blocks"]) and RUNNING in str(answer["blocks"])
    _, respond = await slash(bot, "stop c7debc9c")
    assert respond.calls[-1]["text"].startswith("Stopped watching 1 DRS job")


async def test_an_ambiguous_short_form_lists_the_jobs_it_matches(bot: Harness) -> None:
    await slash(bot, RUNNING)
    other = "c7debc9c-1111-4a5d-8dd6-cc44f78jb999"
    bot.simulator.add_job(SimJob(other, [{"send_success": False}], step_seconds=3600))
    await slash(bot, other)
    _, respond = await slash(bot, "stop c7debc9c")
    blocks = str(respond.calls[-1]["blocks"])
    assert "matches 2 jobs" in blocks and RUNNING in blocks and other in blocks
    _, respond = await slash(bot, "status 0f0f0f0f…jb101")  # FAILED, not watched here
    [answer] = respond.calls
    assert "No job watched here matches 0f0f0f0f…jb101" in answer["text"]
    assert "full job ID" in answer["text"]
    assert sum(1 for p in bot.simulator.calls if p == FAILED) == 0  # DRS never asked


async def test_a_mistake_in_a_thread_shows_the_mention_form_with_the_bots_name(
    bot: Harness,
) -> None:
    parent = "1699999999.000100"
    event = {"user": USER, "channel": CHANNEL, "ts": "1700000000.1", "thread_ts": parent}
    event["text"] = f"<@{BOT_USER_ID}> stauts"
    context = context_for(bot, thread_ts=parent)
    context["bot_user_id"] = BOT_USER_ID
    await handle_mention(Calls(), event, context)
    [answer] = bot.slack.ephemerals()
    shown = answer.text + str(answer.blocks)
    assert f"<@{BOT_USER_ID}> `status JOB_ID`" in answer.text
    assert f"<@{BOT_USER_ID}> `status JOB_ID`" in str(answer.blocks)
    assert f"<@{BOT_USER_ID}> `help`" in str(answer.blocks)
    assert "/drs-progress" not in shown and "@bot" not in shown


async def test_the_shortcut_finds_an_id_in_a_console_link(bot: Harness) -> None:
    # the console's fragment as some clients copy it: percent-encoded
    text = f"cutover: <{CONSOLE}#%2Fdrs%2Fmigration%2Fdetail%3FjobId%3D{RUNNING}|DRS console>"
    message = bot.slack.add_user_message(CHANNEL, text)
    respond = Calls()
    await handle_watch_in_thread(Calls(), {"message": message.as_api()}, context_for(bot), respond)
    assert len(bot.slack.thread(CHANNEL, message.ts)) == 1
    assert respond.calls == []


async def test_checking_is_replaced_by_the_private_answer_of_a_watch(bot: Harness) -> None:
    await slash(bot, RUNNING)
    ack, respond = await slash(bot, RUNNING)  # already watched here: a private answer
    assert "Checking" in ack.calls[0]["text"]
    [answer] = respond.calls
    assert answer["replace_original"] is True and "already watched" in answer["text"]


async def test_asking_again_for_a_finished_job_links_to_its_final_card(bot: Harness) -> None:
    _, first = await slash(bot, DONE)
    assert first.calls == [{"delete_original": True}]  # the card is the answer
    [card] = [m for m in bot.slack.messages(CHANNEL) if not m.is_reply]
    _, again = await slash(bot, DONE)
    assert [m.ts for m in bot.slack.messages(CHANNEL) if not m.is_reply] == [card.ts]
    [answer] = again.calls
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    assert "already finished" in answer["text"] and "See its final card" in str(answer["blocks"])
    _, failed = await slash(bot, FAILED)  # another job still gets its own card
    assert len([m for m in bot.slack.messages(CHANNEL) if not m.is_reply]) == 2
    assert failed.calls == [{"delete_original": True}]


async def test_answers_in_a_thread_never_suggest_the_slash_command(bot: Harness) -> None:
    parent = "1699999999.000100"
    context = context_for(bot, thread_ts=parent)
    context["bot_user_id"] = BOT_USER_ID
    for text in (f"status {RUNNING}", "stop", "stop c7debc9c"):
        event = {"user": USER, "channel": CHANNEL, "ts": "1700000000.1", "thread_ts": parent}
        await handle_mention(Calls(), event | {"text": f"<@{BOT_USER_ID}> {text}"}, context)
    answers = bot.slack.ephemerals()
    assert len(answers) == 3
    for answer in answers:
        assert "/drs-progress" not in answer.text + str(answer.blocks)
    assert f"<@{BOT_USER_ID}> `list`" in str(answers[1].blocks)  # nothing to stop here
    assert f"<@{BOT_USER_ID}> `status JOB_ID`" in str(answers[2].blocks)  # no watch matches


async def test_help_in_a_thread_shows_only_forms_that_work_there(bot: Harness) -> None:
    parent = "1699999999.000100"
    context = context_for(bot, thread_ts=parent)
    context["bot_user_id"] = BOT_USER_ID
    event = {"user": USER, "channel": CHANNEL, "ts": "1700000000.1", "thread_ts": parent}
    await handle_mention(Calls(), event | {"text": f"<@{BOT_USER_ID}> help"}, context)
    [answer] = bot.slack.ephemerals()
    commands = str(answer.blocks[0])
    assert f"<@{BOT_USER_ID}> `status JOB_ID`" in commands
    assert "/drs-progress" not in commands + answer.text and "@bot" not in str(answer.blocks)
