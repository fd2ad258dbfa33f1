"""What users type and choose: the slash command's default name and the DRS message languages."""

from __future__ import annotations

from enum import StrEnum

# SLACK_COMMAND's default; replies and help name whatever the settings say instead.
DEFAULT_COMMAND = "/drs-progress"


class Language(StrEnum):
    """DRS's `X-Language`: the language of DRS's own messages."""

    EN_US = "en-us"
    ZH_CN = "zh-cn"


DEFAULT_LANGUAGE = Language.EN_US

# Stands for the bot's own mention (`<@U…>`) in usage lines built before the bot's user ID is
# at hand; the renderer puts the real mention there. Private use: no user text can carry it,
# since quoted input turns unprintable characters into `?`.
MENTION_MARK = "\ue000"
