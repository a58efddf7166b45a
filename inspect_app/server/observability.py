"""Watching HQ: logs as text or one JSON object a line, each carrying the request it belongs to
(its id, taken from ``X-Request-ID`` or made up, and echoed), the device and person or HQ user
behind it, its route, status and duration; and the wiring of readiness, 503s, metrics and
trusted reverse proxies into the app."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspect_app.server import health, metrics

access_log = logging.getLogger("inspect_app.access")


@dataclass
class _Request:
    """The request being answered. Dependencies add who is asking (``device``, ``person``,
    ``user``) to this same object, so it is seen from the thread pool too."""

    scope: Scope
    fields: dict[str, Any]

    def log_fields(self) -> dict[str, Any]:
        route = self.scope.get("route")  # set once the router has matched
        return {**self.fields, **({"route": route.path} if hasattr(route, "path") else {})}


REQUEST: ContextVar[_Request | None] = ContextVar("inspect_request", default=None)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
#: What every LogRecord has; anything else on a record was passed as ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def note(**who: str) -> None:
    """Record who the current request is from (a dependency calls this once it knows)."""
    context = REQUEST.get()
    if context is not None:
        context.fields.update(who)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    extra = {k: v for k, v in vars(record).items() if k not in _STANDARD and v is not None}
    context = REQUEST.get()
    return {**(context.log_fields() if context else {}), **extra}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        return f"{line} [{fields}]" if fields else line


_handler: logging.Handler | None = None


def configure_logging(log_format: str, stream: TextIO | None = None) -> None:
    """Send HQ's logs (the ``inspect_app`` loggers) to ``stream`` (stderr) as ``json`` or
    ``text``; calling it again replaces the previous choice."""
    global _handler
    if log_format not in ("json", "text"):
        raise ValueError(f"the log format is json or text, not {log_format!r}")
    package = logging.getLogger("inspect_app")
    if _handler is not None:
        package.removeHandler(_handler)
    _handler = logging.StreamHandler(stream or sys.stderr)
    _handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    package.addHandler(_handler)
    package.setLevel(logging.INFO)
    package.propagate = False


def uvicorn_log_config(log_format: str) -> dict[str, Any]:
    """uvicorn's ``log_config``: its own lines ("Started server process", "Uvicorn running on",
    shutdown) on stderr in the same format as HQ's, so a JSON log holds nothing but JSON."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,  # HQ's own loggers are set up already
        "formatters": {"hq": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "hq",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def _route(scope: Scope) -> str:
    """The route template (``/v1/blobs/{sha256}``), so label values stay few."""
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        return route.path
    return "/static" if scope["path"].startswith("/static/") else "unmatched"


class RequestObserver:
    """Gives each request its id and context, and on its end logs it and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        context = _Request(scope, {"request_id": request_id})
        token = REQUEST.set(context)
        status = 500
        started = time.perf_counter()
        logged = False

        def finish() -> None:
            # Logged before the last byte goes out, so a client that has its answer can
            # already find the request in the log.
            nonlocal logged
            if logged:
                return
            logged = True
            elapsed = time.perf_counter() - started
            route = _route(scope)
            metrics.REQUEST_SECONDS.labels(
                route, scope["method"], metrics.status_class(status)
            ).observe(elapsed)
            context.fields.update(route=route, method=scope["method"], status=status)
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={"duration_ms": round(elapsed * 1000, 1)},
            )

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finish()
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            finish()
            REQUEST.reset(token)


def install(
    app: FastAPI,
    *,
    log_format: str,
    trusted_proxies: list[str],
    metrics_token: str,
) -> None:
    """Readiness and 503s, /metrics, request ids and logs; client addresses from
    ``X-Forwarded-For`` only when the peer is one of ``trusted_proxies``. Added last, so these
    middlewares see every answer, refusals included."""
    configure_logging(log_format)
    health.install(app)
    metrics.install(app, app.state.hq.engine, metrics_token)
    app.add_middleware(RequestObserver)
    if trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted_proxies)
