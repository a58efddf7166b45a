"""Prometheus metrics at /metrics: request latency by route template, what pushes and pulls
carry, and, read from the database at scrape time, each device's last sync and how far behind
HQ's newest event its pull cursor is, plus the database connection pool.

With several worker processes and ``PROMETHEUS_MULTIPROC_DIR`` set (before HQ starts), counters
and histograms are summed over the workers; without it each process answers for itself. /metrics
needs no session; ``INSPECT_METRICS_TOKEN``, if set, must come as a bearer token, else only
loopback may scrape."""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from inspect_app.server import schema
from inspect_app.server.common import SEQ, counter_value

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

REQUEST_SECONDS = Histogram(
    "inspect_http_request_duration_seconds",
    "Time to answer a request, by route template, method and status class (2xx, 5xx...)",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=None,
)
COMMANDS = Counter(
    "inspect_commands_pushed",
    "Commands devices pushed, by result (applied, rejected_..., missing_blobs, replayed)",
    ["result"],
    registry=None,
)
INSPECTIONS = Counter(
    "inspect_inspections_pushed",
    "Inspections devices pushed, by result",
    ["result"],
    registry=None,
)
PULL_EVENTS = Counter("inspect_pull_events_sent", "Events sent to devices by pulls", registry=None)
SHARED = (REQUEST_SECONDS, COMMANDS, INSPECTIONS, PULL_EVENTS)


def count_push(results: dict[str, Any]) -> None:
    """Count a push's answer (or the part a seq gap answered with)."""
    for counter, key in ((COMMANDS, "commands"), (INSPECTIONS, "inspections")):
        for item in results.get(key) or []:
            counter.labels("replayed" if item.get("replayed") else item.get("status", "?")).inc()


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class DatabaseCollector(Collector):
    """Gauges read from HQ's database when scraped, the same whichever process answers."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("inspect_database_up", "1 if the scrape could read the database")
        try:
            yield from self._devices()
            up.add_metric([], 1)
        except SQLAlchemyError:
            up.add_metric([], 0)
        yield up
        yield from self._pool()

    def _devices(self) -> Iterator[Metric]:
        table = schema.devices
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    table.c.id,
                    table.c.last_sync_at,
                    table.c.pulled_seq,
                    counter_value(SEQ).label("newest"),
                ).where(table.c.revoked_at.is_(None))
            ).all()
        synced = GaugeMetricFamily(
            "inspect_device_last_sync_timestamp_seconds",
            "When each enrolled device last pushed or pulled (Unix time)",
            labels=["device"],
        )
        lag = GaugeMetricFamily(
            "inspect_device_seq_lag",
            "HQ's newest event seq minus the cursor each device's last pull reached",
            labels=["device"],
        )
        for row in rows:
            if row.last_sync_at:
                synced.add_metric([row.id], datetime.fromisoformat(row.last_sync_at).timestamp())
            if row.pulled_seq is not None:
                lag.add_metric([row.id], max(0, (row.newest or 0) - row.pulled_seq))
        yield synced
        yield lag

    def _pool(self) -> Iterator[Metric]:
        pool = self.engine.pool
        for name, help_text, reading in (
            ("inspect_db_pool_size", "Connections the pool keeps", "size"),
            ("inspect_db_pool_checked_out", "Connections in use", "checkedout"),
        ):
            method = getattr(pool, reading, None)
            if method is not None:
                yield GaugeMetricFamily(name, f"{help_text} (this process)", value=method())


def make_registry(engine: Engine) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        prometheus_multiprocess.MultiProcessCollector(registry)
    else:
        for metric in SHARED:
            registry.register(metric)
        ProcessCollector(registry=registry)
    registry.register(DatabaseCollector(engine))
    return registry


def install(app: FastAPI, engine: Engine, token: str = "") -> None:
    """/metrics, for a bearer ``token`` if one is set, else for loopback clients only."""
    registry = make_registry(engine)

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        if token:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return PlainTextResponse("a metrics token is required", status_code=401)
        elif (request.client.host if request.client else "") not in LOOPBACK:
            return PlainTextResponse(
                "metrics are served to loopback only, unless INSPECT_METRICS_TOKEN is set",
                status_code=403,
            )
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
