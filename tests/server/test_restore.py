"""Restoring HQ from an older backup: devices notice the new epoch, send again what HQ lost and
read HQ's feed from the start; HQ ends with everything the devices ever sent, once, and no
device is stuck on "expected seq" (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.server import schema
from inspect_app.server.app import Settings, create_app
from inspect_app.server.backup import backup, restore
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import enroll
from inspect_app.sync.engine import HQ_EPOCH, PULL_CURSOR
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


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_devices_resend_what_a_restore_lost(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db_url = None
    if backend == "postgres":
        cluster = request.getfixturevalue("postgres")
        db_url = cluster.create_database(f"r{uuid.uuid4().hex[:12]}")
    settings = Settings(data_dir=tmp_path / "hq", db_url=db_url, demo=True)
    app = create_app(settings)
    server = LiveServer(app).start()
    port = server.port
    phone, tablet = (_device(tmp_path / name, app, server.url) for name in ("phone", "tablet"))
    try:
        walk_with_failure(phone)
        walk_with_failure(tablet)
        sync(phone), sync(tablet)
        backup(settings, tmp_path / "backup")
        walk_with_failure(phone)  # reaches HQ, then is lost by the restore
        walk_with_failure(tablet)
        sync(phone), sync(tablet)
        assert _counts(app) == (4, 4, 4)
        old_epoch = phone.store.get_meta(HQ_EPOCH)

        server.stop()
        app.state.hq.engine.dispose()
        restore(settings, tmp_path / "backup")
        app = create_app(settings)
        assert _counts(app) == (2, 2, 2)
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
    finally:
        server.stop()
        app.state.hq.engine.dispose()
        phone.store.close()
        tablet.store.close()
