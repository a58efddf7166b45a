"""The sync client against a live HQ, through the fault proxy: a device walks an inspection,
syncs, and HQ holds it once, whatever the network does."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from inspect_app.core.inspection import Answer
from inspect_app.photos.signature import signature_png
from inspect_app.server import schema
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import Connection, enroll
from inspect_app.sync.engine import KEEP_SENT_SECONDS, SyncEngine
from inspect_app.sync.transport import RetryPolicy, SyncError, Transport
from tests.server.conftest import Hq, start_hq
from tests.services.conftest import FakeClock, jpeg_bytes
from tests.sync.fault_proxy import Fault, FaultProxy, fault_proxy

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    yield client
    server.stop()


@pytest.fixture
def proxy(hq: Hq) -> Iterator[FaultProxy]:
    with fault_proxy(int(hq.url.rsplit(":", 1)[1])) as running:
        yield running


@pytest.fixture
def device(tmp_path: Path, hq: Hq, proxy: FaultProxy) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    code, _ = hq.app.state.hq.make_code("p-li", "test")
    enroll(ws, proxy.url, code)
    # Acknowledged entries are dropped at once here; test_restore.py covers keeping them.
    ws.store.set_meta(KEEP_SENT_SECONDS, 0)
    yield ws
    ws.store.close()


def sync(ws: Workspace, *, read_timeout: float = 10.0):  # type: ignore[no-untyped-def]
    connection = Connection(ws.store.get_meta("server_url"), ws.store.get_meta("token"))
    transport = Transport(
        connection.server_url,
        connection.token,
        read_timeout=read_timeout,
        retry=NO_WAIT,
        sleep=lambda _: None,
    )
    try:
        return SyncEngine(ws, transport).run()
    finally:
        transport.close()


def walk_with_failure(ws: Workspace, signature: bytes | None = None) -> str:
    service = InspectionService(ws)
    inspection = service.start(
        ws.catalog.latest("electrical-monthly"), "ws-stamping", "stamping-line-1"
    )
    checklist = service.checklist_of(inspection)  # the RCD limits set for the area
    inspection = service.add_instance(inspection, "boards", "DB-1")
    for item in checklist.items():
        tag = "DB-1" if checklist.section_of(item.id).repeat else None
        limit = (
            item.pass_if.max
            if item.pass_if and item.pass_if.max is not None
            else (item.pass_if.min if item.pass_if else None)
        )
        value = {"reading": str(limit), "date": "2026-11-01", "choice": "normal"}.get(
            item.type.value, "pass"
        )
        inspection = service.answer(inspection, Answer(item.id, value, tag=tag))
    inspection = service.answer(inspection, Answer("rcd-current", "45", tag="DB-1"))
    inspection = service.attach_photo(inspection, "rcd-current", "DB-1", jpeg_bytes("orange"))
    service.submit(inspection, "李明", signature)
    return inspection.id


def hq_events(hq: Hq) -> list[dict]:
    admin = hq.enroll("p-chen")
    return [e for e in admin.pull()["events"] if e.get("kind") in ("hazard", "inspection")]


def test_walk_sync_and_hq_holds_everything_once(hq: Hq, device: Workspace) -> None:
    inspection_id = walk_with_failure(device)
    report = sync(device)
    assert report.photos_uploaded == 1
    assert sorted(report.results.values()) == ["applied", "applied"]
    assert device.store.pending_outbox() == []
    events = hq_events(hq)
    assert [e["kind"] for e in events] == ["inspection", "hazard"]
    assert events[0]["id"] == inspection_id
    hazard = HazardService(device).all()[0]
    assert hazard.item_id == "rcd-current"
    again = sync(device)
    assert again.results == {} and len(hq_events(hq)) == 2


def test_the_drawn_signature_reaches_hq_with_the_inspection(hq: Hq, device: Workspace) -> None:
    png = signature_png([[(10, 40), (60, 10), (110, 40)]], 160, 60)
    inspection_id = walk_with_failure(device, png)
    report = sync(device)
    assert report.photos_uploaded == 2  # the finding's photo and the signature
    assert sorted(report.results.values()) == ["applied", "applied"]
    sha = hashlib.sha256(png).hexdigest()
    stored = hq.app.state.hq.engine
    with stored.connect() as conn:
        data = conn.execute(
            select(schema.inspections.c.data).where(schema.inspections.c.id == inspection_id)
        ).scalar_one()
    assert data["signature_photo"] == sha
    admin = hq.admin()
    answer = admin.get(f"{hq.url}/v1/blobs/{sha}", timeout=10)
    assert answer.status_code == 200 and answer.content == png


def test_dropped_response_after_commit_is_replayed_not_duplicated(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    proxy.inject(Fault("drop_response", method="POST", path_prefix="/v1/sync/push"))
    report = sync(device)
    assert proxy.faults_fired == ["drop_response"]
    assert sorted(report.results.values()) == ["applied", "applied"]
    assert len(hq_events(hq)) == 2


def test_response_slower_than_the_timeout_is_replayed(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    proxy.inject(Fault("hold_response", method="POST", path_prefix="/v1/sync/push"))
    sync(device, read_timeout=1.0)
    assert len(hq_events(hq)) == 2 and device.store.pending_outbox() == []


def test_photo_upload_cut_halfway_leaves_nothing_and_retry_succeeds(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    sha = next(iter(device.store.list_hazards()))["photos"][0]
    proxy.inject(Fault("cut_request", method="PUT", path_prefix="/v1/blobs/", cut_at=1000))
    sync(device)
    assert "cut_request" in proxy.faults_fired
    blob_files = [p for p in hq.app.state.hq.blobs.root.rglob("*") if p.is_file()]
    assert [p.name for p in blob_files] == [sha]
    data = (blob_files[0]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha


def test_hq_unreachable_keeps_everything_queued(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    proxy.inject(Fault("reset", times=100))
    with pytest.raises(SyncError, match="could not reach HQ"):
        sync(device)
    assert len(device.store.pending_outbox()) == 2
    proxy.clear()
    sync(device)
    assert device.store.pending_outbox() == [] and len(hq_events(hq)) == 2


def test_revoked_device_gets_a_plain_reason(hq: Hq, device: Workspace) -> None:
    walk_with_failure(device)
    hq.app.state.hq.revoke_device(device.device_id)
    with pytest.raises(SyncError, match="enrol it again"):
        sync(device)
    assert requests.get(f"{hq.url}/healthz", timeout=5).ok


def test_background_sync_runs_on_demand(hq: Hq, device: Workspace) -> None:
    from inspect_app.sync.background import BackgroundSync

    walk_with_failure(device)
    worker = BackgroundSync(device, interval_s=3600).start()
    try:
        finished = worker.trigger()
        assert worker.wait_for(finished, timeout=60)
    finally:
        worker.stop()
    assert device.store.pending_outbox() == []
    assert device.store.get_meta("last_sync_at") is not None
    assert len(hq_events(hq)) == 2


def test_a_checklist_edited_at_hq_reaches_the_device(
    hq: Hq, device: Workspace, tmp_path: Path
) -> None:
    from inspect_app.resources import shipped_checklists_dir

    sync(device)
    text = (shipped_checklists_dir() / "fire-monthly.yaml").read_text("utf-8")
    edited = text.replace("version: 2", "version: 3").replace("Remove the waste", "Clear it")
    hq.app.state.hq.publish_checklist(edited)
    sync(device)
    assert device.catalog.latest("fire-monthly").version == 3
    assert device.catalog.get("fire-monthly", 2).version == 2  # older inspections keep theirs
    root = device.store.root.parent
    device.store.close()
    reopened = open_workspace(root)
    try:
        assert reopened.catalog.latest("fire-monthly").version == 3
    finally:
        reopened.store.close()
    device.store = open_workspace(root).store  # for the fixture's close
