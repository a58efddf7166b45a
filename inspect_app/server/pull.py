"""A device's pull: the events after its cursor that its person may see (filtered in SQL), the
hazards they touch within that scope, and master data when it changed."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine, Select, Text, and_, cast, false, func, select, union, update

from inspect_app.server import schema
from inspect_app.server.devices import Device
from inspect_app.server.epoch import current_epoch
from inspect_app.server.master_data import latest_checklists
from inspect_app.server.scope import Scope

PAGE_MAX = 1000


def _visible(scope: Scope, since: int, newest: int, limit: int) -> Select[tuple[int]]:
    """The numbers of the first ``limit`` events in (since, newest] the scope sees. A person of
    some workshops: the first ``limit`` of each workshop's, of the plant-wide ones and of the
    device's own, each read by its index, so the pull reads what his scope holds; not every
    event of HQ between his."""
    events = schema.events
    seq = events.c.server_seq
    in_range = and_(seq > since, seq <= newest)
    if scope.workshops is None:
        return select(seq).where(in_range, scope.events_filter()).order_by(seq).limit(limit)
    shared = events.c.private == false()
    branches = [and_(events.c.workshop_id == w, shared) for w in sorted(scope.workshops)]
    branches.append(and_(events.c.workshop_id.is_(None), shared))
    if scope.device_id is not None:
        branches.append(events.c.device_id == scope.device_id)
    firsts = [
        select(seq).where(in_range, branch).order_by(seq).limit(limit).subquery()
        for branch in branches
    ]
    return select(union(*(select(first.c.server_seq) for first in firsts)).subquery())


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
            .where(events.c.server_seq.in_(_visible(scope, since, newest, limit)))
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
