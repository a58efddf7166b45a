"""HQ as one object: master data, devices, blobs, push and pull, each in its own module, behind
the names the API, the pages, the CLI and the tests use. Framework-free, so tests and benchmarks
can drive it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from inspect_app.server import schema
from inspect_app.server.blob_store import BlobStore
from inspect_app.server.blobs import Blobs
from inspect_app.server.common import SEQ, digest, ensure_counter, now_iso
from inspect_app.server.devices import Device, Devices
from inspect_app.server.errors import Forbidden, HQError, NotFound, Unauthorized
from inspect_app.server.master_data import Directory, MasterData
from inspect_app.server.pull import pull as pull_page
from inspect_app.server.push import push as apply_push
from inspect_app.server.scope import EVERYWHERE, Scope

__all__ = [
    "HQ",
    "SEQ",
    "Device",
    "Forbidden",
    "HQError",
    "NotFound",
    "Scope",
    "Unauthorized",
    "digest",
]


class HQ:
    def __init__(
        self, engine: Engine, blobs: BlobStore, clock: Callable[[], str] = now_iso
    ) -> None:
        self.engine = engine
        self.blobs = blobs
        self.clock = clock
        self.master = MasterData(engine, clock)
        self.devices = Devices(engine, self.master, clock)
        self.photos = Blobs(engine, blobs, clock)

    def ensure_counter(self) -> None:
        with self.engine.begin() as conn:
            ensure_counter(conn, SEQ)

    # -- master data
    def directory(self) -> Directory:
        return self.master.directory()

    def publish_site(self, yaml_text: str) -> str:
        return self.master.publish_site(yaml_text)

    def publish_checklist(self, yaml_text: str) -> tuple[str, int]:
        return self.master.publish_checklist(yaml_text)

    def checklist_version(self, checklist_id: str, version: int) -> dict[str, Any]:
        return self.master.checklist_version(checklist_id, version)

    # -- devices
    def make_code(self, person_id: str, created_by: str) -> tuple[str, str]:
        return self.devices.make_code(person_id, created_by)

    def enroll(self, code: str, label: str = "") -> dict[str, str]:
        return self.devices.enroll(code, label)

    def authenticate(self, token: str) -> Device:
        return self.devices.authenticate(token)

    def revoke_device(self, device_id: str) -> None:
        self.devices.revoke(device_id)

    def list_devices(self) -> list[dict[str, Any]]:
        return self.devices.list()

    # -- blobs
    def blob_exists(self, sha256: str) -> bool:
        return self.photos.exists(sha256)

    def put_blob(self, sha256: str, data: bytes) -> bool:
        return self.photos.put(sha256, data)

    def read_blob(self, sha256: str, scope: Scope) -> bytes:
        return self.photos.read(sha256, scope)

    def web_user(self, username: str) -> tuple[str | None, bool]:
        """The person an HQ web account belongs to (None: nobody) and whether it is an admin."""
        users = schema.users
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users.c.person_id, users.c.is_admin).where(users.c.username == username)
            ).first()
        return (None, False) if row is None else (row.person_id, bool(row.is_admin))

    def web_scope(self, username: str) -> Scope:
        """What an HQ web user may see: everything for an HQ admin account, else the scope of
        the person the account belongs to (nothing if it belongs to nobody on the site)."""
        person_id, is_admin = self.web_user(username)
        if is_admin:
            return EVERYWHERE
        return Scope.of(self.directory().person(person_id) if person_id else None)

    def push_from_web(self, username: str, command: dict[str, Any]) -> dict[str, Any]:
        """A web user's hazard command, pushed as his person from his own server-side device
        ``web-<username>`` (``Devices.web_device``; refused once revoked), so the web's steps
        join the devices' history through the same state machine. ``command`` is a command
        without its device and seq; the answer is the push's result for it."""
        person_id, _ = self.web_user(username)
        person = self.directory().person(person_id) if person_id else None
        if person is None:
            raise Forbidden("the account belongs to no person")
        device_id, last = self.devices.web_device(username, person.id)
        device = Device(device_id, person, "web", self.directory().plant_of(person.id))
        body = {
            "device_id": device_id,
            "commands": [{**command, "device_id": device_id, "seq": last + 1}],
        }
        return self.push(device, body)["commands"][0]

    # -- sync
    def push(self, device: Device, body: dict[str, Any]) -> dict[str, Any]:
        return apply_push(self.engine, self.clock, device, body, self.directory().workshop_names())

    def pull(self, device: Device, since: int, limit: int) -> str:
        return pull_page(self.engine, self.clock, device, since, limit)
