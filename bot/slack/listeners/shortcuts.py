"""The "Watch DRS job in thread" message shortcut: watch the job IDs a message mentions."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond

from bot.drs.jobid import job_ids_in
from bot.render import answers
from bot.slack.files import Attached
from bot.slack.grammar import MAX_JOBS, Upload, Watch
from bot.slack.listeners.answer import private
from bot.slack.listeners.context import place_of, runtime_of
from bot.slack.listeners.dispatch import perform

SHORTCUT_CALLBACK_ID = "watch_drs_job_in_thread"
UPLOAD_CALLBACK_ID = "upload_drs_template"


def register(app: AsyncApp) -> None:
    app.shortcut(SHORTCUT_CALLBACK_ID)(handle_watch_in_thread)
    app.shortcut(UPLOAD_CALLBACK_ID)(handle_upload_template)


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


async def handle_upload_template(
    ack: AsyncAck,
    shortcut: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    """Upload the file the message carries to the one job it names, then watch it in its thread.

    Slack never re-sends a shortcut, so each press (its trigger ID) is one upload.
    """
    await ack()
    rt = runtime_of(context)
    message = shortcut.get("message") or {}
    say = private(respond)
    bot = context.bot_user_id or rt.bot_user_id
    job_ids = job_ids_in(message_text(message))
    if len(job_ids) != 1:
        await say(answers.upload_needs_one_job(len(job_ids), bot))
        return
    place = place_of(context, thread_ts=str(context.thread_ts or message.get("ts") or ""))
    items = tuple(f for f in message.get("files") or () if isinstance(f, dict))
    attached = Attached(items, f"shortcut:{shortcut.get('trigger_id') or message.get('ts')}")
    await perform(rt, Upload(job_ids[0]), place, say=say, attached=attached)


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
