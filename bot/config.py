"""Settings from the environment: every name the bot reads; one error lists every problem."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.config_oauth import oauth_problems
from bot.config_regions import RegionPlan, plan_regions
from bot.domain.commands import DEFAULT_COMMAND, DEFAULT_LANGUAGE, Language
from bot.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///drs_bot.sqlite3"

_SECRET_FIELDS = {
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "slack_client_secret",
    "drs_auth_token",
    "huaweicloud_sdk_ak",
    "huaweicloud_sdk_sk",
    "huaweicloud_sdk_security_token",
    "iam_password",
    "https_proxy",  # a proxy URL may carry a user and password
    "http_proxy",
}


class CredentialKind(StrEnum):
    TOKEN = "token"  # DRS_AUTH_TOKEN
    IAM = "iam"  # IAM_USERNAME / IAM_PASSWORD / IAM_DOMAIN
    AKSK = "aksk"  # HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK


class Settings(BaseSettings):
    """Every setting the bot reads. Build with `load_settings()`; nothing is read at import."""

    model_config = SettingsConfigDict(
        case_sensitive=False, env_ignore_empty=True, extra="ignore", frozen=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what `load_settings` passes: it reads the environment (or the mapping it is
        # given, e.g. the sandbox's own) itself, so nothing leaks in from the process env.
        return (init_settings,)

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = DEFAULT_COMMAND
    # OAuth installs in many workspaces (bot.slack.oauth): on when both are set.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_redirect_uri: str | None = None
    slack_scopes: str = ""  # empty: manifest.yml's bot scopes (bot.slack.scopes.BOT_SCOPES)
    # Seconds between two messages to one channel, across replicas (0 turns pacing off).
    slack_channel_pace_seconds: float = Field(default=1.0, ge=0, le=60)

    # DRS
    drs_region: str | None = None
    drs_project_id: str | None = None
    drs_endpoint: str | None = None
    # Several regions (bot/config_regions.py parses these three)
    drs_regions: str | None = None
    drs_projects: str | None = None
    drs_endpoints: str | None = None
    drs_language: Language = DEFAULT_LANGUAGE
    drs_auth_token: SecretStr | None = None
    huaweicloud_sdk_ak: SecretStr | None = None
    huaweicloud_sdk_sk: SecretStr | None = None
    huaweicloud_sdk_security_token: SecretStr | None = None
    iam_username: str | None = None
    iam_password: SecretStr | None = None
    iam_domain: str | None = None
    iam_endpoint: str | None = None
    # DRS requests a second, all replicas together (the gateway's limit is ~200/s per API)
    drs_max_rps: float = Field(default=50.0, gt=0, le=1000)

    # Network: proxies for Slack, DRS and IAM
    https_proxy: SecretStr | None = None
    http_proxy: SecretStr | None = None
    no_proxy: str | None = None

    # Access policy: who may do what (a TOML file; unset: everyone may do everything)
    access_policy: str | None = None
    access_policy_reload_seconds: float = Field(default=60.0, ge=0)

    # Store
    database_url: str = DEFAULT_DATABASE_URL
    db_auto_upgrade: bool = False
    retention_days: int = Field(default=30, ge=1)

    # Serving and watching
    port: int = Field(default=3000, ge=1, le=65535)
    poll_interval_seconds: float = Field(default=30.0, ge=1)
    watch_max_hours: float = Field(default=24.0, gt=0)
    poll_concurrency: int = Field(default=32, ge=1, le=1000)
    progress_reply_minutes: float = Field(default=10.0, ge=0)
    card_refresh_seconds: float = Field(default=60.0, ge=0)
    stall_minutes: float = Field(default=30.0, gt=0)
    failure_notice_after: int = Field(default=5, ge=1)
    final_broadcast: bool = True
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    metrics_enabled: bool = True

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("slack_command")
    @classmethod
    def _slash(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith("/") or len(value) < 2 or " " in value:
            raise ValueError("must be a slash command such as /drs-progress")
        return value

    @field_validator("drs_region", "drs_project_id", "iam_username", "iam_domain")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("drs_endpoint", "iam_endpoint", "slack_api_url", "slack_redirect_uri")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s):// URL")
        return value

    @field_validator("https_proxy", "http_proxy")
    @classmethod
    def _proxy_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        url = value.get_secret_value().strip()
        if "://" not in url:
            url = f"http://{url}"  # `host:port`, as curl and httpx accept it
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a proxy URL such as http://proxy.example.com:3128")
        return SecretStr(url)

    # ---- what each command demands -------------------------------------------------

    def credential_kinds(self) -> list[CredentialKind]:
        """The credential kinds that have at least one variable set."""
        kinds = []
        if self.drs_auth_token is not None:
            kinds.append(CredentialKind.TOKEN)
        if self.iam_username or self.iam_password is not None or self.iam_domain:
            kinds.append(CredentialKind.IAM)
        if self.huaweicloud_sdk_ak is not None or self.huaweicloud_sdk_sk is not None:
            kinds.append(CredentialKind.AKSK)
        return kinds

    def region_plan(self) -> RegionPlan | None:
        """The regions DRS_REGIONS names (None: the one-region form); checked by drs_problems."""
        return plan_regions(self)[0]

    def drs_problems(self) -> list[str]:
        """What stops the bot from calling DRS (empty when it can)."""
        # With DRS_REGIONS, project IDs are discovered and endpoints derived per region.
        plan, problems = plan_regions(self)
        if plan is None and not self.drs_project_id:
            problems.append(
                "DRS_PROJECT_ID is not set: set it to the project ID of your region "
                "(console: My Credentials > API Credentials)."
            )
        if plan is None and not self.drs_region and not self.drs_endpoint:
            problems.append(
                "DRS_REGION is not set: set it to your region, e.g. ap-southeast-1 "
                "(or set DRS_ENDPOINT to the full DRS URL)."
            )
        kinds = self.credential_kinds()
        if not kinds:
            problems.append(
                "no DRS credentials: set exactly one of DRS_AUTH_TOKEN, "
                "HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK, or IAM_USERNAME + IAM_PASSWORD + "
                "IAM_DOMAIN."
            )
        elif len(kinds) > 1:
            names = {
                CredentialKind.TOKEN: "a token (DRS_AUTH_TOKEN)",
                CredentialKind.IAM: "IAM login (IAM_*)",
                CredentialKind.AKSK: "AK/SK (HUAWEICLOUD_SDK_AK/SK)",
            }
            found = ", ".join(names[k] for k in kinds)
            problems.append(
                f"several DRS credential kinds are set ({found}): keep exactly one and unset "
                "the others."
            )
        else:
            problems += self._incomplete(kinds[0])
        if self.huaweicloud_sdk_security_token is not None and (CredentialKind.AKSK not in kinds):
            problems.append(
                "HUAWEICLOUD_SDK_SECURITY_TOKEN is set without HUAWEICLOUD_SDK_AK/SK: "
                "temporary keys need all three."
            )
        return problems

    def _incomplete(self, kind: CredentialKind) -> list[str]:
        """What the one credential kind in use still lacks."""
        problems: list[str] = []
        if kind is CredentialKind.AKSK:
            if self.huaweicloud_sdk_ak is None:
                problems.append("HUAWEICLOUD_SDK_AK is not set: AK/SK signing needs both keys.")
            if self.huaweicloud_sdk_sk is None:
                problems.append("HUAWEICLOUD_SDK_SK is not set: AK/SK signing needs both keys.")
        elif kind is CredentialKind.IAM:
            for name, value in (
                ("IAM_USERNAME", self.iam_username),
                ("IAM_PASSWORD", self.iam_password),
                ("IAM_DOMAIN", self.iam_domain),
            ):
                if not value:
                    problems.append(
                        f"{name} is not set: IAM login needs IAM_USERNAME, IAM_PASSWORD and "
                        "IAM_DOMAIN (the account name)."
                    )
            if not self.drs_region and not self.drs_regions and not self.iam_endpoint:
                problems.append("IAM_ENDPOINT cannot be derived: set DRS_REGION or IAM_ENDPOINT.")
        return problems

    @property
    def oauth_enabled(self) -> bool:
        """Installs in many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set)."""
        return bool(self.slack_client_id) and self.slack_client_secret is not None

    def slack_problems(self) -> list[str]:
        """What stops `serve` from talking to Slack (empty when it can)."""
        problems = oauth_problems(self.slack_client_id, self.slack_client_secret is not None)
        token = self.slack_bot_token.get_secret_value() if self.slack_bot_token else ""
        if self.slack_client_id or self.slack_client_secret is not None:
            pass  # OAuth mode: each workspace's token comes from its installation
        elif not token:
            problems.append(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from "
                "your Slack app's OAuth & Permissions page."
            )
        elif not token.startswith("xoxb-"):
            problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
        if self.slack_app_token is not None:
            if not self.slack_app_token.get_secret_value().startswith("xapp-"):
                problems.append(
                    "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    "(Basic Information > App-Level Tokens, scope connections:write)."
                )
        elif self.slack_signing_secret is None:
            problems.append(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack "
                "app's Basic Information page (needed in HTTP mode)."
            )
        return problems


def _describe(err: Mapping[str, Any]) -> str:
    loc = err.get("loc") or ("?",)
    field = str(loc[0])
    name = field.upper()
    msg = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
    if field in _SECRET_FIELDS:
        return f"{name}: {msg}."
    value = str(err.get("input", ""))
    if len(value) > 40:
        value = value[:37] + "..."
    return f"{name}={value!r}: {msg}."


def load_settings(
    env: Mapping[str, str] | None = None, *, drs: bool = False, slack: bool = False
) -> Settings:
    """Read settings from `env` (the process environment when None).

    Raises one ConfigError naming every problem: values that do not parse, and (with `drs` /
    `slack`) what that command needs but is missing, so one start shows all there is to fix.
    """
    if env is None:
        env = os.environ
    lowered = {k.lower(): v for k, v in env.items() if v != ""}
    known = {k: v for k, v in lowered.items() if k in Settings.model_fields}
    try:
        settings = Settings.model_validate(known)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        bad = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")}
        try:  # what else is wrong, judged without the values that did not parse
            rest = Settings.model_validate({k: v for k, v in known.items() if k not in bad})
        except ValidationError:
            raise ConfigError(problems) from None
        raise ConfigError(problems + _requirements(rest, drs=drs, slack=slack)) from None
    require(settings, drs=drs, slack=slack)
    return settings


def _requirements(settings: Settings, *, drs: bool, slack: bool) -> list[str]:
    problems: list[str] = []
    if drs:
        problems += settings.drs_problems()
    if slack:
        problems += settings.slack_problems()
    return problems


def require(settings: Settings, *, drs: bool = False, slack: bool = False) -> None:
    """Raise one ConfigError naming every problem for what a command uses."""
    problems = _requirements(settings, drs=drs, slack=slack)
    if problems:
        raise ConfigError(problems)
