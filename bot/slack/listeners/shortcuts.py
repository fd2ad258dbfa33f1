"""The "Watch DRS job in thread" message shortcut: watch the job IDs a message mentions."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.drs.jobid import job_ids_in
from bot.render import answers
from bot.slack.grammar import MAX_JOBS, Watch
from bot.slack.listeners.answer import private
from bot.slack.listeners.context import place_of, runtime_of
from bot.slack.listeners.dispatch import perform

SHORTCUT_CALLBACK_ID = "watch_drs_job_in_thread"


def register(app: AsyncApp) -> None:
    app.shortcut(SHORTCUT_CALLBACK_ID)(handle_watch_in_thread)


async def handle_watch_in_thread(
    ack: AsyncAck, shortcut: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
) -> None:
    """Watch each job ID found in the message, in that message's thread."""
    await ack()
    rt = runtime_of(context)
    message = shortcut.get("message") or {}
    say = private(respond)
    job_ids = job_ids_in(message_text(message))  # the rule the grammar uses for each word
    if not job_ids:
        await say(answers.no_job_id_in_message(rt.command, context.bot_user_id or rt.bot_user_id))
        return
    place = place_of(context, thread_ts=str(context.thread_ts or message.get("ts") or ""))
    await perform(rt, Watch(tuple(job_ids[:MAX_JOBS])), place, say=say)


def message_text(message: dict[str, Any]) -> str:
    """The message's text plus the text of its blocks (IDs are often in code blocks)."""
    parts = [str(message.get("text") or "")]
    stack: list[Any] = list(message.get("blocks") or [])
    while stack and len(parts) < 500:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("text"), str):
                parts.append(item["text"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return "\n".join(parts)[:20000]
