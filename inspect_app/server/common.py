"""What every HQ service shares: the clock, sha256 digests, and the counters table (the event
sequence, whose row lock serialises writers, and the master-data version)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, ScalarSelect, insert, select, update

from inspect_app.server import schema
from inspect_app.server.errors import Unprocessable

SEQ = "server_seq"
MASTER_VERSION = "master_version"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def digest(value: str | bytes) -> str:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).hexdigest()


def payload_hash(item: dict[str, Any]) -> str:
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text or "\x00" in text:
        raise Unprocessable("NUL characters are not allowed in pushed data")
    return digest(text)


def ensure_counter(conn: Connection, name: str) -> None:
    table = schema.counters
    if conn.execute(select(table.c.name).where(table.c.name == name)).first() is None:
        conn.execute(insert(table).values(name=name, value=0))


def lock_counter(conn: Connection, name: str = SEQ) -> int:
    """The counter's value, holding its row lock until the transaction ends."""
    table = schema.counters
    return conn.execute(
        select(table.c.value).where(table.c.name == name).with_for_update()
    ).scalar_one()


def save_counter(conn: Connection, value: int, name: str = SEQ) -> None:
    table = schema.counters
    conn.execute(update(table).where(table.c.name == name).values(value=value))


def counter_value(name: str) -> ScalarSelect[int]:
    """A scalar subquery for the counter's value, to read it along with another row."""
    table = schema.counters
    return select(table.c.value).where(table.c.name == name).scalar_subquery()
