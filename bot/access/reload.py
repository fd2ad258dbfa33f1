"""Reloading the access policy: on SIGHUP and every ACCESS_POLICY_RELOAD_SECONDS, when changed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.access.gate import AccessGate, read_policy_text
from bot.errors import PolicyError

log = logging.getLogger(__name__)


class PolicyReloader:
    """Reads the policy file again when asked (SIGHUP) and at a fixed interval.

    Reading happens in a worker thread, so a slow disk never blocks the event loop; the gate
    keeps the last good policy when the new text is broken or cannot be read.
    """

    def __init__(self, gate: AccessGate, *, every: float) -> None:
        self.gate = gate
        self.every = every
        self.reloaded = asyncio.Event()  # set after each reload attempt (tests wait on it)
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Task[bool]] = set()

    def start(self) -> None:
        """On the running loop: the SIGHUP handler and, when `every` > 0, the interval."""
        if self.gate.path is None:
            return
        self._loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            # Not on Windows, nor off the main thread: the interval still reloads there.
            self._loop.add_signal_handler(signal.SIGHUP, self.on_sighup)
        if self.every > 0:
            self._task = self._loop.create_task(self._every())

    def on_sighup(self) -> None:
        log.info("SIGHUP: reading the access policy again")
        task = asyncio.get_running_loop().create_task(self.reload())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def reload(self) -> bool:
        """Read the file and hand it to the gate; True when the policy changed."""
        path = self.gate.path
        if path is None:
            return False
        try:
            text = await asyncio.to_thread(read_policy_text, path)
        except PolicyError as exc:
            log.error(
                "access policy not reloaded, keeping the last good one: %s: %s",
                exc.where(),
                exc.reason,
            )
            changed = False
        else:
            changed = self.gate.accept(text)
        self.reloaded.set()
        return changed

    async def _every(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            await self.reload()

    async def stop(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
                self._loop.remove_signal_handler(signal.SIGHUP)
        tasks = [t for t in (self._task, *self._pending) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
