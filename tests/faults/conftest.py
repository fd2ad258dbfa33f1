"""Fault-suite fixtures: the watcher tests' world (stand-ins + runtime on a FakeClock)."""

from tests.watcher.conftest import world

__all__ = ["world"]
