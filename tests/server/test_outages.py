"""HQ while its database or its blob store is down: /readyz answers 503, every request answers 503
with Retry-After (JSON for the API, a page for HQ's pages), never 500; once the dependency is
back, devices retry and nothing they were told is stored is lost or stored twice."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from inspect_app.server import schema
from tests.server.conftest import Device, Hq, hazard_payload, jpeg, start_hq
from tests.support.services import PostgresCluster, SeaweedS3, wait_until

PUSHES = 40
#: Between a device's retries: pacing, not a wait for anything to be ready.
BACKOFF_S = 0.05


def ready(hq: Hq) -> int:
    return requests.get(f"{hq.url}/readyz", timeout=10).status_code


def assert_unavailable(answer: requests.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["Retry-After"]) > 0


@pytest.fixture
def own_postgres() -> Iterator[PostgresCluster]:
    """A cluster of this test's own: it is killed and started again."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


class Pusher(threading.Thread):
    """A device that pushes one new hazard at a time and retries each push until HQ answers 200,
    as the app does; it remembers every status HQ answered."""

    def __init__(self, device: Device) -> None:
        super().__init__(daemon=True)
        self.device = device
        self.statuses: list[int] = []
        self.acknowledged: list[str] = []
        self.failure: str | None = None

    def run(self) -> None:
        deadline = time.monotonic() + 240
        for _ in range(PUSHES):
            command = self.device.command(str(uuid.uuid4()), "create", None, hazard_payload())
            while True:
                if time.monotonic() > deadline:
                    self.failure = "HQ did not take the pushes back within 240 s"
                    return
                answer = self.device.push([command])
                self.statuses.append(answer.status_code)
                if answer.status_code == 200:
                    [result] = answer.json()["commands"]
                    if result["status"] != "applied":
                        self.failure = f"not applied: {result}"
                        return
                    self.acknowledged.append(command["id"])
                    break
                if answer.status_code != 503 or "Retry-After" not in answer.headers:
                    self.failure = f"{answer.status_code} {answer.headers} {answer.text[:500]}"
                    return
                time.sleep(BACKOFF_S)


def test_postgres_killed_during_pushes(own_postgres: PostgresCluster, tmp_path: Path) -> None:
    server, hq = start_hq(tmp_path / "hq", own_postgres.create_database("outage"))
    try:
        admin = hq.admin()
        device = hq.enroll("p-li")
        pusher = Pusher(device)
        pusher.start()
        wait_until(lambda: len(pusher.acknowledged) >= 5, 60, "the first pushes")

        own_postgres.stop_immediately()
        wait_until(lambda: ready(hq) == 503, 30, "/readyz answering 503")
        readiness = requests.get(f"{hq.url}/readyz", timeout=10)
        assert_unavailable(readiness)
        assert readiness.json()["blobs"] == "ok" and readiness.json()["database"] != "ok"
        wait_until(lambda: 503 in pusher.statuses, 30, "a push answered 503")
        assert_unavailable(device.push([]))
        pull = requests.get(f"{hq.url}/v1/sync/pull", headers=device.headers, timeout=30)
        assert_unavailable(pull)
        assert pull.json()["detail"].startswith("HQ cannot reach its database")
        page = admin.get(f"{hq.url}/hazards", timeout=30)
        assert_unavailable(page)
        assert page.headers["content-type"].startswith("text/html")
        assert "HQ cannot reach its database" in page.text
        assert requests.get(f"{hq.url}/healthz", timeout=10).status_code == 200

        own_postgres.restart()
        wait_until(lambda: ready(hq) == 200, 60, "/readyz answering 200 again")
        pusher.join(timeout=240)
        assert not pusher.is_alive() and pusher.failure is None, pusher.failure
        assert 500 not in pusher.statuses and set(pusher.statuses) <= {200, 503}
        assert len(pusher.acknowledged) == PUSHES

        engine = hq.app.state.hq.engine
        with engine.connect() as conn:
            stored = conn.execute(
                select(schema.commands.c.command_id).where(schema.commands.c.device_id == device.id)
            ).scalars()
            assert sorted(stored) == sorted(pusher.acknowledged)
            hazards = conn.execute(select(func.count()).select_from(schema.hazards)).scalar()
            assert hazards == PUSHES
        pulled = [e["id"] for e in device.pull()["events"] if e["kind"] == "hazard"]
        assert sorted(pulled) == sorted(pusher.acknowledged)
    finally:
        server.stop()
        hq.app.state.hq.engine.dispose()


@pytest.fixture
def own_seaweed(tmp_path: Path) -> Iterator[SeaweedS3]:
    service = SeaweedS3(tmp_path / "weed").start()
    yield service
    service.stop()


def test_s3_down_for_uploads_and_readiness(
    own_seaweed: SeaweedS3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    server, hq = start_hq(tmp_path / "hq", blobs_url=f"s3://photos?endpoint={own_seaweed.endpoint}")
    try:
        device = hq.enroll("p-li")
        held, new = jpeg("red"), jpeg("blue")
        held_sha, new_sha = (hashlib.sha256(b).hexdigest() for b in (held, new))
        assert device.put_blob(held_sha, held).status_code == 201
        hazard = device.command(
            str(uuid.uuid4()), "create", None, hazard_payload(photos=[held_sha])
        )
        assert device.push([hazard]).json()["commands"][0]["status"] == "applied"
        assert ready(hq) == 200

        own_seaweed.stop()
        wait_until(lambda: ready(hq) == 503, 60, "/readyz answering 503")
        readiness = requests.get(f"{hq.url}/readyz", timeout=30)
        assert_unavailable(readiness)
        assert readiness.json()["database"] == "ok" and readiness.json()["blobs"] != "ok"
        # HQ holds this photo: the retried upload is answered from its table.
        assert device.put_blob(held_sha, held).status_code == 200
        assert_unavailable(device.put_blob(new_sha, new))
        read = requests.get(f"{hq.url}/v1/blobs/{held_sha}", headers=device.headers, timeout=60)
        assert_unavailable(read)
        assert read.json()["detail"].startswith("HQ cannot reach its blob store")
        # Pushes need no blob store.
        comment = device.command(hazard["hazard_id"], "comment", None, {"text": "still here"})
        assert device.push([comment]).status_code == 200

        # Started again on its folder and its own ports (SeaweedS3 keeps them), and returned
        # from start() only once it writes and reads back an object.
        own_seaweed.start()
        wait_until(lambda: ready(hq) == 200, 60, "/readyz answering 200 again")
        assert device.put_blob(new_sha, new).status_code == 201
        again = requests.get(f"{hq.url}/v1/blobs/{held_sha}", headers=device.headers, timeout=30)
        assert again.status_code == 200 and again.content == held
    finally:
        server.stop()
