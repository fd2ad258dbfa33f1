"""OAuth installs in many workspaces: slack_sdk's SQLAlchemy stores on the bot's own engine.

On when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set. The stores' tables come from our
Alembic migrations (0007); nothing here creates tables. Bolt runs the install pages
(`GET /slack/install`, `GET /slack/oauth_redirect`) and authorizes each request by its
workspace's installation; the watcher finds the same installations through `InstalledWorkspaces`.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.proxy import Proxies
from bot.runtime import Chat
from bot.slack.gateway import build_web_client
from bot.slack.scopes import BOT_SCOPES
from bot.slack.workspaces import InstalledWorkspaces
from bot.store.slack_tables import BOTS, INSTALLATIONS, STATES

# Bolt and the watcher rotate a bot token this long before it expires.
ROTATE_MINUTES = 120
STATE_SECONDS = 600


def client_credentials(settings: Settings) -> tuple[str, str]:
    """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth mode only)."""
    assert settings.slack_client_id and settings.slack_client_secret is not None
    return settings.slack_client_id, settings.slack_client_secret.get_secret_value()


def installation_store(settings: Settings, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    client_id, _ = client_credentials(settings)
    return AsyncSQLAlchemyInstallationStore(
        client_id=client_id,
        engine=engine,
        bots_table_name=BOTS,
        installations_table_name=INSTALLATIONS,
    )


def build_directory(
    settings: Settings, engine: AsyncEngine, make_chat: Callable[[str], Chat]
) -> InstalledWorkspaces:
    """Every workspace's token, read from the installation store, rotated when it expires."""
    client_id, client_secret = client_credentials(settings)
    api_url = settings.slack_api_url
    client = build_web_client("", api_url, proxy=Proxies.from_settings(settings).for_url(api_url))
    rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
    return InstalledWorkspaces(
        installation_store(settings, engine),
        make_chat=make_chat,
        rotator=rotator,
        rotate_minutes=ROTATE_MINUTES,
    )


def oauth_settings(settings: Settings, workspaces: InstalledWorkspaces) -> AsyncOAuthSettings:
    """Bolt's install flow on the directory's store, the state kept in our database."""
    client_id, client_secret = client_credentials(settings)
    store = workspaces.store
    engine = store.engine if isinstance(store, AsyncSQLAlchemyInstallationStore) else None
    assert engine is not None
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=[s.strip() for s in settings.slack_scopes.split(",") if s.strip()]
        or list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        installation_store=store,
        token_rotation_expiration_minutes=ROTATE_MINUTES,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, table_name=STATES
        ),
        state_expiration_seconds=STATE_SECONDS,
    )


def _scopes(setting: str) -> list[str]:
    """SLACK_SCOPES as a list; empty means the manifest's bot scopes."""
    return [s.strip() for s in setting.split(",") if s.strip()] or list(BOT_SCOPES)
