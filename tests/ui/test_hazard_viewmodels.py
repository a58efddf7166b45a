"""The hazards screens' logic without Flet: list filters, urgency order and paging; the detail's
actions per role and state through the forms (a major hazard's whole path, a fix on the spot);
the dashboard's month figures."""

from __future__ import annotations

import pytest

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.commands import FieldKind
from inspect_app.core.hazard import ControlKind, ExtensionStatus, HazardStatus
from inspect_app.core.inspection import Finding
from inspect_app.core.workflow import CommandResult, CommandType
from inspect_app.services.workspace import Workspace
from inspect_app.ui.viewmodels.dashboard import DashboardModel, shift_month
from inspect_app.ui.viewmodels.hazards import (
    FormError,
    HazardDetailModel,
    HazardListModel,
    form_fields,
)
from tests.services.conftest import jpeg_bytes
from tests.services.test_inspection_flow import walk_fire

PLAN = {
    "responsible_id": "p-zhao",
    "measures": "Cut the chain, daily check of door 3",
    "funds": "CNY 200",
    "deadline": "2026-11-30",
    "contingency": "Guard posted at door 3 until fixed",
}
GOVERNANCE = {
    "targets": "Door 3 usable as an exit at all times",
    "methods": "Replace the chain with a panic bar",
    "funds_materials": "CNY 2,000, safety budget",
    "organisation": "Maintenance team under 王建国",
    "deadline": "2026-11-30",
    "safety_measures": "Guard at door 3",
    "emergency_plan": "Evacuate through door 2",
}


def submitted_hazards(ws: Workspace) -> list[str]:
    """A general hazard (an extinguisher) and a major one: the inspector grades the chained exit
    door major."""
    service, inspection = walk_fire(ws)
    major = Finding(grade=Grade.MAJOR, risk=Risk.RED)
    inspection = service.set_finding(inspection, "exit-clear", None, major)
    return [h.id for h in service.submit(inspection, "李明").hazards]


def test_list_puts_major_first_and_inspectors_see_their_own(workspace: Workspace) -> None:
    submitted_hazards(workspace)
    model = HazardListModel(workspace, "en")
    page, rows = model.load()
    assert page.total == 2
    assert rows[0].grade is Grade.MAJOR and rows[1].grade is Grade.GENERAL
    assert rows[0].place.startswith("Stamping workshop")
    assert rows[0].thumbnail is not None  # the finding's photo, on this device
    assert model.filter.involving == "p-li"
    workspace.sign_in("p-zhao")  # another inspector does not see p-li's findings...
    assert HazardListModel(workspace, "en").load()[0].total == 0
    workspace.sign_in("p-wang")  # the workshop head sees all of his workshop
    assert HazardListModel(workspace, "en").load()[0].total == 2
    detail = HazardDetailModel(workspace, rows[1].id, "en")
    assert detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "contingency": ""}).applied
    workspace.sign_in("p-zhao")  # ...until he is made responsible for one
    assert [r.id for r in HazardListModel(workspace, "en").load()[1]] == [rows[1].id]


def test_filters_and_paging(workspace: Workspace) -> None:
    for _ in range(3):
        submitted_hazards(workspace)
    workspace.sign_in("p-wang")
    model = HazardListModel(workspace, "en", page_size=4)
    page, rows = model.load()
    assert (page.total, page.pages, len(rows)) == (6, 2, 4)
    model.go_to_page(1)
    page, rows = model.load()
    assert (page.page, len(rows)) == (1, 2)
    model.set_filter(grade=Grade.MAJOR)
    page, rows = model.load()
    assert page.page == 0 and page.total == 3 and all(r.grade is Grade.MAJOR for r in rows)
    model.set_filter(grade=None, workshop_id="ws-welding")
    assert model.load()[0].total == 0
    model.set_filter(workshop_id=None, overdue_only=True)
    assert model.load()[0].total == 0  # the fixed clock is before every deadline
    model.set_filter(overdue_only=False)
    model.show_closed(True)
    assert model.showing_closed and model.load()[0].total == 0
    model.go_to_page(7)  # past the end falls back to the last page
    model.show_closed(False)
    model.go_to_page(9)
    page, _ = model.load()
    assert page.page == page.pages - 1


def test_the_major_path_through_the_forms(workspace: Workspace) -> None:
    major = next(
        h
        for h in submitted_hazards(workspace)
        if HazardDetailModel(workspace, h, "en").hazard.is_major
    )
    detail = HazardDetailModel(workspace, major, "en")
    # An inspector may not plan the fix, and a major hazard is not fixed on the spot.
    assert CommandType.ASSIGN_FIVE_FIXES not in detail.actions()
    assert CommandType.FIX_ON_THE_SPOT not in detail.actions()
    workspace.sign_in("p-wang")
    assert detail.actions()[:2] == [CommandType.ASSIGN_FIVE_FIXES, CommandType.SET_INTERIM_CONTROL]
    assert CommandType.VOID not in detail.actions()  # HQ admins only
    # The equipment goes out of service at once, with a photo; the form offers the two kinds.
    kind = next(
        f for f in form_fields(CommandType.SET_INTERIM_CONTROL, detail.hazard) if f.name == "kind"
    )
    assert kind.kind is FieldKind.CHOICE and kind.options == ("isolated", "out_of_service")
    with pytest.raises(FormError) as no_kind:
        detail.perform(
            CommandType.SET_INTERIM_CONTROL, {"photos": [detail.add_photo(jpeg_bytes())]}
        )
    assert no_kind.value.field == "kind"
    control = {"kind": "out_of_service", "photos": [detail.add_photo(jpeg_bytes("red"))]}
    assert detail.perform(CommandType.SET_INTERIM_CONTROL, control).applied
    assert detail.hazard.control is not None
    assert detail.hazard.control.kind is ControlKind.OUT_OF_SERVICE
    # A major hazard's plan needs its contingency part.
    contingency = next(
        f
        for f in form_fields(CommandType.ASSIGN_FIVE_FIXES, detail.hazard)
        if f.name == "contingency"
    )
    assert contingency.required
    with pytest.raises(FormError) as missing:
        detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "contingency": " "})
    assert missing.value.field == "contingency"
    with pytest.raises(FormError) as bad_date:
        detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "deadline": "30/11/2026"})
    assert bad_date.value.field == "deadline"
    assert detail.perform(CommandType.ASSIGN_FIVE_FIXES, PLAN).applied
    with pytest.raises(FormError) as incomplete:
        detail.perform(CommandType.SUBMIT_GOVERNANCE, {**GOVERNANCE, "emergency_plan": ""})
    assert incomplete.value.field == "emergency_plan"
    # Every field still to fill is named at once, in the form's order.
    with pytest.raises(FormError) as several:
        detail.perform(
            CommandType.SUBMIT_GOVERNANCE, {**GOVERNANCE, "emergency_plan": "", "targets": " "}
        )
    assert several.value.fields == ("targets", "emergency_plan")
    assert detail.perform(CommandType.SUBMIT_GOVERNANCE, GOVERNANCE).applied
    extension = detail.perform(
        CommandType.REQUEST_EXTENSION, {"reason": "Lock on order", "new_deadline": "2026-11-29"}
    )
    assert extension.result is CommandResult.INVALID  # not after the current deadline
    assert "after 2026-11-30" in extension.message
    assert detail.perform(
        CommandType.REQUEST_EXTENSION, {"reason": "Lock on order", "new_deadline": "2026-12-05"}
    ).applied
    assert detail.hazard.deadline == "2026-11-30"  # until the principal approves
    # The safety officer records the report; the principal approves the plan and the extension.
    workspace.sign_in("p-lin")
    assert CommandType.APPROVE_EXTENSION not in detail.actions()  # a major's goes to the principal
    report = {"authority": "Suzhou Emergency Management Bureau", "reported_on": "2026-11-22"}
    assert detail.perform(CommandType.RECORD_REPORT, report).applied
    workspace.sign_in("p-zhang")
    assert detail.perform(CommandType.APPROVE_EXTENSION, {}).applied
    assert detail.perform(CommandType.APPROVE_GOVERNANCE, {}).applied
    hazard = detail.hazard
    assert hazard.deadline == "2026-12-05" and hazard.original_deadline == "2026-11-30"
    assert hazard.extensions[0].status is ExtensionStatus.APPROVED
    assert hazard.governance is not None and hazard.governance.approved_by == "p-zhang"
    # The responsible person rectifies, with an after-photo and what it cost.
    workspace.sign_in("p-zhao")
    assert detail.perform(CommandType.START_RECTIFICATION, {}).applied
    with pytest.raises(FormError):
        detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": []})
    after = detail.add_photo(jpeg_bytes("green"))
    rectified = {"photos": [after], "note": "Chain removed", "funds_spent": "CNY 1,850"}
    assert detail.perform(CommandType.SUBMIT_RECTIFIED, rectified).applied
    # Neither he nor the head (nor the finder, for a major hazard) verifies: the safety officer does.
    assert CommandType.VERIFY_PASS not in detail.actions()
    assert detail.is_excluded_from_verifying()
    for person in ("p-wang", "p-li"):
        workspace.sign_in(person)
        assert CommandType.VERIFY_PASS not in detail.actions()
        assert not detail.is_excluded_from_verifying()
    workspace.sign_in("p-lin")
    assert detail.closing_needs() == []
    with pytest.raises(FormError) as no_opinion:
        detail.perform(CommandType.VERIFY_FAIL, {})
    assert no_opinion.value.field == "opinion"
    assert detail.perform(CommandType.VERIFY_FAIL, {"opinion": "Chain still on the hook"}).applied
    assert detail.hazard.status is HazardStatus.RECTIFYING
    workspace.sign_in("p-zhao")
    assert detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": [after]}).applied
    workspace.sign_in("p-lin")
    assert detail.perform(
        CommandType.VERIFY_PASS, {"opinion": "Panic bar fitted, door opens"}
    ).applied
    hazard = detail.hazard
    assert hazard.status is HazardStatus.CLOSED and hazard.after_photos == (after, after)
    assert hazard.verified_by == "p-lin" and hazard.funds_spent == "CNY 1,850"
    assert hazard.verification_opinion == "Panic bar fitted, door opens"
    timeline = detail.timeline()
    assert [e.event.type for e in timeline] == [
        "create", "set_interim_control", "assign_five_fixes", "submit_governance", "request_extension",
        "record_report", "approve_extension", "approve_governance", "start_rectification",
        "submit_rectified", "verify_fail", "submit_rectified", "verify_pass",
    ]  # fmt: skip
    # A refusal decided on the device is shown at once and never queued.
    assert all(e.applied for e in timeline)
    assert timeline[2].who == "王建国"
    workspace.sign_in("p-wang")
    assert CommandType.REOPEN in detail.actions()
    # Closed hazards leave the open list.
    assert HazardListModel(workspace, "en").load()[0].total == 1


def test_a_major_hazard_waits_for_its_plan_and_the_sign_off(workspace: Workspace) -> None:
    major = next(
        h
        for h in submitted_hazards(workspace)
        if HazardDetailModel(workspace, h, "en").hazard.is_major
    )
    detail = HazardDetailModel(workspace, major, "en")
    workspace.sign_in("p-lin")
    supervision = {"body": "Suzhou Emergency Management Bureau", "deadline": "2026-12-31"}
    assert detail.perform(CommandType.RECORD_SUPERVISION, supervision).applied
    workspace.sign_in("p-wang")
    detail.perform(CommandType.ASSIGN_FIVE_FIXES, PLAN)
    detail.perform(CommandType.START_RECTIFICATION, {})
    assert detail.perform(
        CommandType.SUBMIT_RECTIFIED, {"photos": [detail.add_photo(jpeg_bytes())]}
    ).applied
    workspace.sign_in("p-lin")
    assert detail.closing_needs() == ["governance", "signoff"]
    assert CommandType.VERIFY_PASS not in detail.actions()
    assert CommandType.VERIFY_FAIL in detail.actions()


def test_the_finder_fixes_on_the_spot_and_another_verifies(workspace: Workspace) -> None:
    general = next(
        h
        for h in submitted_hazards(workspace)
        if not HazardDetailModel(workspace, h, "en").hazard.is_major
    )
    detail = HazardDetailModel(workspace, general, "en")
    assert CommandType.FIX_ON_THE_SPOT in detail.actions()  # p-li found it
    with pytest.raises(FormError) as no_note:
        detail.perform(CommandType.FIX_ON_THE_SPOT, {"photos": [detail.add_photo(jpeg_bytes())]})
    assert no_note.value.field == "note"
    fixed = {"photos": [detail.add_photo(jpeg_bytes("green"))], "note": "Pallet moved off the exit"}
    assert detail.perform(CommandType.FIX_ON_THE_SPOT, fixed).applied
    hazard = detail.hazard
    assert hazard.status is HazardStatus.SUBMITTED and hazard.on_the_spot
    assert detail.is_excluded_from_verifying()
    assert CommandType.VERIFY_PASS not in detail.actions()
    workspace.sign_in("p-lin")
    assert detail.perform(CommandType.VERIFY_PASS, {"opinion": "Exit clear"}).applied


def test_origin_names_the_checklist_item(workspace: Workspace) -> None:
    hazard_id = submitted_hazards(workspace)[0]
    origin = HazardDetailModel(workspace, hazard_id, "zh").origin()
    assert origin is not None and origin[0]


def test_dashboard_month_rates_move_when_a_hazard_closes(workspace: Workspace) -> None:
    ids = submitted_hazards(workspace)
    workspace.sign_in("p-wang")
    board = DashboardModel(workspace, "en")
    assert board.month == (2026, 11)
    before = board.load()
    assert (before.figures.found, before.figures.rectified) == (2, 0)
    assert before.by_workshop == [type(before.by_workshop[0])("Stamping workshop", 2)]
    assert {b.label for b in before.by_category} == {"fire"}
    assert {f.asset.asset_id for f in before.hazards_to_be} >= {"CR-101"}
    general = next(h for h in ids if not HazardDetailModel(workspace, h, "en").hazard.is_major)
    detail = HazardDetailModel(workspace, general, "en")
    detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "contingency": ""})
    detail.perform(CommandType.START_RECTIFICATION, {})
    detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": [detail.add_photo(jpeg_bytes())]})
    workspace.sign_in("p-li")  # who found it verifies a general hazard
    assert detail.perform(CommandType.VERIFY_PASS, {"opinion": "Door opens freely"}).applied
    after = board.load()
    assert after.figures.general.percent() == "100.0%"
    assert after.figures.major.percent() == "0.0%" and after.figures.overall.percent() == "50.0%"
    assert after.at_month_end is None  # the month is still running
    board.previous_month()
    assert board.load().figures.found == 0 and board.load().at_month_end is not None
    board.next_month()
    board.next_month()  # no further than the current month
    assert board.month == (2026, 11)


def test_shift_month_crosses_years() -> None:
    assert shift_month((2026, 12), 1) == (2027, 1)
    assert shift_month((2026, 1), -1) == (2025, 12)
