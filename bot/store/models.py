"""SQLAlchemy models: a polled job per DRS job, and a watch per Slack destination."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.domain.commands import DEFAULT_LANGUAGE
from bot.domain.progress import Phase, Progress, derive_phase
from bot.domain.states import WatchState as WatchState  # the column's vocabulary, defined once

# Deterministic constraint names, so migrations can name what they alter or drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_ROW_COUNT = BigInteger().with_variant(Integer(), "sqlite")
_LONG_TEXT = Text().with_variant(String(64), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the zone, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(_NAIVE)
        value = value.astimezone(UTC)
        # SQLite compares datetimes as text: keep one zone and one format.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    # SQLite: one function each way instead of ours composed with the dialect's. The sweep
    # converts a dozen of these per poll; the text is the dialect's own storage format
    # ("YYYY-MM-DD HH:MM:SS.ffffff", always six digits), so stored values compare as before.
    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_text

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _sqlite_datetime


_NAIVE = "naive datetime given to the store; use an aware UTC datetime"


def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(_NAIVE)
    # In UTC, isoformat ends in "+00:00": the first 26 characters are the storage format.
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _sqlite_datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:  # stored without a zone, as UTC; parsing it with one is faster than replace()
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # a value written with its own offset
        return datetime.fromisoformat(value).astimezone(UTC)


WATCH_STATES = tuple(s.value for s in WatchState)


class StoredObservation(Protocol):
    """The columns that hold a polled job's last observation (an ORM row or a plain one)."""

    @property
    def job_id(self) -> str: ...
    @property
    def send_success(self) -> bool | None: ...
    @property
    def process_status(self) -> str | None: ...
    @property
    def rows(self) -> int | None: ...
    @property
    def rows_raw(self) -> str | None: ...
    @property
    def observed_at(self) -> datetime | None: ...


def stored_progress(row: StoredObservation) -> Progress | None:
    """A stored observation as a Progress, or None when the job was never seen."""
    if row.observed_at is None:
        return None
    return Progress(
        job_id=row.job_id,
        send_success=row.send_success,
        process_status=row.process_status,
        parsed_success_number=row.rows,
        parsed_success_raw=row.rows_raw,
        observed_at=row.observed_at,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class PolledJob(Base):
    """One DRS job (per project and query type): polled once per interval however many watch it."""

    __tablename__ = "drs_polled_jobs"
    __table_args__ = (
        UniqueConstraint("project_id", "job_id", "query_type", name="uq_drs_polled_jobs_key"),
        {"sqlite_autoincrement": True},  # ids are never reused (PostgreSQL's never are)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(64))
    # Where the job was found when several regions are served; None: the default region.
    region: Mapped[str | None] = mapped_column(String(64), nullable=True)
    job_id: Mapped[str] = mapped_column(String(64))
    query_type: Mapped[str] = mapped_column(String(16), default="", server_default="")
    language: Mapped[str] = mapped_column(
        String(8), default=DEFAULT_LANGUAGE.value, server_default=DEFAULT_LANGUAGE.value
    )

    # The last successful observation.
    send_success: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # DRS text of any length and counts up to 2**63-1 (parse_rows gives None above). SQLite
    # already stores 64-bit integers and unbounded text in the first schema's columns.
    process_status: Mapped[str | None] = mapped_column(_LONG_TEXT, nullable=True)
    rows: Mapped[int | None] = mapped_column(_ROW_COUNT, nullable=True)
    rows_raw: Mapped[str | None] = mapped_column(_LONG_TEXT, nullable=True)
    observed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    first_seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # When phase, status, upload flag or row count last changed: stall detection reads it.
    last_change_at: Mapped[datetime | None] = mapped_column(nullable=True)

    # NULL when no active watch wants this job polled.
    next_poll_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error_kind: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    # DRS refused the credentials: polling waits until a restart (`unpause_all`).
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # What DRS calls the job (its details API); NULL until known. The name is user text.
    job_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    engine_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    job_direction: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # When the details were last asked for: the sweep asks again for a missing name, rarely.
    details_asked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]

    watches: Mapped[list[Watch]] = relationship(
        back_populates="polled_job", passive_deletes=True, lazy="raise"
    )

    def progress(self) -> Progress | None:
        """The stored observation as a Progress, or None when the job was never seen."""
        return stored_progress(self)

    @property
    def phase(self) -> Phase | None:
        if self.observed_at is None:
            return None
        return derive_phase(self.send_success, self.process_status)

    def __repr__(self) -> str:
        return f"PolledJob(id={self.id!r}, job_id={self.job_id!r}, next={self.next_poll_at!r})"


class Watch(Base):
    """One Slack destination that wants to hear about a polled job, and what it was last told."""

    __tablename__ = "drs_watches"
    __table_args__ = (
        CheckConstraint(
            "state IN ({})".format(", ".join(f"'{s}'" for s in WATCH_STATES)), name="state"
        ),
        # At most one active watch per place and job; `thread_key` is never NULL so that
        # "no thread" counts as one value in a unique index.
        Index(
            "uq_drs_watches_active_place",
            "team_id",
            "channel_id",
            "thread_key",
            "polled_job_id",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
        Index("ix_drs_watches_job_state", "polled_job_id", "state"),
        Index("ix_drs_watches_place", "team_id", "channel_id", "state"),
        # Card buttons carry the watch id: a deleted watch's id must never name a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    polled_job_id: Mapped[int] = mapped_column(ForeignKey("drs_polled_jobs.id", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    # The thread the request was made in ('' for the channel itself): the watch's place.
    thread_key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Where replies go; NULL until there is a thread (e.g. the card's own thread).
    thread_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    card_channel: Mapped[str | None] = mapped_column(String(32), nullable=True)
    card_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    requested_by: Mapped[str] = mapped_column(String(32))
    # JSON columns are replaced, never mutated in place (no mutation tracking).
    joined_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    state: Mapped[str] = mapped_column(
        String(16), default=WatchState.ACTIVE.value, server_default=WatchState.ACTIVE.value
    )
    job_type: Mapped[str] = mapped_column(String(16), default="", server_default="")
    language: Mapped[str] = mapped_column(
        String(8), default=DEFAULT_LANGUAGE.value, server_default=DEFAULT_LANGUAGE.value
    )
    # What this destination was last told; opaque to the store (the watcher policy owns it).
    told: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The file a person uploaded from Slack to start this watch (shown on the card), if any.
    uploaded_file: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The Enterprise Grid org of the workspace the watch was made in (its token may be the org's).
    enterprise_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Set just before the final reply is sent: a replica finding it set looks in the thread first.
    final_intent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime]

    # Always loaded with the watch (one row, joined): async sessions cannot lazy-load.
    polled_job: Mapped[PolledJob] = relationship(
        back_populates="watches", lazy="joined", innerjoin=True
    )

    @property
    def active(self) -> bool:
        return self.state == WatchState.ACTIVE.value

    def __repr__(self) -> str:
        return (
            f"Watch(id={self.id!r}, channel={self.channel_id!r}, thread={self.thread_key!r}, "
            f"state={self.state!r})"
        )


UPLOAD_STATES = ("started", "uploaded", "failed")


class TemplateUpload(Base):
    """One file from Slack sent (or about to be sent) to DRS: the once-only record.

    Slack re-delivers an event it thinks was lost and every replica may receive it; the unique
    (event, file) pair makes exactly one of them upload. `started` rows left by a process that
    stopped are reported, never sent again.
    """

    __tablename__ = "drs_template_uploads"
    __table_args__ = (
        UniqueConstraint("event_key", "file_id", name="uq_drs_template_uploads_event_file"),
        CheckConstraint(
            "state IN ({})".format(", ".join(f"'{s}'" for s in UPLOAD_STATES)), name="state"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    job_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ChannelSetting(Base):
    """One channel's settings (`config`): its messages' language and its DRS region."""

    __tablename__ = "drs_channel_settings"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", name="uq_drs_channel_settings_place"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    region: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class SeenRequest(Base):
    """A Slack event or signed request some replica already took (`bot.store.seen`)."""

    __tablename__ = "drs_seen_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ChannelPace(Base):
    """When the next message may go to one Slack channel, shared by every replica.

    Epoch seconds, not a timestamp column: the pacer only adds and compares, once per message.
    """

    __tablename__ = "drs_slack_pace"

    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Double)
