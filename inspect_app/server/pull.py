"""A device's pull: the events after its cursor that its person may see (filtered in SQL), the
hazards they touch within that scope, and master data when it changed."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine, Text, cast, func, select, update

from inspect_app.server import schema
from inspect_app.server.devices import Device
from inspect_app.server.epoch import current_epoch
from inspect_app.server.master_data import latest_checklists

PAGE_MAX = 1000


def pull(engine: Engine, clock: Callable[[], str], device: Device, since: int, limit: int) -> str:
    """The pull answer as a JSON document. Event and hazard rows already hold their JSON, which
    is spliced in as stored rather than decoded and encoded again.

    The page ends at the newest event committed when the pull began (events commit in seq
    order), so when fewer than ``limit`` visible events follow, the cursor moves past the
    invisible ones too and the next pull does not scan them again."""
    limit = max(1, min(limit, PAGE_MAX))
    scope = device.scope
    events = schema.events
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(events.c.server_seq))).scalar() or 0
        epoch = current_epoch(conn)
        rows = conn.execute(
            select(
                events.c.server_seq, events.c.kind, events.c.hazard_id, cast(events.c.data, Text)
            )
            .where(
                events.c.server_seq > since,
                events.c.server_seq <= newest,
                scope.events_filter(),
            )
            .order_by(events.c.server_seq)
            .limit(limit)
        ).all()
        hazard_ids = sorted({r.hazard_id for r in rows if r.hazard_id})
        hazard_docs: list[str] = []
        if hazard_ids:
            hazards = schema.hazards
            hazard_docs = list(
                conn.execute(
                    select(cast(hazards.c.data, Text)).where(
                        hazards.c.id.in_(hazard_ids), scope.workshop_filter(hazards.c.workshop_id)
                    )
                ).scalars()
            )
        kinds = {r.kind for r in rows}
        checklists = latest_checklists(conn) if since == 0 or "checklist" in kinds else None
        site = None
        if since == 0 or "site" in kinds:
            row = conn.execute(
                select(schema.sites.c.yaml_text).where(schema.sites.c.plant_id == device.plant_id)
            ).first()
            site = {"plant_id": device.plant_id, "yaml": row.yaml_text} if row else None
    full = len(rows) == limit
    next_since = rows[-1].server_seq if full else max(since, newest)
    with engine.begin() as conn:
        conn.execute(
            update(schema.devices)
            .where(schema.devices.c.id == device.id)
            .values(last_sync_at=clock(), pulled_seq=next_since)
        )
    rest = json.dumps(
        {
            "checklists": checklists,
            "site": site,
            "next_since": next_since,
            "has_more": full,
            "epoch": epoch,
        },
        ensure_ascii=False,
    )
    raw = [r[3] for r in rows]
    return f'{{"events":[{",".join(raw)}],"hazards":[{",".join(hazard_docs)}],{rest[1:]}'
