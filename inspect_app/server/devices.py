"""Devices: one-time enrolment codes, tokens stored hashed, authentication (which also tells the
request which master-data version it runs under), revocation and the device list."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from inspect_app.core.enrolment import REVOKED_DEVICE, UNKNOWN_DEVICE
from inspect_app.core.site import Person
from inspect_app.server import schema
from inspect_app.server.common import MASTER_VERSION, counter_value, digest
from inspect_app.server.epoch import current_epoch
from inspect_app.server.errors import Forbidden, NotFound, Unauthorized
from inspect_app.server.master_data import MasterData
from inspect_app.server.scope import Scope

CODE_TTL = timedelta(hours=24)
#: The device an HQ web account's hazard actions are pushed through is ``web-<username>``; it
#: is made on first use with a token nobody holds, and revoking it stops those actions.
WEB_PREFIX = "web-"
WEB_LABEL = "web"


@dataclass(frozen=True)
class Device:
    id: str
    person: Person
    label: str = ""
    plant_id: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope.of(self.person, self.id)


class Devices:
    def __init__(self, engine: Engine, master: MasterData, clock: Callable[[], str]) -> None:
        self.engine = engine
        self.master = master
        self.clock = clock

    def make_code(self, person_id: str, created_by: str) -> tuple[str, str]:
        if self.master.directory().person(person_id) is None:
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
                    epoch=current_epoch(conn),
                )
            )
        return {"device_id": device_id, "token": token, "person_id": row.person_id}

    def authenticate(self, token: str) -> Device:
        """The device and its person as the site stands now: one indexed read of the device row
        and the master-data version, and a directory reload only when that version moved."""
        table = schema.devices
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    table.c.id,
                    table.c.person_id,
                    table.c.label,
                    table.c.revoked_at,
                    counter_value(MASTER_VERSION).label("master_version"),
                ).where(table.c.token_hash == digest(token))
            ).first()
            if row is None:
                raise Unauthorized("HQ does not know this device", reason=UNKNOWN_DEVICE)
            if row.revoked_at is not None:
                raise Unauthorized("this device was revoked at HQ", reason=REVOKED_DEVICE)
            directory = self.master.directory_at(conn, row.master_version)
        person = directory.person(row.person_id)
        if person is None:
            raise Unauthorized("the device's person is no longer in the site data")
        return Device(row.id, person, row.label, directory.plant_of(person.id))

    def web_device(self, username: str, person_id: str) -> tuple[str, int]:
        """The web account's device id and its last seq, made on first use; Forbidden once an
        admin revoked it."""
        device_id = f"{WEB_PREFIX}{username}"
        table = schema.devices
        with self.engine.begin() as conn:
            row = conn.execute(
                select(table.c.last_seq, table.c.revoked_at).where(table.c.id == device_id)
            ).first()
            if row is None:
                conn.execute(
                    insert(table).values(
                        id=device_id,
                        person_id=person_id,
                        token_hash=digest(secrets.token_urlsafe(32)),
                        created_at=self.clock(),
                        last_seq=0,
                        label=WEB_LABEL,
                    )
                )
                return device_id, 0
        if row.revoked_at is not None:
            raise Forbidden("an HQ admin revoked this account's actions on the HQ pages")
        return device_id, row.last_seq

    def revoke(self, device_id: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(schema.devices)
                .where(schema.devices.c.id == device_id)
                .values(revoked_at=self.clock())
            )
        if done.rowcount == 0:
            raise NotFound(f"no device {device_id}")

    def list(self) -> list[dict[str, Any]]:
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
                "web": r.id.startswith(WEB_PREFIX),
            }
            for r in rows
        ]
