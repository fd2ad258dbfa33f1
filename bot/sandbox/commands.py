"""The sandbox's `!` commands: press a card's buttons, use the shortcut, make DRS fail, wait."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bot.drs.sim_jobs import UNKNOWN_JOB_ID, Faults, SimJob, job_plan
from bot.render.cards import ACTION_REFRESH, ACTION_STOP
from bot.sandbox.slack_interactions import block_action_body, message_shortcut_body
from bot.sandbox.slack_state import StoredMessage
from bot.slack.listeners.shortcuts import SHORTCUT_CALLBACK_ID

if TYPE_CHECKING:
    from bot.sandbox.session import Session

MAX_WAIT_SECONDS = 3600.0
_BUTTONS = {"stop": ACTION_STOP, "refresh": ACTION_REFRESH}
_MESSAGE = re.compile(r"^#?(?P<n>\d+)$")
# `!drs WORD`: how each switch changes the simulator's faults, and what it then does.
_SWITCHES: dict[str, tuple[str, bool, str]] = {
    "down": ("down", True, "every progress query answers 500 System error (`!drs up` ends it)"),
    "up": ("down", False, "DRS answers again"),
    "refuse-credentials": (
        "refuse_credentials",
        True,
        "every progress query answers 401 APIGW.0301 (`!drs accept-credentials` ends it)",
    ),
    "accept-credentials": ("refuse_credentials", False, "credentials are accepted again"),
}
_COUNTED = {"fail": "fail_next", "throttle": "throttle_next"}
COMMANDS_HELP = (
    "`!stop #N` / `!refresh #N` press that card's button; `!shortcut #N` runs the message "
    "shortcut on message #N; `!drs down|up|refuse-credentials|accept-credentials|fail N|"
    "throttle N|slow SECONDS` makes the DRS simulator fail; `!wait SECONDS` lets time pass; "
    "`!jobs` lists the jobs."
)


def jobs_lines(jobs: Iterable[SimJob]) -> list[str]:
    """One line per job the simulator knows (plus one it does not), saying what it will do."""
    lines = [f"  {job.job_id}  {job_plan(job)}" for job in jobs]
    lines.append(f"  {UNKNOWN_JOB_ID}  unknown: DRS answers that the job does not exist")
    return lines


async def run(session: Session, line: str) -> None:
    """One `!` line; never raises (a mistake gets a note saying the right form)."""
    session.transcript.typed(line)
    word, _, rest = line[1:].strip().partition(" ")
    word, rest = word.lower(), rest.strip()
    if word in _BUTTONS:
        await _press(session, _BUTTONS[word], rest)
    elif word == "shortcut":
        await _shortcut(session, rest)
    elif word == "drs":
        _drs(session, rest)
    elif word == "wait":
        await _wait(session, rest)
    elif word == "jobs" and session.simulator is not None:
        for text in jobs_lines(session.simulator.jobs.values()):
            session.transcript.note(text)
    else:
        session.transcript.note(f"unknown sandbox command {line!r}. {COMMANDS_HELP}")


def _message(session: Session, ref: str, usage: str) -> StoredMessage | None:
    """The stored message `#N` names, or None after a note saying what went wrong."""
    match = _MESSAGE.match(ref)
    ts = session.transcript.ts_of(int(match.group("n"))) if match else None
    msg = session.slack.find_message(session.channel, ts) if ts else None
    if msg is None:
        session.transcript.note(f"no message {ref or '#N'} to use: write `{usage}`")
    return msg


def _button(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]] | None:
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(block.get("block_id") or "actions"), element
    return None


async def _press(session: Session, action_id: str, ref: str) -> None:
    word = "stop" if action_id == ACTION_STOP else "refresh"
    msg = _message(session, ref, f"!{word} #N")
    if msg is None:
        return
    found = _button(msg.blocks, action_id)
    if found is None:
        session.transcript.note(f"message {ref} has no {word} button (any more)")
        return
    block_id, element = found
    response_url = session.slack.new_response_url(
        channel_id=session.channel, user_id=session.user, message_ts=msg.ts,
        thread_ts=msg.thread_ts,
    )  # fmt: skip
    body = block_action_body(
        action_id=action_id, value=str(element.get("value") or ""), block_id=block_id,
        team_id=session.team_id, channel_id=session.channel, user_id=session.user,
        message_ts=msg.ts, thread_ts=msg.thread_ts, response_url=response_url,
    )  # fmt: skip
    await session.send(body)


async def _shortcut(session: Session, ref: str) -> None:
    msg = _message(session, ref, "!shortcut #N")
    if msg is None:
        return
    response_url = session.slack.new_response_url(
        channel_id=session.channel, user_id=session.user, thread_ts=msg.thread_ts or msg.ts
    )
    body = message_shortcut_body(
        callback_id=SHORTCUT_CALLBACK_ID, team_id=session.team_id, channel_id=session.channel,
        user_id=session.user, message_ts=msg.ts, message_text=msg.text,
        message_blocks=msg.blocks, thread_ts=msg.thread_ts, response_url=response_url,
        message_user=msg.user,
    )  # fmt: skip
    await session.send(body)


def _drs(session: Session, rest: str) -> None:
    simulator = session.simulator
    word, _, value = rest.lower().partition(" ")
    if simulator is None:
        session.transcript.note("no DRS simulator in this session")
        return
    faults: Faults = simulator.faults
    if not word:
        session.transcript.note(f"DRS simulator faults: {faults.active() or 'none'}")
        return
    if word in _SWITCHES:
        name, on, says = _SWITCHES[word]
        setattr(faults, name, on)
        session.transcript.note(f"DRS simulator: {says}")
        return
    amount = _number(value.strip())
    if word in _COUNTED and amount is not None and amount.is_integer():
        setattr(faults, _COUNTED[word], int(amount))
        session.transcript.note(f"DRS simulator: the next {int(amount)} progress queries {word}")
    elif word == "slow" and amount is not None:
        faults.latency = amount
        session.transcript.note(f"DRS simulator: every progress answer takes {amount:g} s more")
    else:
        session.transcript.note(
            f"`!drs {rest}` is not a simulator switch: use `!drs down`, `!drs up`, "
            "`!drs refuse-credentials`, `!drs accept-credentials`, `!drs fail N`, "
            "`!drs throttle N` or `!drs slow SECONDS`"
        )


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= MAX_WAIT_SECONDS else None


async def _wait(session: Session, rest: str) -> None:
    seconds = _number(rest)
    if seconds is None:
        session.transcript.note(f"write `!wait SECONDS` with 0 to {MAX_WAIT_SECONDS:g} seconds")
        return
    session.transcript.note(f"waiting {seconds:g} s")
    await asyncio.sleep(seconds)
