"""Slack pacing: messages to one channel go about one per `pace` seconds across replicas.

Each channel has a queue in this process, drained by one task: it claims the channel's next
slot in the database (`bot.store.pacing`, one statement), sleeps until then, sends. A process
claims one slot at a time per channel, so what it queues can still be reordered here:

- Two lanes. Sends made inside `bot.lanes.background()` (the watcher's deliveries) wait
  behind everything else; the rest (a person's own command answers, cards of new watches)
  go first. A person therefore waits for at most one slot per replica, never for a queue of
  finals. Ephemeral messages and reactions are not channel messages and are never paced.
- Card edits coalesce: an edit of a card whose earlier edit is still waiting replaces it, and
  both callers return once the newest edit was accepted (so what was told is recorded only
  after Slack took a message at least that new).
- Order is kept within a lane: one watch's card edit, final reply and so on go in the order
  its delivery makes them (each waits for the previous one anyway).

When the database cannot give a slot the message goes unpaced: a message late or lost for
the sake of pacing would be worse than a 429, which slack_sdk waits out (Retry-After).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.lanes import in_background
from bot.render.message import Message
from bot.slack.gateway import CallObserver, SlackGateway
from bot.store.pacing import reserve_slot

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class _Send:
    run: Callable[[], Awaitable[Any]]
    done: asyncio.Future[Any]
    card: str | None = None  # the ts of the card an edit replaces


@dataclass
class _Channel:
    interactive: deque[_Send] = field(default_factory=deque)
    background: deque[_Send] = field(default_factory=deque)
    edits: dict[str, _Send] = field(default_factory=dict)  # card ts -> its waiting edit

    def pop(self) -> _Send | None:
        for lane in (self.interactive, self.background):
            while lane:
                item = lane.popleft()
                if not item.done.done():  # a caller that gave up (cancelled) is skipped
                    return item
        return None


class ChannelPacer:
    """Queues per channel, drained one slot at a time (slots shared through the database)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, *, pace: float
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.pace = pace
        self.coalesced = 0  # card edits dropped for a newer one
        self._channels: dict[str, _Channel] = {}
        self._workers: set[asyncio.Task[None]] = set()

    async def send(
        self, channel: str, run: Callable[[], Awaitable[T]], *, card: str | None = None
    ) -> T:
        """Run `run` (one Web API call to `channel`) in its turn; `card` for card edits."""
        queue = self._channels.get(channel)
        if queue is None:
            queue = self._channels[channel] = _Channel()
            worker = asyncio.create_task(self._drain(channel, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        waiting = queue.edits.get(card) if card is not None else None
        if waiting is not None and not waiting.done.done():
            waiting.run = run  # the newest edit goes in the older one's place
            self.coalesced += 1
            result: T = await asyncio.shield(waiting.done)
            return result
        item = _Send(run, asyncio.get_running_loop().create_future(), card)
        (queue.background if in_background() else queue.interactive).append(item)
        if card is not None:
            queue.edits[card] = item
        result = await item.done
        return result

    async def _drain(self, channel: str, queue: _Channel) -> None:
        try:
            while (item := queue.pop()) is not None:
                await self._wait_for_slot(channel)
                if item.card is not None:
                    queue.edits.pop(item.card, None)  # from here on a newer edit queues anew
                await _complete(item)
        finally:
            # Nothing is awaited between the last pop and this: no send can slip in between.
            self._channels.pop(channel, None)
            for item in (*queue.interactive, *queue.background):
                if not item.done.done():
                    item.done.cancel()

    async def _wait_for_slot(self, channel: str) -> None:
        try:
            async with self.sessions.begin() as session:
                slot = await reserve_slot(
                    session, channel=channel, now=self.clock.now().timestamp(), pace=self.pace
                )
        except Exception as exc:  # see the module docstring: unpaced rather than unsent
            log.warning("no Slack slot for %s (%s); sending unpaced", channel, type(exc).__name__)
            return
        delay = slot - self.clock.now().timestamp()
        if delay > 0:
            await self.clock.sleep(delay)

    async def aclose(self) -> None:
        for worker in list(self._workers):
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)


async def _complete(item: _Send) -> None:
    if item.done.done():
        return
    try:
        result = await item.run()
    except asyncio.CancelledError:
        item.done.cancel()
        raise
    except Exception as exc:  # the caller's to handle: it arrives as its SlackError
        if not item.done.done():
            item.done.set_exception(exc)
        return
    if not item.done.done():
        item.done.set_result(result)


class PacedGateway(SlackGateway):
    """The Slack gateway with channel messages (post, card edit) going through a pacer."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        pacer: ChannelPacer,
        observe: CallObserver | None = None,
    ) -> None:
        super().__init__(client, observe=observe)
        self.pacer = pacer

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        broadcast: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        send = super().post
        return await self.pacer.send(
            channel,
            lambda: send(
                channel, message, thread_ts=thread_ts, broadcast=broadcast, metadata=metadata
            ),
        )

    async def update(self, channel: str, ts: str, message: Message) -> None:
        edit = super().update
        await self.pacer.send(channel, lambda: edit(channel, ts, message), card=ts)

    async def aclose(self) -> None:
        await self.pacer.aclose()
        await super().aclose()
