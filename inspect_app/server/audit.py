"""The audit log: who did what to HQ, when and from where. Rows are only ever added; the HQ page
/audit lists them newest first."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select
from starlette.requests import Request

from inspect_app.server import schema
from inspect_app.server.common import now_iso

#: What the log records, in the order the audit page offers them as filters.
KINDS = (
    "login",
    "login_failed",
    "enrol_code",
    "device_enrolled",
    "device_revoked",
    "site_published",
    "checklist_published",
    "user_changed",
    "restore",
)
PAGE_SIZE = 50


#: Details whose values are words (codes), shown through ``audit.word.<value>``; any other
#: detail is a name or number shown as it is. A detail ``how`` picks the kind's sentence.
WORDED = frozenset({"change", "role", "reason"})


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    kind: str
    actor: str
    address: str
    #: The stored details: a JSON object of codes and values (older rows: English text).
    detail: str

    @property
    def details(self) -> dict[str, str] | None:
        try:
            value = json.loads(self.detail)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def describe(self, t: Callable[..., str]) -> str:
        """The details in the reader's language (``t`` from ``i18n.translator``): the kind's
        sentence ``audit.said.<kind>`` (``.<how>``) with its worded values translated."""
        details = self.details
        if details is None:
            return self.detail
        values = {
            key: t(f"audit.word.{value}", str(value)) if key in WORDED else value
            for key, value in details.items()
        }
        key = f"audit.said.{self.kind}" + (f".{details['how']}" if "how" in details else "")
        try:
            return t(key, self.detail, **values)
        except (KeyError, IndexError):  # a row written by a release with other details
            return ", ".join(f"{key}: {value}" for key, value in values.items())


def record(
    engine_or_conn: Engine | Connection, kind: str, actor: str, address: str, **details: object
) -> None:
    """Add one entry; on a connection it joins the caller's transaction. ``actor`` is a username,
    a device's person, or "cli:<shell user>"; ``address`` the client's address, or "local" for
    the shell. ``details`` are codes (those named in ``WORDED``) and names, never sentences:
    the page says them in its reader's language."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    detail = json.dumps(
        {key: clean(str(value), 200) for key, value in details.items()},
        ensure_ascii=False,
        sort_keys=True,
    )
    row = {
        "at": now_iso(),
        "kind": kind,
        "actor": clean(actor, 64),
        "address": clean(address, 64),
        "detail": clean(detail, 2000),
    }
    if isinstance(engine_or_conn, Connection):
        engine_or_conn.execute(insert(schema.audit_log).values(**row))
        return
    with engine_or_conn.begin() as conn:
        conn.execute(insert(schema.audit_log).values(**row))


def address_of(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted reverse proxy forwarded (put in
    place by the app's proxy-headers middleware, see INSPECT_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "?"


def clean(text: str, width: int) -> str:
    """``text`` as a column ``width`` wide holds it; NUL (which PostgreSQL refuses) as U+FFFD."""
    return text[:width].replace("\x00", "\ufffd")


def entries(
    engine: Engine, kind: str | None = None, page: int = 1, size: int = PAGE_SIZE
) -> tuple[list[Entry], int]:
    """One page of entries, newest first, and how many there are in all (of ``kind`` if given)."""
    table = schema.audit_log
    where = table.c.kind == kind if kind else True
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        rows = conn.execute(
            select(table)
            .where(where)
            .order_by(table.c.id.desc())
            .limit(size)
            .offset((max(page, 1) - 1) * size)
        ).all()
    return [Entry(r.id, r.at, r.kind, r.actor, r.address, r.detail) for r in rows], total
