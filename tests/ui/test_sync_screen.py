"""The Sync tab: enrolment by the link in HQ's QR code (view-model and in Chromium), clear
reasons when it fails, a sync run shown to its end, and conflicts listed with both decisions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.core.enrolment import enrolment_link, parse_enrolment_link
from inspect_app.core.workflow import CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection, sync_once
from inspect_app.sync.progress import Phase, SyncProgress
from inspect_app.sync.transport import SyncError
from inspect_app.ui.viewmodels.sync import SyncModel, progress_line
from tests.browser import SCREENSHOTS, chromium
from tests.server.conftest import Hq, start_hq
from tests.services.test_inspection_flow import walk_fire
from tests.ui.harness import PHONE, AppDriver, open_app, running_app


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    yield client
    server.stop()


def test_enrolment_link_round_trip() -> None:
    link = enrolment_link("https://hq.example.com/", "AB12-CD34")
    assert parse_enrolment_link(link) == ("https://hq.example.com", "AB12-CD34")
    assert parse_enrolment_link("https://hq.example.com") is None
    assert parse_enrolment_link("inspectapp://enroll?server=https://x") is None


def test_enrol_with_the_link_and_say_why_it_fails(workspace: Workspace, hq: Hq) -> None:
    model = SyncModel(workspace, "en")
    with pytest.raises(SyncError, match="enter HQ's address"):
        model.enroll(" ", "")
    with pytest.raises(SyncError, match="must start with https://"):
        model.enroll("hq.example.com", "X")
    with pytest.raises(SyncError, match="code was not accepted"):
        model.enroll(hq.url, "WRONG-CODE")
    assert connection(workspace) is None
    code, _ = hq.app.state.hq.make_code("p-zhao", "tablet")
    model.enroll(enrolment_link(hq.url, code), "")
    state = model.state()
    assert state.connection is not None and state.connection.server_url == hq.url
    assert workspace.user.id == "p-zhao"  # the code was made for him
    with pytest.raises(SyncError, match="code was not accepted"):
        SyncModel(open_workspace(workspace.store.root.parent / "other"), "en").enroll(hq.url, code)


def test_progress_figures() -> None:
    progress = SyncProgress(
        phase=Phase.PHOTOS, photos_total=5, photos_done=2, bytes_sent=2_500_000, commands_total=9
    )
    assert progress_line(progress) == {"photos": 3, "commands": 9, "mb": 2.5}


def test_enrol_and_sync_in_the_browser(tmp_path: Path, hq: Hq) -> None:
    code, _ = hq.app.state.hq.make_code("p-li", "phone")
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.nav("Sync")
        app.see("This device is not enrolled with HQ yet.")
        app.type_into("HQ address or enrolment link", hq.url)
        app.type_into("One-time code", "NOT-A-CODE")
        app.tap("Enrol")
        app.see("Not enrolled: the enrolment code was not accepted")
        app.type_into("HQ address or enrolment link", enrolment_link(hq.url, code))
        app.tap("Enrol")
        app.see("Enrolled with HQ")
        app.see("Up to date with HQ", timeout=30_000)
        app.see("0 items waiting")
        app.see(f"HQ: {hq.url}")
        app.shot(SCREENSHOTS / "phone-sync.png")


def test_handing_an_enrolled_device_to_another_person(workspace: Workspace, hq: Hq) -> None:
    model = SyncModel(workspace, "en")
    model.enroll(hq.url, hq.app.state.hq.make_code("p-li", "phone")[0])
    service, inspection = walk_fire(workspace)
    service.submit(inspection, "李明")
    with pytest.raises(SyncError, match="sync first: 3 items still wait"):
        model.enroll(hq.url, hq.app.state.hq.make_code("p-wang", "phone")[0])
    sync_once(workspace)
    first_device = workspace.device_id
    model.enroll(hq.url, hq.app.state.hq.make_code("p-wang", "phone")[0])
    assert workspace.user.id == "p-wang" and workspace.device_id != first_device
    # The new enrolment's commands start at seq 1 and HQ takes them as p-wang's.
    hazards = HazardService(workspace)
    hazard = next(h for h in hazards.all() if h.is_major)
    assert hazards.act(hazard, CommandType.COMMENT, {"text": "seen"}).applied
    report = sync_once(workspace)
    assert list(report.results.values()) == ["applied"]
