"""The shipped checklists as a registered safety engineer checked them (issue #12): one test per
corrected item, named after it, so a regression names the item; and the whole set's invariants."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest

from inspect_app.core.checklist import (
    Checklist,
    Grade,
    Item,
    ItemType,
    LimitRef,
    LimitScope,
    MajorRule,
    OnFail,
    Risk,
)
from inspect_app.loaders.checklist_loader import load_checklists
from inspect_app.loaders.criteria import shipped_criteria
from inspect_app.resources import shipped_checklists_dir

#: Item references that name no Chinese standard in force.
OUTDATED = ("NFPA", "OSHA", "ASME", "ANSI", "ISO 5057", "TSG N0001", "GB/T 6067.1", "GB 30000-2013")


@cache
def shipped() -> dict[str, Checklist]:
    checklists, errors = load_checklists([shipped_checklists_dir()])
    assert [str(e) for e in errors] == []
    return {c.id: c for c in checklists}


def item(checklist_id: str, item_id: str) -> Item:
    return shipped()[checklist_id].item(item_id)


def on_fail(checklist_id: str, item_id: str) -> OnFail:
    found = item(checklist_id, item_id).on_fail
    assert found is not None, item_id
    return found


def assert_major(checklist_id: str, item_id: str, criterion: str, clause: str) -> None:
    rule = on_fail(checklist_id, item_id)
    assert rule.grade is Grade.MAJOR and rule.risk is Risk.RED
    assert rule.major_rule == MajorRule(criterion, clause)


def assert_general_stop_use(checklist_id: str, item_id: str) -> None:
    """Regraded from major: general, red, and the suggested fix stops use (or the work) now."""
    rule = on_fail(checklist_id, item_id)
    assert rule.grade is Grade.GENERAL and rule.risk is Risk.RED and rule.major_rule is None
    assert rule.suggested_fix is not None
    assert "stop" in rule.suggested_fix.get("en").lower() and "停" in rule.suggested_fix.get("zh")


def failable(checklist: Checklist) -> list[Item]:
    return [
        i
        for i in checklist.items()
        if i.type in (ItemType.PASS_FAIL, ItemType.READING, ItemType.DATE)
        or (i.type is ItemType.CHOICE and i.fail_on)
    ]


# -- the whole set ----------------------------------------------------------------------------


def test_the_shipped_set_passes_inspect_app_checklists_validate() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "inspect_app",
            "checklists",
            "validate",
            str(shipped_checklists_dir()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.endswith(f"{len(shipped())} checklists OK, 0 invalid\n")


def test_every_failable_item_words_its_failure_in_both_languages() -> None:
    missing = [
        f"{c.id}/{i.id}"
        for c in shipped().values()
        for i in failable(c)
        if i.finding is None
        or not i.finding.get("zh")
        or not i.finding.get("en")
        or i.finding.get("zh") == i.finding.get("en")
    ]
    assert missing == []


def test_every_major_cites_a_listed_clause_of_a_criterion() -> None:
    criteria = shipped_criteria()
    for checklist in shipped().values():
        for i in checklist.items():
            if i.on_fail and i.on_fail.grade is Grade.MAJOR:
                rule = i.on_fail.major_rule
                assert rule is not None and (rule.criterion, rule.clause) in criteria.clauses, i.id


def test_no_item_cites_a_foreign_or_outdated_reference() -> None:
    cited = {
        f"{c.id}/{i.id}": i.reference
        for c in shipped().values()
        for i in c.items()
        if i.reference and any(old in i.reference for old in OUTDATED)
    }
    assert cited == {}


# -- major on a non-criterion, now general (red, stop use) ------------------------------------


@pytest.mark.parametrize(
    ("checklist_id", "item_id"),
    [
        ("electrical-monthly", "loto"),
        ("electrical-monthly", "ex-area"),
        ("flood-season", "pump-run"),
        ("workplace-environment", "guarding"),
        ("fire-monthly", "hot-work-permit"),
        ("crane-frequent", "cr-certificate"),
        ("crane-frequent", "cr-brakes"),
        ("crane-frequent", "cr-upper-limit"),
        ("crane-frequent", "cr-hook-damage"),
        ("crane-frequent", "cr-rope"),
        ("forklift-pre-shift", "fl-registration"),
        ("forklift-pre-shift", "fl-operator"),
        ("forklift-pre-shift", "fl-brakes"),
        ("boiler-monthly", "bl-operator"),
        ("elevator-monthly", "el-certificate"),
        ("pressure-vessel-monthly", "pv-certificate"),
        ("pressure-vessel-monthly", "pv-shell"),
    ],
)
def test_regraded_general_stop_use(checklist_id: str, item_id: str) -> None:
    assert_general_stop_use(checklist_id, item_id)


def test_lightning_earth_is_general_red() -> None:
    rule = on_fail("flood-season", "lightning-earth")
    assert rule.grade is Grade.GENERAL and rule.risk is Risk.RED


def test_exit_clear_is_general_red_fix_now_without_an_unverified_fire_clause() -> None:
    rule = on_fail("fire-monthly", "exit-clear")
    assert (rule.grade, rule.risk, rule.deadline_days) == (Grade.GENERAL, Risk.RED, 0)


def test_sprinkler_valve_is_general_red_fix_now_without_an_unverified_fire_clause() -> None:
    rule = on_fail("fire-monthly", "sprinkler-valve")
    assert (rule.grade, rule.risk, rule.deadline_days) == (Grade.GENERAL, Risk.RED, 0)


def test_pv_safety_valve_is_general_red() -> None:
    rule = on_fail("pressure-vessel-monthly", "pv-safety-valve")
    assert rule.grade is Grade.GENERAL and rule.risk is Risk.RED


# -- general that should be major, and majors citing their clause ----------------------------


def test_electrician_cert_is_major_by_order_10_art_3_2() -> None:
    assert_major("electrical-monthly", "electrician-cert", "MEM Order 10 (2023)", "3(2)")
    assert on_fail("electrical-monthly", "electrician-cert").deadline_days == 0


def test_el_door_protection_is_major_by_gb45067_5_6_2() -> None:
    assert_major("elevator-monthly", "el-door-protection", "GB 45067-2024", "5.6.2")


def test_el_interlock_cites_gb45067_5_6_4() -> None:
    assert_major("elevator-monthly", "el-interlock", "GB 45067-2024", "5.6.4")


def test_bl_water_gauges_cites_gb45067_5_2_3() -> None:
    assert_major("boiler-monthly", "bl-water-gauges", "GB 45067-2024", "5.2.3")


def test_bl_safety_valve_works_cites_gb45067_5_2_4() -> None:
    assert_major("boiler-monthly", "bl-safety-valve-works", "GB 45067-2024", "5.2.4")
    assert on_fail("boiler-monthly", "bl-safety-valve").grade is Grade.GENERAL  # calibration date


def test_bl_low_water_cites_gb45067_5_2_6() -> None:
    assert_major("boiler-monthly", "bl-low-water", "GB 45067-2024", "5.2.6")


def test_bl_flame_cites_gb45067_5_2_7() -> None:
    assert_major("boiler-monthly", "bl-flame", "GB 45067-2024", "5.2.7")


def test_cr_emergency_stop_cites_gb45067_5_7_3() -> None:
    assert_major("crane-frequent", "cr-emergency-stop", "GB 45067-2024", "5.7.3")


# -- missing majors, added ----------------------------------------------------------------------


def test_cr_overload_fitted_is_major_by_gb45067_5_7_4() -> None:
    assert_major("crane-frequent", "cr-overload-fitted", "GB 45067-2024", "5.7.4")


def test_cr_overload_works_is_major_by_gb45067_5_7_5() -> None:
    assert_major("crane-frequent", "cr-overload-works", "GB 45067-2024", "5.7.5")


def test_paint_gas_alarm_is_major_by_order_10_art_7_7() -> None:
    assert_major("workplace-environment", "paint-gas-alarm", "MEM Order 10 (2023)", "7(7)")
    assert item("workplace-environment", "paint-gas-alarm").allow_na  # water-based paint only


def test_paint_ex_electrics_is_general_red_not_in_order_10() -> None:
    assert_general_stop_use("workplace-environment", "paint-ex-electrics")


def test_bl_inspection_conclusion_is_major_by_gb45067_5_2_1() -> None:
    assert_major("boiler-monthly", "bl-inspection-conclusion", "GB 45067-2024", "5.2.1")
    assert_general_stop_use("boiler-monthly", "bl-inspection-date")


def test_cs_identified_is_major_by_order_10_art_13_1() -> None:
    assert_major("workplace-environment", "cs-identified", "MEM Order 10 (2023)", "13(1)")


def test_cs_entry_is_major_by_order_10_art_13_2() -> None:
    assert_major("workplace-environment", "cs-entry", "MEM Order 10 (2023)", "13(2)")
    prompt = item("workplace-environment", "cs-entry").prompt.get("zh")
    assert "先通风、再检测、后作业" in prompt and "监护" in prompt


# -- thresholds -----------------------------------------------------------------------------------


def test_ext_service_water_every_year_after_the_first_three() -> None:
    serviced = item("fire-monthly", "ext-service-water")
    assert serviced.within_days == 365 and "3" in serviced.prompt.get("en")


def test_ext_service_powder_every_two_years_after_the_first_five() -> None:
    serviced = item("fire-monthly", "ext-service-powder")
    assert serviced.within_days == 730 and "5" in serviced.prompt.get("en")
    assert serviced.show_if is not None and serviced.show_if.value == ["powder", "co2"]


def test_ext_made_scrap_ages_by_agent() -> None:
    days = {
        agent: item("fire-monthly", f"ext-made-{agent}").within_days
        for agent in ("water", "powder", "co2")
    }
    assert days == {"water": 2191, "powder": 3652, "co2": 4383}  # 6, 10 and 12 years


def test_ext_service_date_is_gone() -> None:
    assert not shipped()["fire-monthly"].has_item("ext-service-date")


def test_hydrant_pressure_at_least_0_10_mpa() -> None:
    pressure = item("fire-monthly", "hydrant-pressure")
    assert pressure.pass_if is not None and pressure.pass_if.min == 0.10
    assert on_fail("fire-monthly", "hydrant-pressure").grade is Grade.GENERAL


def test_lightning_test_date_every_six_months() -> None:
    tested = item("flood-season", "lightning-test-date")
    assert tested.within_days == 183 and "第十九条" in (tested.reference or "")
    assert "GB/T 21431-2023" in (tested.reference or "")


def test_pv_pressure_is_the_vessels_own_limit() -> None:
    pressure = item("pressure-vessel-monthly", "pv-pressure")
    assert pressure.pass_if is not None
    assert pressure.pass_if.max == LimitRef(LimitScope.ASSET, "max_pressure")


def test_rcd_current_is_the_rating_set_for_the_area() -> None:
    current = item("electrical-monthly", "rcd-current")
    assert current.pass_if is not None
    assert current.pass_if.max == LimitRef(LimitScope.AREA, "rcd_rated_ma")


def test_rcd_time_is_the_rating_set_for_the_area() -> None:
    time = item("electrical-monthly", "rcd-time")
    assert time.pass_if is not None and time.pass_if.max == LimitRef(LimitScope.AREA, "rcd_break_s")


def test_board_pe_checks_continuity_not_4_ohm() -> None:
    assert not shipped()["electrical-monthly"].has_item("board-earth")
    pe = item("electrical-monthly", "board-pe")
    assert pe.type is ItemType.PASS_FAIL and "continu" in pe.prompt.get("en").lower()


def test_lighting_is_the_illuminance_set_for_the_area() -> None:
    lighting = item("workplace-environment", "lighting")
    assert lighting.pass_if is not None and lighting.pass_if.min == LimitRef(LimitScope.AREA, "lux")


def test_sandbags_follow_the_flood_plan_not_an_invented_200() -> None:
    sandbags = item("flood-season", "sandbags")
    assert sandbags.type is ItemType.PASS_FAIL and sandbags.pass_if is None
    assert "GB 50201" not in (sandbags.reference or "") and "flood plan" in sandbags.prompt.get(
        "en"
    )


def test_fl_hours_is_checked_against_the_trucks_service_hours() -> None:
    hours = item("forklift-pre-shift", "fl-hours")
    assert hours.pass_if is not None
    assert hours.pass_if.max == LimitRef(LimitScope.ASSET, "service_due_hours")
    assert hours.required and hours.on_fail is not None


# -- outdated references ------------------------------------------------------------------------


def test_forklift_items_cite_tsg_81_2022() -> None:
    for item_id in (
        "fl-registration",
        "fl-tyres",
        "fl-leaks",
        "fl-brakes",
        "fl-steering",
        "fl-presence-sensor",
    ):
        assert "TSG 81-2022" in (item("forklift-pre-shift", item_id).reference or ""), item_id


def test_crane_items_cite_gb_6067_1_2010() -> None:
    for item_id in (
        "cr-rated-load",
        "cr-brakes",
        "cr-upper-limit",
        "cr-travel-limits",
        "cr-slings",
    ):
        assert "GB 6067.1-2010" in (item("crane-frequent", item_id).reference or ""), item_id


def test_chemical_labels_cite_the_gb_30000_series_and_gb_15258() -> None:
    reference = item("workplace-environment", "chemical-labels").reference or ""
    assert "GB 30000.2~30000.29-2013" in reference and "GB 15258-2009" in reference


# -- the has-sprinkler bug ------------------------------------------------------------------------


def test_has_sprinkler_no_creates_no_hazard() -> None:
    sprinkler = item("fire-monthly", "has-sprinkler")
    assert (
        sprinkler.type is ItemType.CHOICE and sprinkler.fail_on == () and sprinkler.on_fail is None
    )
    assert [o.value for o in sprinkler.options] == ["yes", "no"]
    assert item("fire-monthly", "sprinkler-valve").show_if.value == "yes"  # type: ignore[union-attr]


# -- missing items, added -----------------------------------------------------------------------


def test_fire_pump_manual_monthly() -> None:
    manual = item("fire-monthly", "fire-pump-manual")
    assert manual.within_days == 31 and manual.reference == "GB 50974-2014 14.0.4"


def test_fire_pump_auto_weekly() -> None:
    auto = item("fire-monthly", "fire-pump-auto")
    assert auto.within_days == 7 and auto.reference == "GB 50974-2014 14.0.4"


def test_rcd_button_monthly() -> None:
    assert item("electrical-monthly", "rcd-button").type is ItemType.PASS_FAIL
    assert on_fail("electrical-monthly", "rcd-button").risk is Risk.RED


def test_pre_season_check() -> None:
    assert "汛前检查" in item("flood-season", "pre-season-check").prompt.get("zh")


def test_typhoon_items() -> None:
    assert on_fail("flood-season", "typhoon-secure").risk is Risk.RED
    assert item("flood-season", "typhoon-response").on_fail is not None


def test_press_guarding() -> None:
    assert_general_stop_use("workplace-environment", "press-guarding")


def test_gas_cylinder_store_per_tsg_23_2021() -> None:
    for item_id in ("cylinder-store", "cylinder-inspection", "cylinder-room"):
        assert item("workplace-environment", item_id).reference == "TSG 23-2021", item_id


def test_fl_presence_sensor_for_tsg_81_2022_trucks() -> None:
    sensor = item("forklift-pre-shift", "fl-presence-sensor")
    assert sensor.allow_na and on_fail("forklift-pre-shift", "fl-presence-sensor").risk is Risk.RED


# -- versions -----------------------------------------------------------------------------------


def test_every_changed_checklist_has_its_version_bumped() -> None:
    assert {c.id: c.version for c in shipped().values()} == {
        "boiler-monthly": 2,
        "crane-frequent": 2,
        "electrical-monthly": 2,
        "elevator-monthly": 2,
        "fire-monthly": 2,
        "flood-season": 2,
        "forklift-pre-shift": 2,
        "pressure-vessel-monthly": 2,
        "workplace-environment": 2,
    }
