"""Publishing a person's App Home: when they open it, and when one of their watches moves.

Listeners and the watcher both publish, so this sits below them. Republishing after a phase
change waits at least `REPUBLISH_EVERY` per person (remembered per process, on the runtime);
a watch that ended is always shown at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.states import parse_watch_state
from bot.errors import SlackError
from bot.locales import user_language
from bot.render.home import MAX_ENDED, HomeItem, home_view
from bot.render.jobs import job_summary
from bot.runtime import Runtime
from bot.store import repo
from bot.store.models import PolledJob, Watch

log = logging.getLogger(__name__)

REPUBLISH_EVERY = timedelta(minutes=1)
MAX_ACTIVE = 80  # more than fit in a Home; the view says how many were left out


async def publish_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """Build the person's Home from the store and publish it; a Slack failure is only logged."""
    async with rt.sessions() as session:
        active = await repo.watches_started_by(
            session, team_id=team_id, user_id=user_id, active=True, limit=MAX_ACTIVE + 1
        )
        ended = await repo.watches_started_by(
            session, team_id=team_id, user_id=user_id, active=False, limit=MAX_ENDED
        )
    blocks = home_view(
        [await _item(rt, w, job) for w, job in active],
        [await _item(rt, w, job) for w, job in ended],
        command_name=rt.command,
        bot_user_id=rt.bot_user_id,
        lang=await user_language(rt, team_id=team_id, user_id=user_id),
    )
    rt.home_published[(team_id, user_id)] = rt.clock.now()
    try:
        await rt.slack.publish_home(user_id, blocks)
    except SlackError as exc:
        log.info("could not publish the Home of %s: %s", user_id, exc)


async def watch_changed(rt: Runtime, watch: Watch, *, ended: bool) -> None:
    """A watch changed phase or ended: republish its starter's Home (phase changes rate-limited)."""
    key = (watch.team_id, watch.requested_by)
    last = rt.home_published.get(key)
    if not ended and last is not None and rt.clock.now() - last < REPUBLISH_EVERY:
        return
    await publish_home(rt, team_id=watch.team_id, user_id=watch.requested_by)


async def _item(rt: Runtime, watch: Watch, job: PolledJob) -> HomeItem:
    channel = watch.card_channel or watch.channel_id
    permalink = None
    if watch.card_ts:
        permalink = await rt.slack.permalink(channel, watch.card_ts)
    return HomeItem(
        watch_id=watch.id,
        job_id=job.job_id,
        channel_id=watch.channel_id,
        state=parse_watch_state(watch.state),
        progress=job.progress(),
        permalink=permalink,
        ended_at=watch.ended_at,
        job_name=job.job_name,
        job_summary=job_summary(job.engine_type, job.job_direction),
    )
