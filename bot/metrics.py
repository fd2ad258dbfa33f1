"""Prometheus metrics: one registry per Runtime, counted at the edges, served as GET /metrics.

Nothing is registered on prometheus_client's default registry: each `Metrics` owns its own,
so two runtimes in one process (tests, the sandbox) never share a count. `serve` runs one
process (no worker processes), so one registry per process is the whole truth for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.states import WatchState
from bot.store import census
from bot.store.rows import Claim

log = logging.getLogger(__name__)

__all__ = ["CONTENT_TYPE", "Metrics"]

# DRS answers in tens of milliseconds to seconds; a retry deadline bounds the tail.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Polls start up to an interval late before anyone should care; minutes late is an outage.
LAG_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0)
SWEEP_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Every metric the bot exports, on a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._drs_metrics(r)
        self._slack_metrics(r)
        self._sweep_metrics(r)

    def _drs_metrics(self, r: CollectorRegistry) -> None:
        """DRS requests and how far polls run behind."""
        self.drs_requests = Counter(
            "drs_bot_drs_requests",
            "DRS requests by outcome (ok or the error kind) and DRS error code",
            ["outcome", "code"],
            registry=r,
        )
        self.drs_seconds = Histogram(
            "drs_bot_drs_request_seconds",
            "Time from sending a DRS request to its answer (or failure)",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.poll_lag = Histogram(
            "drs_bot_poll_lag_seconds",
            "How long after its job fell due each poll was claimed (behind schedule)",
            buckets=LAG_BUCKETS,
            registry=r,
        )

    def _slack_metrics(self, r: CollectorRegistry) -> None:
        """Slack Web API calls and deliveries waiting."""
        self.slack_calls = Counter(
            "drs_bot_slack_calls",
            "Slack Web API calls by method and outcome (ok, or Slack's error code)",
            ["method", "outcome"],
            registry=r,
        )
        self.slack_rate_limited = Counter(
            "drs_bot_slack_rate_limited",
            "Slack HTTP 429 answers by method (each waited out, then retried)",
            ["method"],
            registry=r,
        )
        self.deliveries_waiting = Gauge(
            "drs_bot_deliveries_waiting",
            "Watch deliveries decided by a sweep and not yet done",
            registry=r,
        )

    def _sweep_metrics(self, r: CollectorRegistry) -> None:
        """Sweeps, leases between replicas and watches."""
        self.sweep_seconds = Histogram(
            "drs_bot_sweep_seconds", "Duration of one sweep", buckets=SWEEP_BUCKETS, registry=r
        )
        self.lease_takeovers = Counter(
            "drs_bot_lease_takeovers",
            "Expired leases of other replicas taken over by this one",
            registry=r,
        )
        self.leases_lost = Counter(
            "drs_bot_leases_lost",
            "Leases this replica lost to another one (the poll's result dropped)",
            registry=r,
        )
        self.watches = Gauge(
            "drs_bot_watches", "Stored watches by state (read at scrape)", ["state"], registry=r
        )
        self.active_watches = Gauge(
            "drs_bot_active_watches",
            "Active watches by what their job's polling is doing (read at scrape)",
            ["state"],
            registry=r,
        )

    def drs_request(self, outcome: str, code: str | None, seconds: float) -> None:
        self.drs_requests.labels(outcome=outcome, code=code or "").inc()
        self.drs_seconds.observe(seconds)

    def claimed(self, claims: Iterable[Claim], *, now: datetime) -> None:
        """How late each claimed poll is, and which leases were another replica's."""
        for claim in claims:
            if claim.due_at is not None:
                self.poll_lag.observe(max(0.0, (now - claim.due_at).total_seconds()))
            if claim.took_over:
                self.lease_takeovers.inc()

    def slack_call(self, method: str, outcome: str) -> None:
        self.slack_calls.labels(method=method, outcome=outcome).inc()

    def slack_429(self, method: str) -> None:
        self.slack_rate_limited.labels(method=method).inc()

    async def refresh_watches(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Read the watch counts (two grouped queries); a failure keeps the last counts."""
        try:
            async with sessions() as session:
                stored = await census.watches_by_state(session)
                active = await census.active_watches_by_state(session)
        except Exception as exc:  # a scrape must answer even while the database does not
            log.warning("metrics: watch counts unavailable: %s", type(exc).__name__)
            return
        for state in WatchState:
            self.watches.labels(state=state.value).set(stored.get(state.value, 0))
        for name, count in active.items():
            self.active_watches.labels(state=name).set(count)

    def render(self) -> bytes:
        """The Prometheus text format of everything counted so far."""
        return generate_latest(self.registry)
