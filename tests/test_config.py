"""Settings: one error that names every problem, secrets never echoed, no leaks from the env."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError

DRS = {"DRS_REGION": "ap-southeast-1", "DRS_PROJECT_ID": "p" * 32, "DRS_AUTH_TOKEN": "tok-12345"}


def problems(env: dict[str, str], **need: bool) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, **need)
    return caught.value.problems


def test_a_bad_value_and_missing_settings_are_named_together() -> None:
    found = problems({"POLL_INTERVAL_SECONDS": "abc"}, drs=True, slack=True)
    text = "\n".join(found)
    for name in ("POLL_INTERVAL_SECONDS", "DRS_PROJECT_ID", "DRS_REGION", "SLACK_BOT_TOKEN"):
        assert name in text
    assert "SLACK_SIGNING_SECRET" in text


def test_secret_values_are_never_echoed() -> None:
    env = {**DRS, "SLACK_BOT_TOKEN": "not-a-bot-token-s3cr3t", "SLACK_SIGNING_SECRET": "x"}
    text = "\n".join(problems(env, drs=True, slack=True))
    assert "xoxb-" in text  # says what the token must look like
    assert "s3cr3t" not in text


def test_several_credential_kinds_are_refused_by_name() -> None:
    env = {**DRS, "HUAWEICLOUD_SDK_AK": "ak", "HUAWEICLOUD_SDK_SK": "sk"}
    (only,) = problems(env, drs=True)
    assert "DRS_AUTH_TOKEN" in only and "HUAWEICLOUD_SDK_AK" in only


def test_a_given_mapping_ignores_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sandbox hands its own settings; a developer's real keys must not leak into them.
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "real-ak")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "real-sk")
    monkeypatch.setenv("POLL_INTERVAL_SECONDS", "abc")
    settings = load_settings(DRS, drs=True)
    assert settings.huaweicloud_sdk_ak is None
    assert settings.poll_interval_seconds == 30


def test_the_process_environment_is_read_when_nothing_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in DRS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POLL_INTERVAL_SECONDS", "5")
    monkeypatch.setenv("FINAL_BROADCAST", "0")
    settings = load_settings(drs=True)
    assert settings.poll_interval_seconds == 5
    assert settings.final_broadcast is False


def test_each_command_demands_only_what_it_uses() -> None:
    assert load_settings({}).database_url.startswith("sqlite:///")  # db: nothing else needed
    assert load_settings(DRS, drs=True).drs_project_id == "p" * 32  # check: no Slack settings
