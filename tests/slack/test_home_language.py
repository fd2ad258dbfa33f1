"""The App Home follows its viewer's Slack locale; a channel's previews follow the channel."""

from __future__ import annotations

from bot.sandbox.slack_payloads import link_shared_body
from tests.slack.live import RUNNING, LiveBot
from tests.slack.test_app_http import slash
from tests.slack.test_home import home_text, open_home
from tests.slack.test_watch_flow import card_of


async def test_home_is_in_chinese_for_a_chinese_viewer(live_bot: LiveBot) -> None:
    live_bot.slack.locales["U0ZH"] = "zh-CN"
    await slash(live_bot, RUNNING, user="U0ZH")
    await card_of(live_bot, "C0SANDBOX")
    await open_home(live_bot, user="U0ZH")
    text = home_text(live_bot, user="U0ZH")
    assert "你的监视" in text and "解析中" in text and "如何监视任务" in text
    assert "Your watches" not in text
    await open_home(live_bot, user="U0EN")
    assert "Your watches" in home_text(live_bot, user="U0EN")


async def test_a_console_link_unfurls_in_the_channels_language(live_bot: LiveBot) -> None:
    await slash(live_bot, "config lang zh-cn")
    await live_bot.slack.wait_for(lambda: live_bot.slack.responses != [])
    url = f"https://console.huaweicloud.com/drs/#/detail?jobId={RUNNING}"
    body = link_shared_body(channel_id="C0SANDBOX", urls=[url], message_ts="1700000000.000100")
    await live_bot.sender.send(live_bot.events_url, body)
    await live_bot.slack.wait_for(lambda: live_bot.slack.unfurls != [])
    preview = str(live_bot.slack.unfurls[0].unfurls)
    assert "在话题中监视" in preview and "解析中" in preview and "12,340" in preview
