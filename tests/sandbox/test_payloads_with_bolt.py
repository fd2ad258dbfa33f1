"""Signed payloads reach a real Bolt AsyncApp over loopback HTTP; it answers via the stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.slack_interactions import block_action_body, message_shortcut_body
from bot.sandbox.slack_payloads import (
    SlackSender,
    app_mention_body,
    slash_command_body,
    url_verification_body,
)
from bot.sandbox.slack_standin import SlackStandIn

SECRET = "sandbox-signing-secret"
TOKEN = "xoxb-sandbox"


@pytest.fixture
async def bolt() -> AsyncIterator[tuple[SlackStandIn, str, list[str]]]:
    seen: list[str] = []
    async with SlackStandIn(bot_token=TOKEN) as standin:
        app = AsyncApp(
            signing_secret=SECRET,
            client=AsyncWebClient(token=TOKEN, base_url=standin.api_url),
        )

        @app.command("/drs-progress")
        async def command(ack: Any, body: dict[str, Any], respond: Any) -> None:
            await ack()
            seen.append(f"command:{body['text']}")
            await respond(f"you said {body['text']}")

        @app.event("app_mention")
        async def mention(event: dict[str, Any], client: AsyncWebClient) -> None:
            seen.append(f"mention:{event.get('thread_ts')}")
            await client.chat_postMessage(
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event["ts"],
                text="on it",
            )

        @app.action("drs_stop")
        async def stop(ack: Any, body: dict[str, Any], respond: Any) -> None:
            await ack()
            seen.append(f"action:{body['actions'][0]['value']}")
            await respond(text="stopped", replace_original=True)

        @app.shortcut("watch_in_thread")
        async def shortcut(ack: Any, shortcut: dict[str, Any]) -> None:
            await ack()
            seen.append(f"shortcut:{shortcut['message']['text']}")

        runner = web.AppRunner(app.web_app(path="/slack/events"))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            yield standin, f"http://{host}:{port}/slack/events", seen
        finally:
            await runner.cleanup()


async def test_bolt_accepts_every_payload_kind(bolt: tuple[SlackStandIn, str, list[str]]) -> None:
    standin, url, seen = bolt
    async with SlackSender(SECRET) as sender:
        r = await sender.send(url, url_verification_body("xyz"))
        assert r.status_code == 200 and r.json()["challenge"] == "xyz"

        response_url = standin.new_response_url(channel_id="C1", user_id="U1")
        body = slash_command_body(
            text="help", channel_id="C1", user_id="U1", response_url=response_url
        )
        assert (await sender.send(url, body)).status_code == 200

        parent = standin.add_user_message("C1", "<@U0DRSBOT> watch", user="U1")
        mention = app_mention_body(text="<@U0DRSBOT> watch", channel_id="C1", ts=parent.ts)
        assert (await sender.send(url, mention)).status_code == 200

        card = standin.store_message("C1", "card", [])
        action_url = standin.new_response_url(channel_id="C1", user_id="U1", message_ts=card.ts)
        action = block_action_body(
            action_id="drs_stop",
            value="42",
            channel_id="C1",
            message_ts=card.ts,
            response_url=action_url,
        )
        assert (await sender.send(url, action)).status_code == 200

        shortcut = message_shortcut_body(
            callback_id="watch_in_thread",
            message_ts=parent.ts,
            message_text="job here",
            response_url=response_url,
        )
        assert (await sender.send(url, shortcut)).status_code == 200

        await standin.wait_for(lambda: len(standin.thread("C1", parent.ts)) == 1)
        await standin.wait_for(lambda: card.text == "stopped")
        await standin.wait_for(lambda: len(standin.ephemerals(user="U1")) == 1)

        forged = await sender.send(url, body, secret="not-the-secret")
        stale = await sender.send(url, body, timestamp=int(time.time()) - 600)
        assert forged.status_code == 401 and stale.status_code == 401

    assert standin.ephemerals(user="U1")[0].text == "you said help"
    assert sorted(seen) == sorted(
        ["command:help", "mention:None", "action:42", "shortcut:job here"]
    )
    # Bolt authorized itself against the stand-in, and no token was kept in the record.
    assert standin.calls_to("auth.test")
    assert TOKEN not in json.dumps([c.params for c in standin.calls])
