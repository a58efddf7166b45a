"""Restoring HQ from an older backup: devices notice the new epoch, send again what HQ lost and
read HQ's feed from the start; HQ ends with everything the devices ever sent, once, and no
device is stuck on "expected seq" (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.photos.signature import signature_png
from inspect_app.server import schema
from inspect_app.server.app import Settings, create_app
from inspect_app.server.backup import backup, restore
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import enroll
from inspect_app.sync.engine import HQ_EPOCH, PULL_CURSOR
from inspect_app.sync.transport import SyncError
from tests.services.conftest import FakeClock
from tests.support.services import LiveServer
from tests.sync.test_sync_client import sync, walk_with_failure


def _device(root: Path, app, url: str) -> Workspace:  # type: ignore[no-untyped-def]
    ws = open_workspace(root, clock=FakeClock())
    code, _ = app.state.hq.make_code("p-li", "test")
    enroll(ws, url, code)
    return ws


def _counts(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with app.state.hq.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (schema.inspections, schema.hazards, schema.commands)
        )


def _photos_held(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The photos HQ's database names, each checked to be in its blob store."""
    with app.state.hq.engine.connect() as conn:
        shas = conn.execute(select(schema.blobs.c.sha256)).scalars().all()
    assert all(app.state.hq.blobs.exists(sha) for sha in shas)
    return sorted(shas)


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "postgres+s3"])
def test_devices_resend_what_a_restore_lost(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url = blobs_url = None
    if backend.startswith("postgres"):
        cluster = request.getfixturevalue("postgres")
        db_url = cluster.create_database(f"r{uuid.uuid4().hex[:12]}")
    if backend.endswith("s3"):
        seaweed = request.getfixturevalue("seaweed")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
        blobs_url = f"s3://r{uuid.uuid4().hex[:12]}/photos?endpoint={seaweed.endpoint}"
    settings = Settings(data_dir=tmp_path / "hq", db_url=db_url, blobs_url=blobs_url, demo=True)
    app = create_app(settings)
    server = LiveServer(app).start()
    port = server.port
    phone, tablet = (_device(tmp_path / name, app, server.url) for name in ("phone", "tablet"))
    try:
        walk_with_failure(phone)
        walk_with_failure(tablet)
        sync(phone), sync(tablet)
        backup(settings, tmp_path / "backup")
        walk_with_failure(phone, signature_png([[(1, 1), (9, 9)]], 20, 20))  # lost by the restore
        walk_with_failure(tablet)
        sync(phone), sync(tablet)
        assert _counts(app) == (4, 4, 4)
        photos = _photos_held(app)
        assert len(photos) == 2  # the finding's photo and the new walk's signature
        old_epoch = phone.store.get_meta(HQ_EPOCH)

        server.stop()
        app.state.hq.engine.dispose()
        restore(settings, tmp_path / "backup")
        app = create_app(settings)
        assert _counts(app) == (2, 2, 2)
        assert len(_photos_held(app)) == 1
        server = LiveServer(app, port=port).start()

        walk_with_failure(phone)  # its next seq is 3; HQ now expects 2
        sync(phone)  # pushes first: HQ's 409 carries the new epoch
        sync(tablet)  # nothing waits: the pull shows the new epoch
        assert _counts(app) == (5, 5, 5)
        for ws in (phone, tablet):
            assert ws.store.get_meta(HQ_EPOCH) != old_epoch
            assert ws.store.pending_outbox() == []
            assert ws.store.get_meta(PULL_CURSOR) > 0
            assert sync(ws).results == {}  # nothing sent twice
        assert _counts(app) == (5, 5, 5)
        assert _photos_held(app) == photos
    finally:
        server.stop()
        app.state.hq.engine.dispose()
        phone.store.close()
        tablet.store.close()


def test_a_device_enrolled_after_the_backup_enrols_again_and_resends(tmp_path: Path) -> None:
    """HQ restored from a backup older than a device's enrolment no longer knows the device:
    it answers 401 "unknown device", the person enrols it again with a new code while work still
    waits, and everything the device ever sent reaches HQ once under the new enrolment."""
    settings = Settings(data_dir=tmp_path / "hq", demo=True)
    app = create_app(settings)
    server = LiveServer(app).start()
    port = server.port
    late = None
    try:
        backup(settings, tmp_path / "backup")
        late = _device(tmp_path / "late", app, server.url)
        walk_with_failure(late)
        sync(late)  # acknowledged, then lost by the restore
        walk_with_failure(late)  # still waits when HQ is restored
        old_device = late.device_id

        server.stop()
        app.state.hq.engine.dispose()
        restore(settings, tmp_path / "backup")
        app = create_app(settings)
        server = LiveServer(app, port=port).start()
        assert _counts(app) == (0, 0, 0)

        with pytest.raises(SyncError, match="enrol"):
            sync(late)
        code, _ = app.state.hq.make_code("p-li", "test")
        enroll(late, server.url, code)
        assert late.device_id != old_device
        sync(late)
        assert _counts(app) == (2, 2, 2)  # the kept first walk and the waiting second one
        assert late.store.pending_outbox() == []
        assert sync(late).results == {}
        assert _counts(app) == (2, 2, 2)
        with app.state.hq.engine.connect() as conn:
            shas = conn.execute(select(schema.blobs.c.sha256)).scalars().all()
        assert shas and all(app.state.hq.blobs.get(sha) for sha in shas)
    finally:
        server.stop()
        app.state.hq.engine.dispose()
        if late is not None:
            late.store.close()
