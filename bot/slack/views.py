"""Card views built from stored watches, shared by the listeners and the watcher."""

from __future__ import annotations

from datetime import datetime

from bot.domain.progress import Progress
from bot.slack.cards import CardView
from bot.store.models import PolledJob, Watch


def card_view(
    watch: Watch,
    job: PolledJob,
    *,
    state: str | None = None,
    progress: Progress | None = None,
    note: str | None = None,
    checked_at: datetime | None = None,
) -> CardView:
    """The card of `watch`: its stored progress unless a fresher one is given."""
    shown = progress if progress is not None else job.progress()
    if state is None:
        state = "watching" if watch.active else watch.state
    return CardView(
        job_id=job.job_id,
        state=state,
        progress=shown,
        watch_id=watch.id if watch.active else None,
        requested_by=watch.requested_by,
        joined_by=tuple(watch.joined_by or ()),
        checked_at=checked_at or (shown.observed_at if shown else None),
        note=note,
        job_type=watch.job_type or None,
    )
