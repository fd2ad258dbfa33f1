"""Fixtures for the Slack tests (the live bot lives in tests/slack/live.py)."""

from tests.slack.live import live_bot

__all__ = ["live_bot"]
