"""HQ's sync logic: enrolment, push (dedup, seq, conflicts, missing blobs), pull (cursor, scope),
blobs, and master data publication. Framework-free, so tests and benchmarks can drive it.

Ordering guarantee: every push takes the row lock on the ``server_seq`` counter before it reads
anything, so pushes are serialised, each sees its predecessors' effects, and event numbers are
committed in order: a pull cursor never skips an event, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Text, cast, insert, select, update
from sqlalchemy.exc import IntegrityError

from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Inspection
from inspect_app.core.site import Person
from inspect_app.core.workflow import Command, CommandType, decide, referenced_photos
from inspect_app.photos import PhotoError, verify_image_bytes
from inspect_app.server import schema
from inspect_app.server.blob_store import BlobStore, check_key
from inspect_app.server.errors import (
    Conflict,
    Forbidden,
    HQError,
    NotFound,
    Unauthorized,
    Unprocessable,
)
from inspect_app.server.master_data import (
    Directory,
    latest_checklists,
    load_directory,
    parse_checklist,
    parse_site,
)

log = logging.getLogger("inspect_app.hq")
SEQ = "server_seq"
CODE_TTL = timedelta(hours=24)
#: Pixel limit for uploaded photos; devices send at most 1600 px on the long edge.
BLOB_MAX_PIXELS = 40_000_000


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def digest(value: str | bytes) -> str:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).hexdigest()


def payload_hash(item: dict[str, Any]) -> str:
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text or "\x00" in text:
        raise Unprocessable("NUL characters are not allowed in pushed data")
    return digest(text)


@dataclass(frozen=True)
class Device:
    id: str
    person: Person
    label: str = ""


@dataclass
class _Push:
    """State of one push transaction."""

    conn: Connection
    device: Device
    seq: int
    last_device_seq: int
    recorded_at: str
    gap_expected: int | None = None
    known_commands: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    hazards: dict[str, Hazard | None] = field(default_factory=dict)
    new_hazards: set[str] = field(default_factory=set)
    changed_hazards: dict[str, int] = field(default_factory=dict)
    blobs_present: set[str] = field(default_factory=set)
    event_rows: list[dict[str, Any]] = field(default_factory=list)
    command_rows: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"commands": [], "inspections": []}
    )

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq


class HQ:
    def __init__(
        self, engine: Engine, blobs: BlobStore, clock: Callable[[], str] = now_iso
    ) -> None:
        self.engine = engine
        self.blobs = blobs
        self.clock = clock
        self._directory: Directory | None = None
        self._directory_lock = threading.Lock()

    # -- master data ---------------------------------------------------------------------------

    def directory(self) -> Directory:
        with self._directory_lock:
            if self._directory is None:
                with self.engine.connect() as conn:
                    self._directory = load_directory(conn)
            return self._directory

    def ensure_counter(self) -> None:
        with self.engine.begin() as conn:
            if (
                conn.execute(select(schema.counters).where(schema.counters.c.name == SEQ)).first()
                is None
            ):
                conn.execute(insert(schema.counters).values(name=SEQ, value=0))

    def _lock_counter(self, conn: Connection) -> int:
        return conn.execute(
            select(schema.counters.c.value).where(schema.counters.c.name == SEQ).with_for_update()
        ).scalar_one()

    def _save_counter(self, conn: Connection, value: int) -> None:
        conn.execute(
            update(schema.counters).where(schema.counters.c.name == SEQ).values(value=value)
        )

    def _master_event(self, conn: Connection, seq: int, kind: str, data: dict[str, Any]) -> None:
        conn.execute(
            insert(schema.events).values(
                server_seq=seq,
                kind=kind,
                hazard_id=None,
                workshop_id=None,
                data={**data, "kind": kind, "server_seq": seq},
                recorded_at=self.clock(),
            )
        )

    def publish_site(self, yaml_text: str) -> str:
        """Store a plant's site file (validated); devices receive it on their next pull."""
        site = parse_site(yaml_text)
        with self.engine.begin() as conn:
            seq = self._lock_counter(conn) + 1
            table = schema.sites
            if conn.execute(
                select(table.c.plant_id).where(table.c.plant_id == site.plant.id)
            ).first():
                conn.execute(
                    update(table)
                    .where(table.c.plant_id == site.plant.id)
                    .values(yaml_text=yaml_text, updated_at=self.clock())
                )
            else:
                conn.execute(
                    insert(table).values(
                        plant_id=site.plant.id, yaml_text=yaml_text, updated_at=self.clock()
                    )
                )
            self._master_event(conn, seq, "site", {"plant_id": site.plant.id})
            self._save_counter(conn, seq)
        with self._directory_lock:
            self._directory = None
        return site.plant.id

    def publish_checklist(self, yaml_text: str) -> tuple[str, int]:
        """Publish a checklist version; a changed file must carry a higher version."""
        checklist = parse_checklist(yaml_text)
        table = schema.checklists
        with self.engine.begin() as conn:
            seq = self._lock_counter(conn) + 1
            rows = conn.execute(
                select(table.c.version, table.c.content_hash).where(table.c.id == checklist.id)
            ).all()
            same = [r for r in rows if r.version == checklist.version]
            if same and same[0].content_hash == checklist.content_hash:
                return checklist.id, checklist.version
            newest = max((r.version for r in rows), default=0)
            if checklist.version <= newest:
                raise HQError(
                    f"checklist {checklist.id} version {checklist.version} is already "
                    f"published; bump the version above {newest} to change it"
                )
            conn.execute(
                insert(table).values(
                    id=checklist.id,
                    version=checklist.version,
                    yaml_text=yaml_text,
                    content_hash=checklist.content_hash,
                    published_at=self.clock(),
                )
            )
            self._master_event(
                conn, seq, "checklist", {"id": checklist.id, "version": checklist.version}
            )
            self._save_counter(conn, seq)
        return checklist.id, checklist.version

    def checklist_version(self, checklist_id: str, version: int) -> dict[str, Any]:
        table = schema.checklists
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table).where(table.c.id == checklist_id, table.c.version == version)
            ).first()
        if row is None:
            raise NotFound(f"no checklist {checklist_id} version {version}")
        return {
            "id": row.id,
            "version": row.version,
            "yaml": row.yaml_text,
            "content_hash": row.content_hash,
        }

    # -- devices -------------------------------------------------------------------------------

    def make_code(self, person_id: str, created_by: str) -> tuple[str, str]:
        if self.directory().person(person_id) is None:
            raise NotFound(f"no person {person_id}")
        code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
        expires = (datetime.now(UTC) + CODE_TTL).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(
                insert(schema.enroll_codes).values(
                    code_hash=digest(code),
                    person_id=person_id,
                    created_by=created_by,
                    expires_at=expires,
                )
            )
        return code, expires

    def enroll(self, code: str, label: str = "") -> dict[str, str]:
        table = schema.enroll_codes
        with self.engine.begin() as conn:
            row = conn.execute(
                select(table)
                .where(table.c.code_hash == digest(code.strip().upper()))
                .with_for_update()
            ).first()
            if row is None or row.used_at is not None or row.expires_at < self.clock():
                raise Unauthorized("the enrolment code is unknown, used or expired")
            conn.execute(
                update(table).where(table.c.code_hash == row.code_hash).values(used_at=self.clock())
            )
            device_id = f"dev-{secrets.token_hex(8)}"
            token = secrets.token_urlsafe(32)
            conn.execute(
                insert(schema.devices).values(
                    id=device_id,
                    person_id=row.person_id,
                    token_hash=digest(token),
                    created_at=self.clock(),
                    last_seq=0,
                    label=label[:100],
                )
            )
        return {"device_id": device_id, "token": token, "person_id": row.person_id}

    def authenticate(self, token: str) -> Device:
        table = schema.devices
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.token_hash == digest(token))).first()
        if row is None or row.revoked_at is not None:
            raise Unauthorized("unknown or revoked device token")
        person = self.directory().person(row.person_id)
        if person is None:
            raise Unauthorized("the device's person is no longer in the site data")
        return Device(row.id, person, row.label)

    def revoke_device(self, device_id: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(schema.devices)
                .where(schema.devices.c.id == device_id)
                .values(revoked_at=self.clock())
            )
        if done.rowcount == 0:
            raise NotFound(f"no device {device_id}")

    def list_devices(self) -> list[dict[str, Any]]:
        table = schema.devices
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.created_at)).all()
        return [
            {
                "id": r.id,
                "person_id": r.person_id,
                "label": r.label,
                "created_at": r.created_at,
                "last_sync_at": r.last_sync_at,
                "revoked": r.revoked_at is not None,
                "last_seq": r.last_seq,
            }
            for r in rows
        ]

    # -- blobs ---------------------------------------------------------------------------------

    def blob_exists(self, sha256: str) -> bool:
        check_key(sha256)
        with self.engine.connect() as conn:
            found = conn.execute(
                select(schema.blobs.c.sha256).where(schema.blobs.c.sha256 == sha256)
            ).first()
        return found is not None

    def put_blob(self, sha256: str, data: bytes) -> bool:
        """Verify and store; True if new. Raises Unprocessable for a bad hash or a non-image."""
        check_key(sha256)
        if digest(data) != sha256:
            raise Unprocessable("the body does not match its sha256")
        try:
            fmt = verify_image_bytes(data, BLOB_MAX_PIXELS)
        except PhotoError as exc:
            raise Unprocessable(f"not an accepted image: {exc}") from exc
        created = self.blobs.put(sha256, data)
        try:
            with self.engine.begin() as conn:
                exists = conn.execute(
                    select(schema.blobs.c.sha256).where(schema.blobs.c.sha256 == sha256)
                ).first()
                if exists is None:
                    conn.execute(
                        insert(schema.blobs).values(
                            sha256=sha256, size=len(data), format=fmt, created_at=self.clock()
                        )
                    )
                    created = True
        except IntegrityError:
            created = False  # a simultaneous upload of the same photo recorded it first
        return created

    def _missing_blobs(self, conn: Connection, shas: list[str]) -> list[str]:
        if not shas:
            return []
        have = {
            r.sha256
            for r in conn.execute(
                select(schema.blobs.c.sha256).where(schema.blobs.c.sha256.in_(shas))
            )
        }
        return [s for s in dict.fromkeys(shas) if s not in have]

    # -- push ----------------------------------------------------------------------------------

    def push(self, device: Device, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("device_id") != device.id:
            raise Forbidden("the token belongs to another device")
        with self.engine.begin() as conn:
            seq = self._lock_counter(conn)
            last = conn.execute(
                select(schema.devices.c.last_seq).where(schema.devices.c.id == device.id)
            ).scalar_one()
            push = _Push(conn, device, seq, last, self.clock())
            for item in body.get("inspections") or []:
                self._push_inspection(push, item)
            commands = body.get("commands") or []
            self._prefetch(push, commands)
            for item in commands:
                if not self._push_command(push, item):
                    break
            self._flush(push)
            self._save_counter(conn, push.seq)
            conn.execute(
                update(schema.devices)
                .where(schema.devices.c.id == device.id)
                .values(last_seq=push.last_device_seq, last_sync_at=push.recorded_at)
            )
        if push.gap_expected is not None:
            raise Conflict(
                f"seq gap: expected seq {push.gap_expected}",
                expected_seq=push.gap_expected,
                **push.results,
            )
        return push.results

    def _push_inspection(self, push: _Push, item: dict[str, Any]) -> None:
        inspection_id = str(item.get("id", ""))
        digest_ = payload_hash(item)
        table = schema.inspections
        row = push.conn.execute(
            select(table.c.payload_hash, table.c.server_seq).where(table.c.id == inspection_id)
        ).first()
        result: dict[str, Any] = {"id": inspection_id, "replayed": False, "server_seq": None}
        if row is not None:
            if row.payload_hash != digest_:
                raise Unprocessable(
                    f"inspection {inspection_id} was already pushed with other content"
                )
            result.update(status="applied", server_seq=row.server_seq, replayed=True)
        else:
            try:
                inspection = Inspection.from_dict(item)
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                result.update(status="invalid", message=f"not an inspection: {exc}")
                push.results["inspections"].append(result)
                return
            photos = [p for a in inspection.answers.values() for p in a.photos]
            missing = self._missing_blobs(push.conn, photos)
            if not push.device.person.can_act_in(inspection.workshop_id):
                log.warning(
                    "refused inspection %s from %s: out of scope", inspection_id, push.device.id
                )
                result.update(status="forbidden", message="the workshop is outside your scope")
            elif missing:
                result.update(status="missing_blobs", missing_blobs=missing)
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
                result.update(status="applied", server_seq=seq)
        push.results["inspections"].append(result)

    def _prefetch(self, push: _Push, items: list[dict[str, Any]]) -> None:
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
        for row in push.conn.execute(
            select(schema.hazards.c.id, schema.hazards.c.data).where(
                schema.hazards.c.id.in_(hazard_ids)
            )
        ):
            push.hazards[row.id] = Hazard.from_dict(row.data)
        photos = [
            p
            for i in items
            for p in (i.get("payload") or {}).get("photos") or []
            if isinstance(p, str)
        ]
        push.blobs_present.update(set(photos) - set(self._missing_blobs(push.conn, photos)))

    def _flush(self, push: _Push) -> None:
        """Write the batch's events, command results and hazards with one statement each."""
        if push.event_rows:
            push.conn.execute(insert(schema.events), push.event_rows)
        if push.command_rows:
            push.conn.execute(insert(schema.commands), push.command_rows)
        table = schema.hazards
        for hazard_id in push.changed_hazards:
            hazard = push.hazards[hazard_id]
            assert hazard is not None
            values = {
                "workshop_id": hazard.workshop_id,
                "status": hazard.status.value,
                "grade": hazard.grade.value,
                "data": hazard.to_dict(),
                "updated_seq": push.changed_hazards[hazard_id],
            }
            if hazard_id in push.new_hazards:
                push.conn.execute(insert(table).values(id=hazard_id, **values))
            else:
                push.conn.execute(update(table).where(table.c.id == hazard_id).values(**values))

    def _push_command(self, push: _Push, item: dict[str, Any]) -> bool:
        """Apply one command; False stops the batch (a seq gap, or photos HQ lacks: later
        commands may depend on this one)."""
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
        missing = [
            p for p in dict.fromkeys(referenced_photos(command)) if p not in push.blobs_present
        ]
        if missing:
            push.results["commands"].append(
                {
                    "id": command_id,
                    "status": "missing_blobs",
                    "missing_blobs": missing,
                    "server_seq": None,
                    "replayed": False,
                }
            )
            return False
        result = self._apply(push, command)
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

    def _apply(self, push: _Push, command: Command) -> dict[str, Any]:
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
            )
        current = decision.hazard or hazard
        workshop = current.workshop_id if current else str(command.payload.get("workshop_id", ""))
        push.event_rows.append(
            {
                "server_seq": seq,
                "kind": "hazard",
                "hazard_id": command.hazard_id,
                "workshop_id": workshop,
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
        return result

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, device: Device, since: int, limit: int) -> str:
        """The pull answer as a JSON document. Event and hazard rows already hold their JSON,
        which is spliced in as stored rather than decoded and encoded again."""
        limit = max(1, min(limit, 1000))
        person = device.person
        events = schema.events
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    events.c.server_seq,
                    events.c.kind,
                    events.c.hazard_id,
                    events.c.workshop_id,
                    cast(events.c.data, Text).label("raw"),
                )
                .where(events.c.server_seq > since)
                .order_by(events.c.server_seq)
                .limit(limit)
            ).all()
            visible = [r for r in rows if r.workshop_id is None or person.can_act_in(r.workshop_id)]
            hazard_ids = sorted({r.hazard_id for r in visible if r.hazard_id})
            hazard_docs: list[str] = []
            if hazard_ids:
                hazard_docs = list(
                    conn.execute(
                        select(cast(schema.hazards.c.data, Text)).where(
                            schema.hazards.c.id.in_(hazard_ids)
                        )
                    ).scalars()
                )
            kinds = {r.kind for r in visible}
            checklists = latest_checklists(conn) if since == 0 or "checklist" in kinds else None
            site = None
            if since == 0 or "site" in kinds:
                plant = self.directory().plant_of(person.id)
                row = conn.execute(
                    select(schema.sites.c.yaml_text).where(schema.sites.c.plant_id == plant)
                ).first()
                site = {"plant_id": plant, "yaml": row.yaml_text} if row else None
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.devices)
                .where(schema.devices.c.id == device.id)
                .values(last_sync_at=self.clock())
            )
        rest = json.dumps(
            {
                "checklists": checklists,
                "site": site,
                "next_since": rows[-1].server_seq if rows else since,
                "has_more": len(rows) == limit,
            },
            ensure_ascii=False,
        )
        return (
            f'{{"events":[{",".join(r.raw for r in visible)}],'
            f'"hazards":[{",".join(hazard_docs)}],{rest[1:]}'
        )
