"""A watch card's view built from a stored watch and its polled job (read through protocols).

The protocols name only the attributes a card reads, so the store's rows satisfy them without
render importing the store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.progress import Progress
from bot.domain.states import CardState, parse_watch_state
from bot.render.cards import CardView
from bot.render.jobs import job_summary

log = logging.getLogger(__name__)


class StoredWatch(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def state(self) -> str: ...

    @property
    def requested_by(self) -> str: ...

    @property
    def joined_by(self) -> Sequence[str]: ...

    @property
    def job_type(self) -> str: ...


class StoredJob(Protocol):
    @property
    def job_id(self) -> str: ...

    @property
    def job_name(self) -> str | None: ...

    @property
    def engine_type(self) -> str | None: ...

    @property
    def job_direction(self) -> str | None: ...

    def progress(self) -> Progress | None: ...


def card_view(
    watch: StoredWatch,
    job: StoredJob,
    *,
    state: CardState | None = None,
    progress: Progress | None = None,
    note: str | None = None,
    checked_at: datetime | None = None,
) -> CardView:
    """The card of `watch`: its stored progress unless a fresher one is given."""
    shown = progress if progress is not None else job.progress()
    stored = parse_watch_state(watch.state)
    if state is None and stored is not None:
        state = CardState.of_watch(stored)
    elif state is None:
        log.warning("watch %s has an unknown state %r; shown verbatim", watch.id, watch.state)
    active = stored is not None and stored.active
    return CardView(
        job_id=job.job_id,
        state=state,
        progress=shown,
        watch_id=watch.id if active else None,
        requested_by=watch.requested_by,
        joined_by=tuple(watch.joined_by or ()),
        checked_at=checked_at or (shown.observed_at if shown else None),
        note=note,
        job_type=watch.job_type or None,
        state_raw=watch.state if state is None else None,
        job_name=job.job_name,
        job_summary=job_summary(job.engine_type, job.job_direction),
        job_engines=(job.engine_type, job.job_direction),  # worded in the card's language
        # Optional: only watches started by an upload from Slack carry a file name.
        uploaded_file=getattr(watch, "uploaded_file", None),
        # Optional: set only when several regions are served (the job's region).
        region=getattr(job, "region", None),
    )
