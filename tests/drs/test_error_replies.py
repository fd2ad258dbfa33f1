"""The bot's private replies name the setting to fix, as `drs-bot check` does (real HTTP)."""

from __future__ import annotations

from bot.sandbox.slack_payloads import slash_command_body
from tests.slack.live import RUNNING, LiveBot, live_bot

__all__ = ["live_bot"]  # the fixture, imported for pytest

OTHER_KINDS = ("IAM_USERNAME", "IAM_PASSWORD", "IAM_DOMAIN", "HUAWEICLOUD_SDK_AK")


async def private_answer(bot: LiveBot, text: str) -> str:
    url = bot.slack.new_response_url(channel_id="C0ALPHA", user_id="U0USER")
    body = slash_command_body(text=text, response_url=url, channel_id="C0ALPHA", user_id="U0USER")
    await bot.sender.send(bot.events_url, body)
    await bot.slack.wait_for(lambda: len(bot.slack.ephemerals()) == 1)
    answer = bot.slack.ephemerals()[0]
    return answer.text + str(answer.blocks)


async def test_a_refused_token_reply_names_drs_auth_token_only(live_bot: LiveBot) -> None:
    live_bot.simulator.token = "rotated-by-someone"
    said = await private_answer(live_bot, f"status {RUNNING}")
    assert "DRS_AUTH_TOKEN" in said and "expired" in said
    assert not [name for name in OTHER_KINDS if name in said]
    assert "operator must" not in said


async def test_a_project_of_another_region_reply_names_drs_project_id(live_bot: LiveBot) -> None:
    live_bot.simulator.project_id = "f" * 32
    said = await private_answer(live_bot, f"status {RUNNING}")
    assert "DRS_PROJECT_ID" in said and "DRS.M00261" in said
    assert "DRS_AUTH_TOKEN" not in said
