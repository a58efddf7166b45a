"""Enrolling a device again while work waits: refused while HQ knows the device (sync first) or
revoked it (a revoked device's work is not sent under a new enrolment), and refused for a code
of another person when the work would be carried over. test_restore.py covers the allowed case,
a device HQ forgot in a restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from inspect_app.core.enrolment import REVOKED_DEVICE, UNKNOWN_DEVICE
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import enroll
from inspect_app.sync.transport import SyncError
from inspect_app.ui.i18n import Translator
from tests.server.conftest import Hq, start_hq
from tests.services.conftest import FakeClock
from tests.sync.test_sync_client import sync, walk_with_failure


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    yield client
    server.stop()


@pytest.fixture
def device(tmp_path: Path, hq: Hq) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    enroll(ws, hq.url, _code(hq))
    yield ws
    ws.store.close()


def _code(hq: Hq, person: str = "p-li") -> str:
    return hq.app.state.hq.make_code(person, "test")[0]


def _reason(hq: Hq, token: str) -> str:
    answer = requests.get(
        f"{hq.url}/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert answer.status_code == 401
    return answer.json()["reason"]


def test_hq_says_whether_it_forgot_or_revoked_a_device(hq: Hq, device: Workspace) -> None:
    assert _reason(hq, "no-such-token") == UNKNOWN_DEVICE
    hq.app.state.hq.revoke_device(device.device_id)
    assert _reason(hq, device.store.get_meta("token")) == REVOKED_DEVICE


def test_a_known_device_syncs_before_enrolling_again(hq: Hq, device: Workspace) -> None:
    walk_with_failure(device)
    with pytest.raises(SyncError, match="sync first: 2 items"):
        enroll(device, hq.url, _code(hq))
    sync(device)
    enroll(device, hq.url, _code(hq))  # nothing waits: allowed, and nothing is sent again
    assert device.store.sent_outbox() == []
    assert sync(device).results == {}


def test_a_revoked_device_does_not_carry_its_work_over(hq: Hq, device: Workspace) -> None:
    walk_with_failure(device)
    hq.app.state.hq.revoke_device(device.device_id)
    with pytest.raises(SyncError, match="enrol it again"):
        sync(device)
    with pytest.raises(SyncError, match="HQ revoked this device: its 2 waiting items"):
        enroll(device, hq.url, _code(hq))
    assert len(device.store.pending_outbox()) == 2


def test_work_is_carried_over_only_for_the_same_person(hq: Hq, device: Workspace) -> None:
    walk_with_failure(device)
    with hq.app.state.hq.engine.begin() as conn:  # HQ forgets the device, as in a restore
        conn.exec_driver_sql("DELETE FROM devices")
    with pytest.raises(SyncError) as other:
        enroll(device, hq.url, _code(hq, "p-zhang"))
    # Named as people know them, in the reader's language, never by their ids.
    assert str(other.value).startswith(
        "this code is for 张国华, but the items waiting here are 李明's"
    )
    assert (
        Translator("zh")
        .error(other.value)
        .startswith("此登记码属于 张国华，但本设备待发送的是 李明 的记录")
    )
    assert len(device.store.pending_outbox()) == 2
    enroll(device, hq.url, _code(hq))
    assert sorted(sync(device).results.values()) == ["applied", "applied"]
