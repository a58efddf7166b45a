"""A device's push: inspections stored once, commands applied in seq order through the state
machine, each answered with its result; replays answered from the stored result.

Ordering guarantee: every push takes the row lock on the ``server_seq`` counter before it reads
anything, so pushes are serialised, each sees its predecessors' effects, and event numbers are
committed in order: a pull cursor never skips an event, on SQLite or PostgreSQL.

Who sees what a push records: an applied command or a conflict is shared with everyone who may
act in its workshop; a forbidden or invalid command's event (and its text) only with the device
that sent it (and HQ admins of every workshop).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from inspect_app.core.commands import PayloadError
from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Inspection
from inspect_app.core.inspection_payload import validate_inspection
from inspect_app.core.site import Site
from inspect_app.core.workflow import Command, CommandResult, CommandType, decide, referenced_photos
from inspect_app.server import schema, tallies
from inspect_app.server.blob_store import is_key
from inspect_app.server.blobs import add_refs, missing
from inspect_app.server.common import lock_counter, payload_hash, save_counter
from inspect_app.server.devices import Device
from inspect_app.server.epoch import current_epoch
from inspect_app.server.errors import Conflict, Forbidden, Unprocessable
from inspect_app.server.figures import hazard_columns

log = logging.getLogger("inspect_app.hq")
SHARED_RESULTS = (CommandResult.APPLIED, CommandResult.REJECTED_CONFLICT)
#: Longest workshop id an event row holds (the column's width).
WORKSHOP_ID_MAX = 64


@dataclass
class _Push:
    """State of one push transaction."""

    conn: Connection
    device: Device
    seq: int
    last_device_seq: int
    recorded_at: str
    #: Each workshop's site (``Directory.workshop_names``): a hazard's plant.
    sites: Mapping[str, Site]
    gap_expected: int | None = None
    known_commands: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    hazards: dict[str, Hazard | None] = field(default_factory=dict)
    #: The stored hazards as read, with their plant: their shares of the month tallies.
    stored: dict[str, tuple[Hazard, str | None]] = field(default_factory=dict)
    new_hazards: set[str] = field(default_factory=set)
    changed_hazards: dict[str, int] = field(default_factory=dict)
    blobs_present: set[str] = field(default_factory=set)
    blob_refs: set[tuple[str, str]] = field(default_factory=set)
    event_rows: list[dict[str, Any]] = field(default_factory=list)
    command_rows: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"commands": [], "inspections": []}
    )

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def refer(self, photos: tuple[str, ...] | list[str], workshop_id: str) -> None:
        self.blob_refs.update((p, workshop_id) for p in photos if is_key(p))


def push(
    engine: Engine,
    clock: Callable[[], str],
    device: Device,
    body: dict[str, Any],
    sites: Mapping[str, Site],
) -> dict:
    if body.get("device_id") != device.id:
        raise Forbidden("the token belongs to another device")
    with engine.begin() as conn:
        seq = lock_counter(conn)
        epoch = current_epoch(conn)
        row = conn.execute(
            select(schema.devices.c.last_seq, schema.devices.c.epoch).where(
                schema.devices.c.id == device.id
            )
        ).one()
        last = row.last_seq
        restart = body.get("restart_seq")
        if row.epoch != epoch and isinstance(restart, int) and restart - 1 > last:
            # Pushed before a restore and no longer holds the commands HQ lost: start there.
            last = restart - 1
        state = _Push(conn, device, seq, last, clock(), sites)
        for item in body.get("inspections") or []:
            _push_inspection(state, item)
        commands = body.get("commands") or []
        _prefetch(state, commands)
        for item in commands:
            if not _push_command(state, item):
                break
        _flush(state)
        save_counter(conn, state.seq)
        conn.execute(
            update(schema.devices)
            .where(schema.devices.c.id == device.id)
            .values(
                last_seq=state.last_device_seq,
                last_sync_at=state.recorded_at,
                epoch=row.epoch if state.gap_expected is not None else epoch,
            )
        )
    if state.gap_expected is not None:
        raise Conflict(
            f"seq gap: expected seq {state.gap_expected}",
            expected_seq=state.gap_expected,
            epoch=epoch,
            **state.results,
        )
    return {**state.results, "epoch": epoch}


def _push_inspection(push: _Push, item: dict[str, Any]) -> None:
    inspection_id = str(item.get("id", ""))
    digest_ = payload_hash(item)
    table = schema.inspections
    row = push.conn.execute(
        select(table.c.payload_hash, table.c.server_seq).where(table.c.id == inspection_id)
    ).first()
    result: dict[str, Any] = {"id": inspection_id, "replayed": False, "server_seq": None}
    if row is not None:
        if row.payload_hash != digest_:
            raise Unprocessable(f"inspection {inspection_id} was already pushed with other content")
        result.update(status="applied", server_seq=row.server_seq, replayed=True)
        push.results["inspections"].append(result)
        return
    try:
        validate_inspection(item)
    except PayloadError as exc:
        log.warning(
            "invalid inspection %s from %s: %s",
            inspection_id,
            push.device.id,
            exc,
            extra={
                "result": CommandResult.INVALID.value,
                "inspection_id": inspection_id,
                "device": push.device.id,
                "reason": exc.reason,
                "field": exc.field,
            },
        )
        result.update(status=CommandResult.INVALID.value, message=exc.reason, field=exc.field)
        push.results["inspections"].append(result)
        return
    inspection = Inspection.from_dict(item)
    photos = inspection.all_photos
    absent = missing(push.conn, [p for p in photos if is_key(p)])
    person = push.device.person
    if inspection.inspector_id != person.id or not person.can_act_in(inspection.workshop_id):
        log.warning(
            "refused inspection %s from %s: out of scope",
            inspection_id,
            push.device.id,
            extra={
                "result": CommandResult.FORBIDDEN.value,
                "inspection_id": inspection_id,
                "device": push.device.id,
                "reason": "out of scope",
            },
        )
        result.update(
            status=CommandResult.FORBIDDEN.value,
            message="the workshop is outside your scope"
            if inspection.inspector_id == person.id
            else "an inspection is sent by its inspector's own device",
        )
    elif absent:
        result.update(status="missing_blobs", missing_blobs=absent)
    else:
        seq = push.next_seq()
        push.conn.execute(
            insert(table).values(
                id=inspection_id,
                device_id=push.device.id,
                workshop_id=inspection.workshop_id,
                payload_hash=digest_,
                data=item,
                server_seq=seq,
            )
        )
        push.conn.execute(
            insert(schema.events).values(
                server_seq=seq,
                kind="inspection",
                hazard_id=None,
                workshop_id=inspection.workshop_id,
                device_id=push.device.id,
                private=False,
                recorded_at=push.recorded_at,
                data={
                    "id": inspection_id,
                    "type": "inspection_submitted",
                    "checklist_id": inspection.checklist_id,
                    "checklist_version": inspection.checklist_version,
                    "inspector_id": inspection.inspector_id,
                    "workshop_id": inspection.workshop_id,
                    "submitted_at": inspection.submitted_at,
                    "device_id": push.device.id,
                    "kind": "inspection",
                    "server_seq": seq,
                },
            )
        )
        push.refer(photos, inspection.workshop_id)
        result.update(status="applied", server_seq=seq)
    push.results["inspections"].append(result)


def _prefetch(push: _Push, items: list[dict[str, Any]]) -> None:
    """Read what a batch of commands needs in three queries instead of three per command."""
    ids = [str(i.get("id", "")) for i in items]
    table = schema.commands
    for row in push.conn.execute(
        select(table.c.command_id, table.c.payload_hash, table.c.result).where(
            table.c.device_id == push.device.id, table.c.command_id.in_(ids)
        )
    ):
        push.known_commands[row.command_id] = (row.payload_hash, row.result)
    hazard_ids = {str(i.get("hazard_id", "")) for i in items}
    hazards = schema.hazards
    for row in push.conn.execute(
        select(hazards.c.id, hazards.c.data, hazards.c.plant_id, hazards.c.found_at).where(
            hazards.c.id.in_(hazard_ids)
        )
    ):
        push.hazards[row.id] = Hazard.from_dict(row.data)
        if row.found_at is not None:  # a record the figures count (tallies.rebuild)
            push.stored[row.id] = (push.hazards[row.id], row.plant_id)
    photos = [
        p
        for i in items
        if isinstance(i.get("payload"), dict) and isinstance(i["payload"].get("photos"), list)
        for p in i["payload"]["photos"]
        if is_key(p)
    ]
    push.blobs_present.update(set(photos) - set(missing(push.conn, photos)))


def _flush(push: _Push) -> None:
    """Write the batch's events, command results and hazards with one statement each."""
    if push.event_rows:
        push.conn.execute(insert(schema.events), push.event_rows)
    if push.command_rows:
        push.conn.execute(insert(schema.commands), push.command_rows)
    table = schema.hazards
    shares: list[tuple[Hazard | None, str | None, int]] = []
    for hazard_id in push.changed_hazards:
        hazard = push.hazards[hazard_id]
        assert hazard is not None
        site = push.sites.get(hazard.workshop_id)
        plant_id = site.plant.id if site else None
        shares += [(*push.stored.get(hazard_id, (None, None)), -1), (hazard, plant_id, 1)]
        values = {
            **hazard_columns(hazard, plant_id),
            "data": hazard.to_dict(),
            "updated_seq": push.changed_hazards[hazard_id],
        }
        if hazard_id in push.new_hazards:
            push.conn.execute(insert(table).values(id=hazard_id, **values))
        else:
            push.conn.execute(update(table).where(table.c.id == hazard_id).values(**values))
        push.refer(hazard.all_photos, hazard.workshop_id)
    tallies.adjust(push.conn, shares)
    add_refs(push.conn, push.blob_refs)


def _push_command(push: _Push, item: dict[str, Any]) -> bool:
    """Apply one command; False stops the batch (a seq gap, or photos HQ lacks: later commands
    may depend on this one)."""
    command_id = str(item.get("id", ""))
    digest_ = payload_hash(item)
    known = push.known_commands.get(command_id)
    if known is not None:
        if known[0] != digest_:
            raise Unprocessable(f"command {command_id} was already pushed with another payload")
        push.results["commands"].append({**known[1], "replayed": True})
        return True
    try:
        command = Command.from_dict({**item, "device_id": push.device.id})
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise Unprocessable(f"command {command_id} is malformed: {exc}") from exc
    expected = push.last_device_seq + 1
    if command.seq != expected:
        push.gap_expected = expected
        return False
    absent = [p for p in dict.fromkeys(referenced_photos(command)) if p not in push.blobs_present]
    if absent:
        push.results["commands"].append(
            {
                "id": command_id,
                "status": "missing_blobs",
                "missing_blobs": absent,
                "server_seq": None,
                "replayed": False,
            }
        )
        return False
    result = _apply(push, command)
    push.command_rows.append(
        {
            "device_id": push.device.id,
            "command_id": command_id,
            "seq": command.seq,
            "payload_hash": digest_,
            "result": result,
        }
    )
    push.known_commands[command_id] = (digest_, result)
    push.last_device_seq = command.seq
    push.results["commands"].append({**result, "replayed": False})
    return True


def _event_workshop(hazard: Hazard | None, command: Command) -> str:
    """The workshop an event belongs to: its hazard's, or for a refused ``create`` the one it
    named, if that is a workshop id at all."""
    if hazard is not None:
        return hazard.workshop_id
    named = command.payload.get("workshop_id")
    return named if isinstance(named, str) and len(named) <= WORKSHOP_ID_MAX else ""


def _apply(push: _Push, command: Command) -> dict[str, Any]:
    hazard = push.hazards.get(command.hazard_id)
    decision = decide(hazard, command, push.device.person, push.recorded_at)
    seq = push.next_seq()
    if not decision.applied:
        log.warning(
            "%s command %s (%s) from device %s: %s",
            decision.result.value,
            command.id,
            command.type.value,
            push.device.id,
            decision.message,
            extra={
                "result": decision.result.value,
                "command_id": command.id,
                "command_type": command.type.value,
                "device": push.device.id,
                "reason": decision.message,
                "field": decision.field,
            },
        )
    push.event_rows.append(
        {
            "server_seq": seq,
            "kind": "hazard",
            "hazard_id": command.hazard_id,
            "workshop_id": _event_workshop(decision.hazard or hazard, command),
            "device_id": push.device.id,
            "private": decision.result not in SHARED_RESULTS,
            "recorded_at": push.recorded_at,
            "data": {**decision.event.to_dict(), "kind": "hazard", "server_seq": seq},
        }
    )
    if decision.applied and decision.hazard is not None:
        if command.type is CommandType.CREATE:
            push.new_hazards.add(command.hazard_id)
        push.hazards[command.hazard_id] = decision.hazard
        push.changed_hazards[command.hazard_id] = seq
    result = {"id": command.id, "status": decision.result.value, "server_seq": seq}
    if decision.message:
        result["message"] = decision.message
    if decision.field:
        result["field"] = decision.field
    if decision.reason:  # for HQ's own pages, which say it in the reader's language
        result["why"] = decision.reason.to_dict()
    return result
