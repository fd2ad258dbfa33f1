"""Delivering one watch's decision to Slack, recording what it was told after each accepted call.

`told_after` is stored right after Slack accepts each action, so a crash between a delivery
and its record repeats at most that one message, and never skips one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import home
from bot.domain.states import EndState, WatchState
from bot.domain.watching import Observation, Told, WatchFacts
from bot.errors import DestinationGone, SlackError
from bot.lanes import background
from bot.logs import log_context
from bot.render.cards import watch_card
from bot.render.catalog import language_of
from bot.render.notes import note_text
from bot.render.replies import render_observed
from bot.render.views import card_view
from bot.runtime import Runtime
from bot.store import repo
from bot.store.models import PolledJob, Watch
from bot.store.rows import WatchView
from bot.watcher.finals import FINAL_REPLIES, send_final
from bot.watcher.results import post_result
from bot.watcher.revoked import token_refused
from bot.watcher.state import Action, ActionKind, Decision, PolicyConfig
from bot.watcher.stats import SweepStats

log = logging.getLogger(__name__)

# A card that cannot be edited any more (deleted by someone, too old) must not block replies.
CARD_GONE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
# Bot-wide failures: ending every watch would throw away work that resumes once fixed
# (with one token; in OAuth mode they are the workspace's: see bot/watcher/revoked.py).
BOT_WIDE_ERRORS = frozenset({"invalid_auth", "token_revoked"})


@dataclass
class Delivered:
    """What happened to one watch in one sweep."""

    sent: int = 0  # Slack calls accepted
    ended: str | None = None  # the watch's end state, when it ended now
    retry: bool = False  # a Slack error left something undelivered (tried again next poll)


def watch_facts(watch: Watch | WatchView, siblings: Sequence[Watch | WatchView] = ()) -> WatchFacts:
    """The policy's facts about one watch; `siblings` are the active watches of its job."""
    return WatchFacts(
        created_at=watch.created_at,
        expires_at=watch.expires_at,
        requested_by=watch.requested_by,
        joined_by=tuple(watch.joined_by or ()),
        has_card=watch.card_ts is not None,
        broadcasts_final=broadcasts_final(watch, siblings),
    )


def broadcasts_final(watch: Watch | WatchView, siblings: Sequence[Watch | WatchView]) -> bool:
    """Whether this watch's final reply goes to the channel too.

    When one channel watches a job more than once (in the channel and in threads), the channel
    hears the end once: from the channel's own watch, else from the oldest thread watch.
    """
    here = [s for s in siblings if s.team_id == watch.team_id and s.channel_id == watch.channel_id]
    if not watch.thread_key:
        return True
    if any(not s.thread_key for s in here):
        return False
    return all(s.id >= watch.id for s in here)


def told_of(watch: Watch | WatchView) -> Told:
    if isinstance(watch.told, Told):  # a WatchView's, parsed when read
        return watch.told
    return Told.from_dict(watch.told)


class WatchDelivery:
    """Performs one decision's actions for one watch, in order."""

    def __init__(
        self,
        runtime: Runtime,
        watch: Watch,
        job: PolledJob,
        *,
        obs: Observation,
        now: datetime,
        config: PolicyConfig,
        tx: Callable[[], AbstractAsyncContextManager[AsyncSession]] | None = None,
    ) -> None:
        self.rt = runtime
        self.tx = tx or runtime.sessions.begin
        self.watch = watch
        self.job = job
        self.obs = obs
        self.now = now
        self.config = config
        self.facts = watch_facts(watch)
        self.channel = watch.card_channel or watch.channel_id
        # Replies go under the request's thread, or else under the card itself.
        self.thread_ts = watch.thread_ts or watch.card_ts
        self.lang = language_of(watch.language)  # the channel's (`config lang`) or `--lang`

    async def run(self, told: Told, decision: Decision) -> Delivered:
        result = await self._run(told, decision)
        if result.ended or (result.sent and decision.told.card_phase != told.card_phase):
            try:
                await home.watch_changed(self.rt, self.watch, ended=result.ended is not None)
            except Exception as exc:  # the Home is a view: its trouble never undoes a delivery
                log.warning("watch %s: Home not republished: %s", self.watch.id, exc)
        return result

    async def _run(self, told: Told, decision: Decision) -> Delivered:
        result = Delivered()
        recorded = told
        for action in decision.actions:
            try:
                await self._perform(action)
            except DestinationGone as exc:
                if exc.error in BOT_WIDE_ERRORS:  # OAuth mode: only this workspace's watches end
                    if await token_refused(self.rt, self.watch, exc, self.tx):
                        result.ended = WatchState.UNDELIVERABLE
                    else:
                        result.retry = True
                    return result
                log.warning("watch %s ends as undeliverable: %s", self.watch.id, exc)
                await self._end(WatchState.UNDELIVERABLE)
                result.ended = WatchState.UNDELIVERABLE
                return result
            except SlackError as exc:
                if action.kind is ActionKind.CARD and exc.error in CARD_GONE_ERRORS:
                    log.info("watch %s: card not editable (%s); replies go on", self.watch.id, exc)
                else:
                    log.warning("watch %s: %s; will try again next poll", self.watch.id, exc)
                    result.retry = True
                    return result
            else:
                result.sent += 1
            end = action.told_after.end_state if action.told_after.final else None
            await self._record(action.told_after, end, reply=action.kind is ActionKind.REPLY)
            recorded = action.told_after
            result.ended = end or result.ended
        end = decision.end_state if decision.told.final else None
        if decision.told != recorded or (end is not None and result.ended is None):
            await self._record(decision.told, end, reply=False)
            result.ended = end or result.ended
        if result.ended == EndState.FAILED:  # the final reply is out: the marked file follows
            await post_result(
                self.rt,
                self.channel,
                self.thread_ts,
                self.job.job_id,
                self.watch.language,
                region=self.job.region,
                project_id=self.job.project_id,
            )
        return result

    async def _perform(self, action: Action) -> None:
        gateway = self.rt.slack
        if action.kind is ActionKind.CARD:
            assert self.watch.card_ts is not None  # the sweep skips watches without a card
            note = action.card_note
            view = card_view(
                self.watch,
                self.job,
                state=action.card_state,
                progress=self.obs.progress,
                note=None if note is None else note_text(note, self.config, lang=self.lang),
                checked_at=self.now,
            )
            await gateway.update(self.channel, self.watch.card_ts, watch_card(view, lang=self.lang))
        elif action.kind is ActionKind.REPLY:
            assert action.reply is not None
            message = render_observed(
                action.reply,
                job_id=self.job.job_id,
                obs=self.obs,
                facts=self.facts,
                now=self.now,
                config=self.config,
                project_id=self.job.project_id,
                job_name=self.job.job_name,
                lang=self.lang,
            )
            if action.reply in FINAL_REPLIES:  # sent once, even across a crash
                await send_final(self.rt, self.watch, message, action.broadcast, tx=self.tx)
            else:
                await gateway.post(
                    self.channel, message, thread_ts=self.thread_ts, broadcast=action.broadcast
                )
        else:
            assert self.watch.card_ts is not None and action.reaction is not None
            await gateway.react(self.channel, self.watch.card_ts, action.reaction)

    async def _record(self, told: Told, end: EndState | None, *, reply: bool) -> None:
        # The first reply under the card makes the card's thread this watch's thread.
        thread = self.thread_ts if reply and self.watch.thread_ts is None else None
        async with self.tx() as session:
            await repo.record_delivery(
                session,
                watch_id=self.watch.id,
                told=told.to_dict(),
                now=self.rt.clock.now(),
                state=end,
                thread_ts=thread,
            )
        if thread is not None:
            self.watch.thread_ts = thread

    async def _end(self, state: WatchState) -> None:
        async with self.tx() as session:
            await repo.end_watch(
                session, watch_id=self.watch.id, state=state, now=self.rt.clock.now()
            )


async def deliver_plans(
    rt: Runtime,
    plans: Sequence[tuple[Watch, Told, Decision]],
    job: PolledJob,
    obs: Observation,
    now: datetime,
    stats: SweepStats,
    *,
    config: PolicyConfig,
    tx: Callable[[], AbstractAsyncContextManager[AsyncSession]],
) -> None:
    """Carry out each watch's decision in turn, counting what was sent and ended."""
    waiting = rt.metrics.deliveries_waiting
    waiting.inc(len(plans))
    for watch, told, decision in plans:
        try:
            home_rt = await rt.for_workspace(watch.team_id, watch.enterprise_id)  # its token
            delivery = WatchDelivery(home_rt, watch, job, obs=obs, now=now, config=config, tx=tx)
            with (
                log_context(
                    job_id=job.job_id,
                    watch_id=watch.id,
                    team=watch.team_id,
                    channel=watch.channel_id,
                ),
                background(),  # behind people's own answers in the channel's Slack queue
            ):
                result = await delivery.run(told, decision)
        except Exception as exc:  # one watch's trouble leaves the others untouched
            stats.errors += 1
            log.error("watch %s: %s: %s", watch.id, type(exc).__name__, exc)
            continue
        finally:
            waiting.dec()
        stats.delivered += result.sent
        stats.ended += 1 if result.ended else 0
