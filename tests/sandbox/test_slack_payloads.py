"""Slack-side payloads: signed exactly as Slack signs, shaped as Bolt parses them."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
from slack_sdk.signature import SignatureVerifier

from bot.clock import FakeClock
from bot.sandbox.slack_interactions import block_action_body, message_shortcut_body
from bot.sandbox.slack_payloads import (
    FORM,
    JSON,
    SlackSender,
    app_mention_body,
    sign,
    slash_command_body,
    url_verification_body,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_signature_is_accepted_by_slack_sdk_verifier() -> None:
    clock = FakeClock()
    now = int(clock.now().timestamp())
    body = slash_command_body(text="help", response_url="http://127.0.0.1:1/r")
    headers = sign(body, SECRET, now)
    verifier = SignatureVerifier(SECRET, clock=_SdkClock(now))
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + b"x", headers)
    assert not SignatureVerifier("other", clock=_SdkClock(now)).is_valid_request(body, headers)
    stale = sign(body, SECRET, now - 600)
    assert not verifier.is_valid_request(body, stale)


def test_known_vector() -> None:
    # Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    headers = sign(body, SECRET, 1531420618)
    assert headers["X-Slack-Signature"] == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_slash_body_is_form_encoded_like_slacks() -> None:
    body = slash_command_body(
        text="status c7 —type column",
        team_id="T1",
        channel_id="C1",
        user_id="U1",
        response_url="http://x/r",
        command="/drs",
    )
    fields = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    assert fields["text"] == "status c7 —type column"
    assert fields["command"] == "/drs"
    assert (fields["team_id"], fields["channel_id"], fields["user_id"]) == ("T1", "C1", "U1")
    assert fields["response_url"] == "http://x/r" and fields["trigger_id"]


def test_event_and_interactive_bodies() -> None:
    event = json.loads(app_mention_body(text="<@U0DRSBOT> help", ts="100.000001", thread_ts="99.1"))
    assert event["type"] == "event_callback" and event["event"]["type"] == "app_mention"
    assert event["event"]["thread_ts"] == "99.1" and event["event_id"]
    no_thread = json.loads(app_mention_body(text="x", ts="100.000002"))
    assert "thread_ts" not in no_thread["event"]
    assert event["event_id"] != no_thread["event_id"]

    action = json.loads(
        parse_qs(
            block_action_body(
                action_id="drs_stop", value="42", message_ts="5.5", response_url="http://x/r"
            ).decode()
        )["payload"][0]
    )
    assert action["type"] == "block_actions"
    assert action["actions"][0]["action_id"] == "drs_stop" and action["actions"][0]["value"] == "42"
    assert action["container"]["message_ts"] == "5.5"

    shortcut = json.loads(
        parse_qs(
            message_shortcut_body(
                callback_id="watch_in_thread",
                message_ts="7.7",
                message_text="job abc",
                thread_ts="6.6",
                response_url="http://x/r",
            ).decode()
        )["payload"][0]
    )
    assert shortcut["type"] == "message_action" and shortcut["callback_id"] == "watch_in_thread"
    assert shortcut["message"]["text"] == "job abc" and shortcut["message"]["thread_ts"] == "6.6"
    assert json.loads(url_verification_body("abc")) == {
        "token": "sandbox-verification-token",
        "challenge": "abc",
        "type": "url_verification",
    }


async def test_sender_posts_signed_requests_with_retry_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok")

    clock = FakeClock()
    now = int(clock.now().timestamp())
    transport = httpx.MockTransport(handler)
    async with httpx.AsyncClient(transport=transport) as http:
        sender = SlackSender(SECRET, client=http, clock=clock)
        form = slash_command_body(text="list", response_url="http://x/r")
        event = app_mention_body(text="hi", ts="1.1")
        await sender.send("http://bot/slack/events", form)
        await sender.send("http://bot/slack/events", event, retry_num=1)
        await sender.send("http://bot/slack/events", event, secret="forged", timestamp=now - 999)
    verifier = SignatureVerifier(SECRET, clock=_SdkClock(now))
    first, second, third = seen
    assert first.headers["content-type"] == FORM and second.headers["content-type"] == JSON
    assert verifier.is_valid_request(first.content, dict(first.headers))
    assert verifier.is_valid_request(second.content, dict(second.headers))
    assert second.headers["x-slack-retry-num"] == "1"
    assert "x-slack-retry-num" not in first.headers
    assert not verifier.is_valid_request(third.content, dict(third.headers))


class _SdkClock:
    """slack_sdk's verifier asks its clock for now(); pin it to the signing time."""

    def __init__(self, now: int) -> None:
        self._now = now

    def now(self) -> float:
        return float(self._now)


def test_a_shortcut_on_a_message_with_blocks_carries_them() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "`c7debc9c-...`"}}]
    body = message_shortcut_body(
        callback_id="cb",
        message_ts="7.7",
        message_text="card",
        message_blocks=blocks,
        response_url="http://x/r",
    )
    payload = json.loads(parse_qs(body.decode())["payload"][0])
    assert payload["message"]["blocks"] == blocks
