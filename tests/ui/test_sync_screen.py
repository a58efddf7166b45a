"""The Sync tab: enrolment by the link in HQ's QR code (view-model, and in Chromium from the first
run), clear reasons when it fails, Sync now with a spinner until HQ answers and then what it
sent and received, Last sync updated, and every action HQ did not apply (forbidden,
rejected_invalid with its field, rejected_conflict) listed with its reason in both languages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspect_app.core.enrolment import enrolment_link, parse_enrolment_link
from inspect_app.core.evaluation import finish_blockers, slots
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.inspection import Answer, Inspection
from inspect_app.core.workflow import Command, CommandType, Refusal
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.outbox import COMMAND
from inspect_app.services.workspace import COMMAND_SEQ, Workspace
from inspect_app.sync.client import connection, enroll, sync_once
from inspect_app.sync.engine import (
    LAST_SYNC_AT,
    LAST_SYNC_ERROR,
    PULL_CURSOR,
    REFUSED_HERE,
    SyncEngine,
    SyncReport,
)
from inspect_app.sync.progress import Phase, SyncProgress
from inspect_app.sync.transport import SyncError
from inspect_app.ui.i18n import Translator, local_time
from inspect_app.ui.screens.sync import refusal_lines
from inspect_app.ui.viewmodels.sync import SyncModel, progress_line
from tests.browser import chromium
from tests.server.conftest import Hq, start_hq
from tests.services.test_inspection_flow import walk_fire
from tests.sync.fault_proxy import Fault, fault_proxy
from tests.ui.harness import PHONE, AppDriver, clean_answer, open_app, running_app


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
    with pytest.raises(SyncError, match="code was not accepted") as refused:
        model.enroll(hq.url, "WRONG-CODE")
    assert Translator("zh").error(refused.value) == "登记码未被接受：可能输错、已用过或已过期"
    assert connection(workspace) is None
    code, _ = hq.app.state.hq.make_code("p-zhao", "tablet")
    model.enroll(enrolment_link(hq.url, code), "")
    state = model.state()
    assert state.connection is not None and state.connection.server_url == hq.url
    assert workspace.user.id == "p-zhao"  # the code was made for him
    with pytest.raises(SyncError, match="code was not accepted"):
        SyncModel(open_workspace(workspace.store.root.parent / "other"), "en").enroll(hq.url, code)


def test_the_last_sync_error_is_said_from_its_code_and_an_old_english_one_is_not(
    workspace: Workspace,
) -> None:
    model = SyncModel(workspace, "zh")
    workspace.store.set_meta(LAST_SYNC_ERROR, {"code": "no_connection", "params": {"tries": 6}})
    state = model.state()
    assert state.last_error is not None and not state.earlier_error
    assert Translator("zh").error(state.last_error) == "尝试 6 次仍无法连接总部：没有网络连接"
    # What versions before codes kept: English text, which a Chinese screen must not show.
    workspace.store.set_meta(LAST_SYNC_ERROR, "could not reach HQ after 6 tries: no connection")
    state = model.state()
    assert state.last_error is None and state.earlier_error
    workspace.store.set_meta(LAST_SYNC_ERROR, None)
    assert not model.state().earlier_error


def test_progress_figures() -> None:
    progress = SyncProgress(
        phase=Phase.PHOTOS, photos_total=5, photos_done=2, bytes_sent=2_500_000, commands_total=9
    )
    assert progress_line(progress) == {"photos": 3, "commands": 9, "mb": 2.5}


def test_enrol_on_the_first_run_and_sync_in_the_browser(tmp_path: Path, hq: Hq) -> None:
    code, _ = hq.app.state.hq.make_code("p-li", "phone")
    with running_app(tmp_path / "device", demo=False) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.see("This device is not enrolled with HQ yet.")  # the first run asks
        app.type_into("HQ address or enrolment link", hq.url)
        app.type_into("One-time code", "NOT-A-CODE")
        app.tap("Enrol")
        app.see("Not enrolled: the enrolment code was not accepted")
        app.type_into("HQ address or enrolment link", enrolment_link(hq.url, code))
        app.tap("Enrol")
        app.see("Enrolled with HQ")
        app.see("Signed in as 李明")  # the code was made for him; Home, no demo label
        assert not app.shows("Demo")
        app.nav("Sync")
        # The first sync runs as soon as the device is enrolled; on a loaded machine it may end
        # after the Sync tab was drawn, and a person taps the tab again to see it (bounded).
        for _ in range(9):
            try:
                app.see("Up to date with HQ", timeout=10_000)
                break
            except Exception:
                app.nav("Home")
                app.nav("Sync")
        app.see("Up to date with HQ")
        app.see("0 items waiting")
        app.see(f"HQ: {hq.url}")


def last_sync_shown(app: AppDriver) -> str | None:
    """The time after "Last sync:" on screen, as text or inside a card's merged label."""
    page = app.page
    found = page.get_by_text("Last sync:").or_(
        page.locator('flt-semantics[aria-label*="Last sync:"]')
    )
    if not found.count():
        return None
    first = found.first
    shown = (first.get_attribute("aria-label") or "") + " " + first.inner_text()
    match = re.search(r"Last sync: ([^\n]+?)\s*$", shown.strip(), re.MULTILINE)
    return match.group(1) if match else None


def test_sync_now_shows_a_spinner_then_what_it_sent_and_received(tmp_path: Path, hq: Hq) -> None:
    port = int(hq.url.rsplit(":", 1)[1].strip("/"))
    with fault_proxy(port) as proxy:
        ws = open_workspace(tmp_path / "device")
        try:
            enroll(ws, proxy.url, hq.app.state.hq.make_code("p-li", "phone")[0])
            sync_once(ws)
            service, inspection = walk_fire(ws)
            service.submit(inspection, "李明")  # an inspection and two hazards wait
            ws.store.set_meta(LAST_SYNC_AT, "2020-01-01T08:00:00+08:00")
        finally:
            ws.store.close()
        with running_app(tmp_path / "device") as url, chromium() as browser:
            page = browser.new_page(viewport=PHONE)
            app = AppDriver(page)
            open_app(page, url)
            app.nav("Sync")
            app.see("3 items waiting")
            before = local_time("2020-01-01T08:00:00+08:00", "en")  # the app's zone is ours
            app.see(f"Last sync: {before}")
            held = proxy.inject(Fault("pause", "POST", "/v1/sync/push", stage="before_forward"))
            app.tap("Sync now")
            app.see("Syncing…")
            assert held.wait_reached(30)
            app.see("Syncing…")  # still, while HQ has not answered
            held.release()
            app.see("Sent 3, received", timeout=30_000)
            app.see("0 items waiting")
            app.until(
                lambda: last_sync_shown(app) not in (before, None),
                "Last sync updated",
            )


def test_handing_an_enrolled_device_to_another_person(workspace: Workspace, hq: Hq) -> None:
    model = SyncModel(workspace, "en")
    model.enroll(hq.url, hq.app.state.hq.make_code("p-li", "phone")[0])
    service, inspection = walk_with_a_major(workspace)
    service.submit(inspection, "李明")
    with pytest.raises(SyncError, match="sync first: 2 items still wait"):
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


def walk_with_a_major(ws: Workspace) -> tuple[InspectionService, Inspection]:
    """p-li's electrical check of press line 1 (one board, B1), clean but for the electricians'
    certificates: a major hazard by its checklist."""
    service = InspectionService(ws)
    inspection = service.start(
        ws.catalog.latest("electrical-monthly"), "ws-stamping", "stamping-line-1"
    )
    checklist = service.checklist_of(inspection)
    for section in checklist.sections:
        if section.repeat:
            inspection = service.add_instance(inspection, section.id, "B1")
    today = ws.clock().date()
    for slot in list(slots(checklist, inspection)):
        value = "fail" if slot.item.id == "electrician-cert" else clean_answer(slot.item, today)[0]
        inspection = service.answer(inspection, Answer(slot.item.id, value, tag=slot.tag))
    assert not finish_blockers(checklist, inspection, today)
    return service, inspection


def queue_unchecked(
    ws: Workspace,
    hazard: Hazard,
    command_type: CommandType,
    payload: dict[str, Any],
    expected_from: HazardStatus | None = None,
) -> None:
    """Queue a command past the device's own checks, as a device with older rules would."""
    with ws.command_lock:
        command = Command(
            id=str(uuid.uuid4()),
            device_id=ws.device_id,
            seq=ws.next_command_seq(),
            hazard_id=hazard.id,
            type=command_type,
            actor=ws.user.id,
            observed_at=ws.now(),
            expected_from=expected_from or hazard.status,
            base_version=hazard.version,
            payload=payload,
        )
        with ws.store.transaction() as tx:
            tx.enqueue({"kind": COMMAND, "command": command.to_dict()})
            tx.set_meta(COMMAND_SEQ, command.seq)


def refuse_three(ws: Workspace, hq: Hq) -> Hazard:
    """Enrol p-li's device, register a hazard at HQ, then sync three actions on it that HQ
    refuses: a void (forbidden), a comment naming its finder (rejected_invalid), and a start of
    rectification on a plan HQ never got (rejected_conflict). The hazard."""
    SyncModel(ws, "en").enroll(hq.url, hq.app.state.hq.make_code("p-li", "phone")[0])
    service, inspection = walk_fire(ws)
    service.submit(inspection, "李明")
    sync_once(ws)
    hazard = HazardService(ws).all()[0]
    assert hazard.status is HazardStatus.OPEN
    queue_unchecked(ws, hazard, CommandType.VOID, {"reason": "a duplicate"})
    queue_unchecked(ws, hazard, CommandType.COMMENT, {"text": "ok", "found_by": "p-wang"})
    assigned = HazardStatus.ASSIGNED  # what this device believed; HQ still has it open
    queue_unchecked(ws, hazard, CommandType.START_RECTIFICATION, {}, assigned)
    report = sync_once(ws)
    assert list(report.results.values()) == ["forbidden", "rejected_invalid", "rejected_conflict"]
    return hazard


def test_every_action_hq_did_not_apply_is_listed_with_its_reason(
    workspace: Workspace, hq: Hq
) -> None:
    model = SyncModel(workspace, "en")
    hazard = refuse_three(workspace, hq)
    refused = model.refused()  # newest first
    assert [(r.action, r.result, r.field) for r in refused] == [
        ("start_rectification", "rejected_conflict", None),
        ("comment", "rejected_invalid", "found_by"),
        ("void", "forbidden", None),
    ]
    assert {(r.hazard_id, r.hazard, r.who) for r in refused} == {
        (hazard.id, hazard.description, "李明")
    }
    assert [r.reason.code if r.reason else None for r in refused] == [
        Refusal.STATUS_CHANGED,
        Refusal.INVALID_VALUE,
        Refusal.ROLE_MAY_NOT,
    ]
    assert model.state().refused == refused
    conflict, invalid, forbidden = refused
    en, zh = Translator("en"), Translator("zh")
    assert refusal_lines(en, conflict) == (
        "Start rectification by 李明",
        "Someone decided first: the hazard is now Registered, not Plan assigned",
    )
    assert refusal_lines(en, invalid) == ("Comment by 李明", "HQ found “found_by” wrong")
    # In Chinese, the reason is the vocabulary's: never HQ's English message.
    assert refusal_lines(zh, conflict)[1] == "他人已先处理：这项隐患现为“待下达”，而非“已下达”"
    assert refusal_lines(zh, forbidden) == ("李明 的“作废”", "无权执行：您的岗位不能执行“作废”")
    assert refusal_lines(zh, invalid)[1] == "总部认为“found_by”有误"

    # Pulling the same events again (a reset cursor) lists nothing twice.
    workspace.store.set_meta(PULL_CURSOR, 0)
    sync_once(workspace)
    assert model.refused() == refused


def test_a_refusal_hq_called_invalid_before_rejected_invalid_is_listed(
    workspace: Workspace,
) -> None:
    _, inspection = walk_fire(workspace)
    InspectionService(workspace).submit(inspection, "李明")
    hazard = HazardService(workspace).all()[0]
    event = {
        "id": "cmd-old",
        "hazard_id": hazard.id,
        "type": "assign_five_fixes",
        "actor": "p-li",
        "device_id": workspace.device_id,
        "observed_at": "2026-05-01T08:00:00+08:00",
        "result": "invalid",
        "status_from": "open",
        "status_to": "open",
        "reason": "deadline: not a date",
        "server_seq": 7,
    }
    page = {"events": [event], "hazards": [], "next_since": 7, "has_more": False}
    SyncEngine(workspace, transport=None)._apply_pull(page, SyncReport())  # type: ignore[arg-type]
    assert workspace.store.get_meta(REFUSED_HERE) == [[hazard.id, "cmd-old"]]
    [listed] = SyncModel(workspace, "zh").refused()
    assert (listed.result, listed.field) == ("rejected_invalid", None)
    # An HQ before reason codes sent only English: the result is said, not HQ's words.
    assert listed.reason is None
    assert refusal_lines(Translator("zh"), listed) == ("李明 的“下达五定方案”", "总部认为填写有误")


def test_the_sync_tab_lists_them_in_the_browser(tmp_path: Path, hq: Hq) -> None:
    ws = open_workspace(tmp_path / "device")
    ws.sign_in("p-li")
    try:
        refuse_three(ws, hq)
    finally:
        ws.store.close()
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.nav("Sync")
        app.see("Not applied at HQ")
        for line in ("Someone decided first:", "HQ found “found_by” wrong", "Not allowed:"):
            app.see(line)
