"""Live HQ servers on loopback: on SQLite, on a real PostgreSQL cluster, and with blobs in a real
S3 gateway (SeaweedFS). Devices are enrolled through the API like a phone would be."""

from __future__ import annotations

import io
import itertools
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from inspect_app.server.app import Settings, create_app
from tests.support.services import LiveServer, PostgresCluster, SeaweedS3

ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    service = SeaweedS3(tmp_path_factory.mktemp("weed")).start()
    yield service
    service.stop()


@dataclass
class Hq:
    url: str
    app: Any
    session: requests.Session = field(default_factory=requests.Session)
    _seq: dict[str, itertools.count] = field(default_factory=dict)
    #: Each hazard's version as HQ's applied answers have moved it (commands carry it).
    versions: dict[str, int] = field(default_factory=dict)

    def admin(self) -> requests.Session:
        admin = requests.Session()
        self.app.state.accounts.create_user("admin", ADMIN_PASSWORD, is_admin=True)
        admin.post(
            f"{self.url}/v1/admin/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        ).raise_for_status()
        return admin

    def enroll(self, person_id: str) -> Device:
        code, _ = self.app.state.hq.make_code(person_id, "test")
        answer = requests.post(f"{self.url}/v1/devices/enroll", json={"code": code}, timeout=10)
        answer.raise_for_status()
        data = answer.json()
        return Device(self, data["device_id"], data["token"], person_id)


@dataclass
class Device:
    hq: Hq
    id: str
    token: str
    person_id: str
    seq: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def command(
        self,
        hazard_id: str,
        type_: str,
        expected_from: str | None,
        payload: dict[str, Any] | None = None,
        seq: int | None = None,
        base_version: int | None = None,
    ) -> dict[str, Any]:
        """A command as the app builds it; ``base_version`` defaults to the hazard's version as
        the applied answers HQ gave so far have moved it."""
        if seq is None:
            self.seq += 1
            seq = self.seq
        return {
            "id": str(uuid.uuid4()),
            "seq": seq,
            "hazard_id": hazard_id,
            "type": type_,
            "actor": self.person_id,
            "observed_at": "2026-11-22T09:00:00+08:00",
            "expected_from": expected_from,
            "base_version": self.hq.versions.get(hazard_id, 0)
            if base_version is None
            else base_version,
            "payload": payload or {},
        }

    def push(
        self,
        commands: list[dict[str, Any]] = (),
        inspections: list[dict[str, Any]] = (),
        device_id: str | None = None,
    ) -> requests.Response:
        answer = requests.post(
            f"{self.hq.url}/v1/sync/push",
            headers=self.headers,
            timeout=30,
            json={
                "device_id": device_id or self.id,
                "commands": list(commands),
                "inspections": list(inspections),
            },
        )
        if answer.status_code == 200:
            sent = {c.get("id"): c for c in commands if isinstance(c, dict)}
            for result in answer.json().get("commands", []):
                command = sent.get(result["id"])
                if command and result["status"] == "applied" and not result.get("replayed"):
                    hazard_id, type_ = command["hazard_id"], command["type"]
                    if type_ not in ("comment", "add_photo"):
                        self.hq.versions[hazard_id] = self.hq.versions.get(hazard_id, 0) + 1
        return answer

    def pull(self, since: int = 0, limit: int = 500) -> dict[str, Any]:
        answer = requests.get(
            f"{self.hq.url}/v1/sync/pull",
            headers=self.headers,
            timeout=30,
            params={"since": since, "limit": limit},
        )
        answer.raise_for_status()
        return answer.json()

    def put_blob(self, sha: str, data: bytes) -> requests.Response:
        return requests.put(
            f"{self.hq.url}/v1/blobs/{sha}", data=data, headers=self.headers, timeout=30
        )


def days_from_today(days: int) -> str:
    """A date relative to the HQ server's clock (the system's), so "overdue" does not drift."""
    return (date.today() + timedelta(days=days)).isoformat()


def hazard_payload(workshop: str = "ws-stamping", grade: str = "general", **extra: Any) -> dict:
    return {
        "workshop_id": workshop,
        "description": "Extinguisher F-12 gauge in red",
        "grade": grade,
        "risk": "orange",
        "deadline": days_from_today(3),
        "photos": [],
        **extra,
    }


def jpeg(colour: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def start_hq(
    data_dir: Path, db_url: str | None = None, blobs_url: str | None = None
) -> tuple[LiveServer, Hq]:
    app = create_app(Settings(data_dir=data_dir, db_url=db_url, blobs_url=blobs_url, demo=True))
    server = LiveServer(app).start()
    return server, Hq(server.url, app)


@pytest.fixture(params=["sqlite", "postgres"])
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Hq]:
    db_url = None
    if request.param == "postgres":
        db_url = request.getfixturevalue("postgres").create_database(f"t{uuid.uuid4().hex[:12]}")
    server, client = start_hq(tmp_path / "hq", db_url)
    yield client
    server.stop()
    client.app.state.hq.engine.dispose()


@pytest.fixture
def hq_sqlite(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    yield client
    server.stop()


def upload_at_once(devices: list[Device], sha: str, photo: bytes) -> list[int]:
    """PUT the same photo from several devices at the same moment; their status codes."""
    codes: list[int] = []
    barrier = threading.Barrier(len(devices))

    def upload(device: Device) -> None:
        barrier.wait(timeout=10)
        codes.append(device.put_blob(sha, photo).status_code)

    threads = [threading.Thread(target=upload, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes
