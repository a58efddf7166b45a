"""The hazards screens' logic without Flet: list filters, urgency order and paging; the detail's
actions per role and state through the forms; the dashboard's month figures."""

from __future__ import annotations

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import HazardStatus
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


def submitted_hazards(ws: Workspace) -> list[str]:
    service, inspection = walk_fire(ws)
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


def test_the_closed_loop_through_the_forms(workspace: Workspace) -> None:
    major = next(
        h for h in submitted_hazards(workspace) if HazardDetailModel(workspace, h, "en").hazard.is_major
    )
    detail = HazardDetailModel(workspace, major, "en")
    # An inspector may not plan the fix: the action is not offered.
    assert CommandType.ASSIGN_FIVE_FIXES not in detail.actions()
    workspace.sign_in("p-wang")
    assert detail.actions()[:1] == [CommandType.ASSIGN_FIVE_FIXES]
    assert CommandType.VOID not in detail.actions()  # HQ admins only
    # A major hazard's plan needs its contingency part.
    contingency = next(f for f in form_fields(CommandType.ASSIGN_FIVE_FIXES, detail.hazard) if f.name == "contingency")
    assert contingency.required
    with pytest.raises(FormError) as missing:
        detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "contingency": " "})
    assert missing.value.field == "contingency"
    with pytest.raises(FormError) as bad_date:
        detail.perform(CommandType.ASSIGN_FIVE_FIXES, {**PLAN, "deadline": "30/11/2026"})
    assert bad_date.value.field == "deadline"
    assert detail.perform(CommandType.ASSIGN_FIVE_FIXES, PLAN).applied
    extension = detail.perform(
        CommandType.REQUEST_EXTENSION, {"reason": "Lock on order", "new_deadline": "2026-11-29"}
    )
    assert extension.result is CommandResult.INVALID  # not after the current deadline
    assert "after 2026-11-30" in extension.message
    assert detail.perform(
        CommandType.REQUEST_EXTENSION, {"reason": "Lock on order", "new_deadline": "2026-12-05"}
    ).applied
    # The responsible person rectifies, with an after-photo.
    workspace.sign_in("p-zhao")
    assert detail.perform(CommandType.START_RECTIFICATION, {}).applied
    with pytest.raises(FormError):
        detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": []})
    after = detail.add_photo(jpeg_bytes("green"))
    assert detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": [after], "note": "Chain removed"}).applied
    # Whoever rectified may not verify.
    assert CommandType.VERIFY_PASS not in detail.actions()
    assert detail.is_refused_for_rectifier(CommandType.VERIFY_PASS)
    workspace.sign_in("p-wang")
    assert detail.perform(CommandType.VERIFY_FAIL, {"reason": "Chain still on the hook"}).applied
    assert detail.hazard.status is HazardStatus.RECTIFYING
    workspace.sign_in("p-zhao")
    assert detail.perform(CommandType.SUBMIT_RECTIFIED, {"photos": [after]}).applied
    workspace.sign_in("p-wang")
    assert detail.perform(CommandType.VERIFY_PASS, {}).applied
    hazard = detail.hazard
    assert hazard.status is HazardStatus.CLOSED and hazard.after_photos == (after, after)
    assert hazard.plan is not None and hazard.plan.deadline == "2026-11-30"
    assert [e.new_deadline for e in hazard.extensions] == ["2026-12-05"]
    timeline = detail.timeline()
    assert [e.event.type for e in timeline] == [
        "create", "assign_five_fixes", "request_extension", "start_rectification", "submit_rectified", "verify_fail", "submit_rectified", "verify_pass",
    ]  # fmt: skip
    # A refusal decided on the device is shown at once and never queued.
    assert all(e.applied for e in timeline)
    assert timeline[1].who == "王建国"
    assert CommandType.REOPEN in detail.actions()
    # Closed hazards leave the open list.
    assert HazardListModel(workspace, "en").load()[0].total == 1


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
    workspace.sign_in("p-zhao")
    assert detail.perform(CommandType.VERIFY_PASS, {}).applied
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
