"""Walking an inspection through the services: every answer durable, failures become hazards and
commands queued with contiguous seqs in one transaction, hazard actions decided and queued."""

from __future__ import annotations

import pytest

from inspect_app.core.hazard import HazardStatus
from inspect_app.core.inspection import Answer, Finding
from inspect_app.core.workflow import CommandResult, CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.services.workspace import Workspace
from tests.services.conftest import jpeg_bytes


def walk_fire(ws: Workspace, *, with_photo: bool = True):  # type: ignore[no-untyped-def]
    service = InspectionService(ws)
    checklist = ws.catalog.latest("fire-monthly")
    inspection = service.start(checklist, "ws-stamping", "stamping-line-1")
    inspection = service.add_instance(inspection, "extinguishers", "F-12")
    for slot_item in checklist.items():
        section = checklist.section_of(slot_item.id)
        tag = "F-12" if section.repeat else None
        passing = next((o.value for o in slot_item.options if o.value not in slot_item.fail_on), "")
        value = {"reading": "0.25", "date": "2026-11-20", "choice": passing, "text": "ok"}.get(
            slot_item.type.value, "pass"
        )
        inspection = service.answer(inspection, Answer(slot_item.id, value, tag=tag))
    inspection = service.answer(inspection, Answer("ext-gauge", "fail", tag="F-12"))
    inspection = service.set_finding(
        inspection, "ext-gauge", "F-12", Finding("Gauge in red, cylinder empty")
    )
    inspection = service.answer(inspection, Answer("exit-clear", "fail", note="Door 3 chained"))
    if with_photo:
        inspection = service.attach_photo(inspection, "ext-gauge", "F-12", jpeg_bytes("red"))
        inspection = service.attach_photo(inspection, "exit-clear", None, jpeg_bytes("blue"))
    return service, inspection


def test_answers_survive_a_restart(workspace: Workspace) -> None:
    _, inspection = walk_fire(workspace)
    root = workspace.store.root.parent
    workspace.store.close()
    reopened = open_workspace(root)
    again = InspectionService(reopened).get(inspection.id)
    assert again.answers == inspection.answers
    assert again.instances == {"extinguishers": ("F-12",)}
    reopened.store.close()


def test_submit_turns_failures_into_hazards_and_queues_everything(workspace: Workspace) -> None:
    service, inspection = walk_fire(workspace)
    submission = service.submit(inspection, "李明")
    assert submission.inspection.is_submitted
    descriptions = sorted(h.description for h in submission.hazards)
    assert descriptions == [
        "Exit or escape route blocked or locked — Door 3 chained",
        "[F-12] Gauge in red, cylinder empty",
    ]
    exit_hazard = next(h for h in submission.hazards if h.item_id == "exit-clear")
    # General, red, fixed now (deadline today): no GB 35181-2025 clause could be verified.
    assert exit_hazard.grade.value == "general" and exit_hazard.deadline == "2026-11-22"
    assert exit_hazard.reference == "GB 50016-2014"
    outbox = workspace.store.pending_outbox()
    assert [e["kind"] for e in outbox] == ["inspection", "command", "command"]
    assert [e["command"]["seq"] for e in outbox[1:]] == [1, 2]
    assert len(workspace.store.list_hazards()) == 2
    with pytest.raises(ValueError, match="read-only"):
        service.answer(submission.inspection, Answer("ext-gauge", "pass", tag="F-12"))


def test_required_photo_blocks_submit(workspace: Workspace) -> None:
    service, inspection = walk_fire(workspace, with_photo=False)
    with pytest.raises(InspectionError, match="not complete"):
        service.submit(inspection, "李明")
    assert workspace.store.pending_outbox() == []


def test_hazard_actions_are_decided_and_queued(workspace: Workspace) -> None:
    service, inspection = walk_fire(workspace)
    hazard = service.submit(inspection, "李明").hazards[0]
    hazards = HazardService(workspace)
    refused = hazards.act(hazard, CommandType.ASSIGN_FIVE_FIXES, {})
    assert refused.result is CommandResult.FORBIDDEN  # an inspector cannot plan the fix
    assert len(workspace.store.pending_outbox()) == 3
    workspace.sign_in("p-wang")
    assert CommandType.ASSIGN_FIVE_FIXES in hazards.actions(hazard)
    decision = hazards.act(
        hazard,
        CommandType.ASSIGN_FIVE_FIXES,
        {
            "responsible_id": "p-zhao",
            "measures": "Replace",
            "funds": "CNY 300",
            "deadline": "2026-11-25",
            "contingency": "Guard at the door",
        },
    )
    assert decision.applied
    stored = hazards.get(hazard.id)
    assert stored is not None and stored.status is HazardStatus.ASSIGNED
    last = workspace.store.pending_outbox()[-1]["command"]
    assert last["seq"] == 3 and last["expected_from"] == "open"
    page = hazards.page(hazards.default_filter())
    assert page.total == 2 and page.hazards[0].risk.value == "red"  # the exit, first


def test_a_broken_hazard_record_is_left_out_not_fatal(workspace: Workspace) -> None:
    service, inspection = walk_fire(workspace)
    hazard = service.submit(inspection, "李明").hazards[0]
    broken = {**hazard.to_dict(), "id": "hz-broken", "found_at": "not-a-date"}
    with workspace.store.transaction() as tx:
        tx.put_hazard(broken)
    hazards = HazardService(workspace)
    ids = {h.id for h in hazards.all()}
    assert hazard.id in ids and "hz-broken" not in ids
    assert hazards.get("hz-broken") is None
    assert hazards.page(hazards.default_filter()).total == len(ids)
