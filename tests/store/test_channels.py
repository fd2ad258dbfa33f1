"""Channel settings: one row per channel, language and region set apart, active watches switched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.commands import Language
from bot.store import repo
from bot.store.channels import (
    ChannelSettings,
    channel_settings,
    set_channel_language,
    set_channel_region,
    switch_active_watches,
)

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)


async def test_unset_channels_have_no_settings(db_sessions: Sessions) -> None:
    async with db_sessions() as session:
        found = await channel_settings(session, team_id="T", channel_id="C")
    assert found == ChannelSettings("T", "C", None, None)


async def test_language_and_region_are_set_apart_per_channel(db_sessions: Sessions) -> None:
    async with db_sessions.begin() as session:
        await set_channel_language(
            session, team_id="T", channel_id="C", language=Language.ZH_CN, user_id="U1", now=NOW
        )
        await set_channel_region(
            session, team_id="T", channel_id="C", region="ap-southeast-1", user_id="U2", now=NOW
        )
        await set_channel_language(
            session, team_id="T", channel_id="C2", language=Language.EN_US, user_id="U1", now=NOW
        )
    async with db_sessions.begin() as session:  # a second language replaces the first
        later = NOW + timedelta(minutes=1)
        await set_channel_language(
            session, team_id="T", channel_id="C2", language=Language.ZH_CN, user_id="U3", now=later
        )
    async with db_sessions() as session:
        first = await channel_settings(session, team_id="T", channel_id="C")
        second = await channel_settings(session, team_id="T", channel_id="C2")
        other_team = await channel_settings(session, team_id="T2", channel_id="C")
    assert first == ChannelSettings("T", "C", Language.ZH_CN, "ap-southeast-1")
    assert second == ChannelSettings("T", "C2", Language.ZH_CN, None)
    assert other_team.language is None


async def test_switching_moves_only_the_channels_active_watches(db_sessions: Sessions) -> None:
    ids = {}
    async with db_sessions.begin() as session:
        for channel, job in (("C", "j1"), ("C", "j2"), ("C9", "j3")):
            watch, _ = await repo.get_or_create_watch(
                session,
                team_id="T",
                channel_id=channel,
                thread_ts=None,
                project_id="p",
                job_id=job,
                job_type=None,
                language="en-us",
                requested_by="U",
                now=NOW,
                expires_at=NOW + timedelta(hours=1),
            )
            ids[job] = watch.id
        await repo.end_watch(session, watch_id=ids["j2"], state="stopped", now=NOW)
    async with db_sessions.begin() as session:
        switched = await switch_active_watches(
            session, team_id="T", channel_id="C", language=Language.ZH_CN, now=NOW
        )
    assert switched == 1
    async with db_sessions() as session:
        langs = {}
        for job, watch_id in ids.items():
            watch = await repo.get_watch(session, watch_id=watch_id)
            assert watch is not None
            langs[job] = (watch.language, watch.polled_job.language)
    assert langs == {
        "j1": ("zh-cn", "zh-cn"),
        "j2": ("en-us", "en-us"),
        "j3": ("en-us", "en-us"),
    }
