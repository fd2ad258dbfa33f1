"""Fixtures for the abuse suite: the live bot of tests/slack (real app, real HTTP, stand-ins)."""

from tests.slack.live import live_bot

__all__ = ["live_bot"]
