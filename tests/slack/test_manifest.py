"""The manifest asks Slack for every surface the bot registers: events, scopes, tabs, domains."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.drs.console import CONSOLE_HOSTS

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def test_the_manifest_subscribes_to_every_surface_with_its_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mention", "message.im", "app_home_opened", "link_shared"} <= events
    assert {"im:history", "links:read", "links:write", "chat:write"} <= scopes
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert set(manifest["features"]["unfurl_domains"]) == CONSOLE_HOSTS


def test_the_manifest_asks_for_exactly_the_bot_events_scopes_py_lists() -> None:
    from bot.slack.scopes import BOT_EVENTS

    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == sorted(BOT_EVENTS)
    redirects = manifest["oauth_config"]["redirect_urls"]
    assert [u.rsplit("/", 2)[-2:] for u in redirects] == [["slack", "oauth_redirect"]]
