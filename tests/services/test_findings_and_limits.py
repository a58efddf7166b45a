"""A finding's words and a reading's limits on the device: the hazard's description falls back to
the item's finding wording, else "Not OK: <prompt>"; limits named by a checklist are set from the
site file for the inspection's asset or area, and a missing one stops the start."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Answer
from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.services.workspace import Workspace

CUSTOM = """\
id: custom-check
version: 1
category: other
title: Custom
sections:
  - id: s1
    title: Section
    items:
      - id: worded
        type: pass_fail
        prompt: {en: "Drain clear", zh: "排水沟畅通"}
        finding: {en: "Drain blocked with silt", zh: "排水沟淤积堵塞"}
      - id: plain
        type: pass_fail
        prompt: {en: "Guard fitted", zh: "防护罩齐全"}
      - id: limiter
        type: pass_fail
        prompt: Overload limiter fitted
        on_fail: {grade: major, risk: red, major_rule: {criterion: GB 45067-2024, clause: "5.7.4"}}
"""


def submit_failing_all(ws: Workspace) -> dict[str, Hazard]:
    result = load_checklist_text(CUSTOM, "custom.yaml")
    assert result.checklist is not None
    ws.catalog.add(result.checklist)
    service = InspectionService(ws)
    inspection = service.start(result.checklist, "ws-stamping")
    for item_id in ("worded", "plain", "limiter"):
        inspection = service.answer(inspection, Answer(item_id, "fail"))
    hazards = service.submit(inspection, "李明").hazards
    return {h.item_id or "": h for h in hazards}


def test_the_description_is_the_items_finding_else_not_ok_and_the_prompt(
    workspace: Workspace,
) -> None:
    hazards = submit_failing_all(workspace)
    assert hazards["worded"].description == "Drain blocked with silt"
    assert hazards["plain"].description == "Not OK: Guard fitted"


def test_in_chinese_the_fallback_is_chinese(workspace: Workspace) -> None:
    workspace.store.set_meta("language", "zh")
    hazards = submit_failing_all(workspace)
    assert hazards["worded"].description == "排水沟淤积堵塞"
    assert hazards["plain"].description == "不合格：防护罩齐全"


def test_the_hazard_carries_the_major_rule_as_criterion_and_clause(workspace: Workspace) -> None:
    limiter = submit_failing_all(workspace)["limiter"]
    assert limiter.major_rule == "GB 45067-2024 5.7.4"
    assert limiter.grade.value == "major"


def test_a_vessels_own_pressure_limit_is_set_at_start(workspace: Workspace) -> None:
    service = InspectionService(workspace)
    checklist = workspace.catalog.latest("pressure-vessel-monthly")
    for asset_id, limit in (("PV-201", 0.8), ("PV-202", 1.0)):
        inspection = service.start(checklist, "ws-utilities", asset_id=asset_id)
        resolved = service.checklist_of(inspection).item("pv-pressure")
        assert resolved.pass_if is not None and resolved.pass_if.max == limit
        assert resolved.pass_if.accepts(limit) and not resolved.pass_if.accepts(limit + 0.05)


def test_area_limits_need_an_area_and_resolve_for_it(workspace: Workspace) -> None:
    service = InspectionService(workspace)
    checklist = workspace.catalog.latest("workplace-environment")
    with pytest.raises(InspectionError, match=r"pick the area: .*\(lux\)"):
        service.start(checklist, "ws-assembly")
    inspection = service.start(checklist, "ws-assembly", "test-bay")
    lighting = service.checklist_of(inspection).item("lighting")
    assert lighting.pass_if is not None and lighting.pass_if.min == 500


def test_a_limit_the_site_file_does_not_set_stops_the_start(workspace: Workspace) -> None:
    site = workspace.catalog.site
    bare = tuple(replace(e, limits=()) if e.asset_id == "PV-202" else e for e in site.equipment)
    workspace.catalog.site = replace(site, equipment=bare)
    service = InspectionService(workspace)
    checklist = workspace.catalog.latest("pressure-vessel-monthly")
    with pytest.raises(InspectionError, match="the site file sets no max_pressure for PV-202"):
        service.start(checklist, "ws-welding", asset_id="PV-202")
