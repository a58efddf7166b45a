"""The major-hazard criteria check: a major grade needs a clause of one of the three criteria
listed in checklists/criteria.yaml; named limits and fix-now deadlines in the format."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_app.core.checklist import LimitRef, LimitScope, MajorRule, PassIf
from inspect_app.loaders.checklist_loader import checklist_files, load_checklist_text
from inspect_app.loaders.criteria import CriteriaError, load_criteria, shipped_criteria
from inspect_app.loaders.site_loader import load_site_text
from inspect_app.resources import demo_site_path, shipped_checklists_dir

HEAD = """\
id: demo-list
version: 1
category: fire
title: {en: Demo, zh: 演示}
sections:
  - id: s1
    title: Section
    items:
"""


def errors(item: str, head: str = HEAD) -> list[str]:
    result = load_checklist_text(head + f"      - {item}\n", "f.yaml")
    return [str(e) for e in result.errors]


def test_the_shipped_criteria_are_the_three_that_decide_a_major_hazard() -> None:
    assert list(shipped_criteria().titles) == [
        "MEM Order 10 (2023)",
        "GB 45067-2024",
        "GB 35181-2025",
    ]


def test_a_listed_clause_makes_a_structured_rule_shown_as_criterion_and_clause() -> None:
    rule = "{criterion: GB 45067-2024, clause: '5.7.4'}"
    text = (
        HEAD
        + f"      - {{id: a, type: pass_fail, prompt: P, on_fail: {{grade: major, major_rule: {rule}}}}}\n"
    )
    checklist = load_checklist_text(text, "f.yaml").checklist
    assert checklist is not None
    on_fail = checklist.item("a").on_fail
    assert on_fail is not None and on_fail.major_rule == MajorRule("GB 45067-2024", "5.7.4")
    assert on_fail.major_rule.label == "GB 45067-2024 5.7.4" == str(on_fail.major_rule)


def test_an_unknown_criterion_is_a_load_error() -> None:
    rule = "{criterion: GB 50057-2010, clause: '4.1'}"
    assert errors(
        f"{{id: a, type: pass_fail, prompt: P, on_fail: {{grade: major, major_rule: {rule}}}}}"
    ) == [
        "f.yaml:9:93: major_rule.criterion 'GB 50057-2010' does not decide a major hazard: use one "
        "of MEM Order 10 (2023), GB 45067-2024, GB 35181-2025"
    ]


def test_a_clause_not_listed_in_the_criteria_file_is_a_load_error() -> None:
    rule = "{criterion: GB 45067-2024, clause: '5.7.9'}"
    [message] = errors(
        f"{{id: a, type: pass_fail, prompt: P, on_fail: {{grade: major, major_rule: {rule}}}}}"
    )
    assert message.startswith(
        "f.yaml:9:116: major_rule.clause '5.7.9' of GB 45067-2024 is not in criteria.yaml (listed: 5.2.1,"
    )


def test_a_major_grade_without_a_rule_is_a_load_error() -> None:
    assert errors("{id: a, type: pass_fail, prompt: P, on_fail: {grade: major, risk: red}}") == [
        "f.yaml:9:54: a major grade needs on_fail.major_rule: the clause of MEM Order 10 (2023) "
        "or GB 45067-2024 or GB 35181-2025 it meets"
    ]


def test_a_rule_on_a_general_grade_is_a_load_error() -> None:
    rule = "{criterion: GB 45067-2024, clause: '5.7.4'}"
    assert errors(f"{{id: a, type: pass_fail, prompt: P, on_fail: {{major_rule: {rule}}}}}") == [
        "f.yaml:9:55: on_fail.major_rule only goes with grade: major"
    ]


def test_a_rule_as_plain_text_is_a_load_error() -> None:
    assert errors(
        "{id: a, type: pass_fail, prompt: P, on_fail: {grade: major, major_rule: GB 45067-2024 5.7.4}}"
    ) == ["f.yaml:9:81: major_rule must be a mapping of keys to values, not 'GB 45067-2024 5.7.4'"]


def test_deadline_zero_means_fix_now_and_is_allowed() -> None:
    text = HEAD + "      - {id: a, type: pass_fail, prompt: P, on_fail: {deadline_days: 0}}\n"
    checklist = load_checklist_text(text, "f.yaml").checklist
    assert checklist is not None and checklist.item("a").on_fail.deadline_days == 0  # type: ignore[union-attr]


def test_a_reading_names_an_area_limit_and_an_asset_limit_needs_an_asset_checklist() -> None:
    text = (
        HEAD + "      - {id: a, type: reading, prompt: P, unit: lx, pass_if: {min: {area: lux}}}\n"
    )
    checklist = load_checklist_text(text, "f.yaml").checklist
    assert checklist is not None
    assert checklist.item("a").pass_if == PassIf(LimitRef(LimitScope.AREA, "lux"))
    assert errors(
        "{id: a, type: reading, prompt: P, unit: MPa, pass_if: {max: {asset: max_pressure}}}"
    ) == ["f.yaml:9:69: an asset limit needs a checklist with an asset_type"]
    assert errors("{id: a, type: reading, prompt: P, unit: lx, pass_if: {min: {area: Lux!}}}") == [
        "f.yaml:9:75: pass_if.min limit 'Lux!' must be a-z, 0-9 and '_'"
    ]


def test_the_criteria_file_refuses_a_verified_clause_without_its_text(tmp_path: Path) -> None:
    path = tmp_path / "criteria.yaml"
    path.write_text(
        "criteria: [{id: X, title: T}]\n"
        "clauses: [{id: x-1, criterion: X, clause: '1', en: gloss, verified: true}]\n",
        "utf-8",
    )
    with pytest.raises(CriteriaError, match="needs its zh text and source"):
        load_criteria(path)


def test_the_criteria_file_is_not_read_as_a_checklist() -> None:
    names = [p.name for p in checklist_files([shipped_checklists_dir()])]
    assert "criteria.yaml" not in names and "fire-monthly.yaml" in names


def test_site_limits_load_for_areas_and_equipment_and_are_checked() -> None:
    text = demo_site_path().read_text("utf-8")
    site = load_site_text(text, "site.yaml").site
    assert site is not None
    assert dict(site.asset("PV-201").limits) == {"max_pressure": 0.8}  # type: ignore[union-attr]
    area = site.workshop("ws-stamping").area("stamping-line-1")  # type: ignore[union-attr]
    assert area is not None and dict(area.limits)["lux"] == 300
    bad = text.replace("limits: {max_pressure: 0.8}", "limits: {max_pressure: high}")
    [message] = [str(e) for e in load_site_text(bad, "site.yaml").errors]
    assert message.endswith("limits.max_pressure must be a number, not 'high'")
