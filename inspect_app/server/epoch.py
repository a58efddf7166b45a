"""HQ's epoch: which life of the database this is. A random id is set when the database is
created and a new one whenever it is restored from a backup (``inspect-app restore`` or
``inspect-app admin restored``); push and pull answers carry it, so a device can tell that HQ
has forgotten what it sent since the backup and send it again (docs/sync-protocol.md)."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, Engine, func, insert, select

from inspect_app.server import schema
from inspect_app.server.common import now_iso


def current_epoch(conn: Connection) -> str:
    table = schema.epochs
    return conn.execute(
        select(table.c.id).order_by(table.c.number.desc()).limit(1)
    ).scalar_one()


def new_epoch(engine: Engine, reason: str) -> str:
    """Start a new epoch (after a restore): every device re-sends what HQ may lack."""
    table = schema.epochs
    epoch = secrets.token_hex(16)
    with engine.begin() as conn:
        number = conn.execute(select(func.max(table.c.number))).scalar() or 0
        conn.execute(
            insert(table).values(
                number=number + 1, id=epoch, started_at=now_iso(), reason=reason[:20]
            )
        )
    return epoch
