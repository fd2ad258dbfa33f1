"""Lines that tell people how to use the bot in a thread name the bot as it is, never `@bot`."""

from __future__ import annotations

from bot.render.cards import list_message
from bot.render.home import home_view


def test_home_how_to_mentions_the_bot_by_its_real_id() -> None:
    blocks = home_view([], [], command_name="/drs-progress", bot_user_id="U0DRSBOT")
    text = str(blocks)
    assert "<@U0DRSBOT> `watch JOB_ID`" in text
    assert "@bot " not in text


def test_an_empty_list_mentions_the_bot_by_its_real_id() -> None:
    message = list_message([], command_name="/drs-progress", bot_user_id="U0DRSBOT")
    assert "<@U0DRSBOT> `watch JOB_ID`" in message.text
    assert "@bot " not in message.text


def test_without_a_known_id_the_apps_name_is_shown() -> None:
    message = list_message([], command_name="/drs-progress")
    assert "@drs-progress `watch JOB_ID`" in message.text
