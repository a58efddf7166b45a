"""Answer evaluation: readings, choices, dates, N/A, show_if, repeats, progress, blockers."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.core.checklist import (
    Category,
    Checklist,
    Item,
    ItemType,
    OnFail,
    Option,
    PassIf,
    PhotoRule,
    Repeat,
    Section,
    ShowIf,
    ShowIfOperator,
)
from inspect_app.core.evaluation import (
    BlockReason,
    Outcome,
    evaluate,
    failures,
    finish_blockers,
    progress,
    slots,
)
from inspect_app.core.inspection import Answer, Inspection
from inspect_app.core.text import LocalText

TODAY = date(2026, 11, 22)
T = LocalText.of


def item(item_id: str, item_type: ItemType = ItemType.PASS_FAIL, **kw: object) -> Item:
    return Item(id=item_id, type=item_type, prompt=T(item_id), **kw)  # type: ignore[arg-type]


EARTH = item(
    "earth",
    ItemType.READING,
    unit="Ω",
    pass_if=PassIf(max=4),
    on_fail=OnFail(photo=PhotoRule.OPTIONAL),
)
THERMAL = item(
    "thermal",
    ItemType.CHOICE,
    options=(Option("normal", T("Normal")), Option("hot", T("Hot"))),
    fail_on=("hot",),
)
SERVICE = item("service", ItemType.DATE, within_days=365)
HAS_SPRINKLER = item("has-sprinkler", allow_na=True)
VALVE = item(
    "valve",
    show_if=ShowIf("has-sprinkler", ShowIfOperator.EQUALS, "pass"),
    on_fail=OnFail(photo=PhotoRule.REQUIRED),
)
GAUGE = item("gauge", on_fail=OnFail(photo=PhotoRule.REQUIRED))
REMARK = item("remark", ItemType.TEXT, required=False)

CHECKLIST = Checklist(
    id="demo",
    version=1,
    category=Category.FIRE,
    title=T("Demo"),
    sections=(
        Section("general", T("General"), (EARTH, THERMAL, SERVICE, HAS_SPRINKLER, VALVE, REMARK)),
        Section("ext", T("Extinguishers"), (GAUGE,), Repeat(T("Extinguisher"), T("Tag"), min=1)),
    ),
)


def inspection(*answers: Answer, tags: tuple[str, ...] = ()) -> Inspection:
    result = Inspection("i-1", "demo", 1, "h", "ws-a", "p-li", "2026-11-22T08:00:00+08:00")
    for tag in tags:
        result = result.with_instance("ext", tag)
    for answer in answers:
        result = result.with_answer(answer)
    return result


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        ("3.9", Outcome.PASS),
        ("4", Outcome.PASS),
        ("4,01", Outcome.FAIL),
        (12, Outcome.FAIL),
        ("abc", Outcome.INVALID),
        ("", Outcome.UNANSWERED),
    ],
)
def test_reading_against_threshold(value: str | float, outcome: Outcome) -> None:
    assert evaluate(EARTH, Answer("earth", value), TODAY) is outcome


def test_choice_and_date_and_na() -> None:
    assert evaluate(THERMAL, Answer("thermal", "hot"), TODAY) is Outcome.FAIL
    assert evaluate(THERMAL, Answer("thermal", "normal"), TODAY) is Outcome.PASS
    assert evaluate(THERMAL, Answer("thermal", "lukewarm"), TODAY) is Outcome.INVALID
    assert evaluate(SERVICE, Answer("service", "2025-11-22"), TODAY) is Outcome.PASS
    assert evaluate(SERVICE, Answer("service", "2025-11-21"), TODAY) is Outcome.FAIL
    assert evaluate(SERVICE, Answer("service", "2027-01-01"), TODAY) is Outcome.INVALID
    assert evaluate(HAS_SPRINKLER, Answer("has-sprinkler", "na"), TODAY) is Outcome.NA
    assert evaluate(GAUGE, Answer("gauge", "na"), TODAY) is Outcome.INVALID
    assert evaluate(REMARK, Answer("remark", "ok"), TODAY) is Outcome.RECORDED


def test_show_if_hides_until_condition_holds() -> None:
    ids = [s.item.id for s in slots(CHECKLIST, inspection())]
    assert "valve" not in ids
    shown = inspection(Answer("has-sprinkler", "pass"))
    assert "valve" in [s.item.id for s in slots(CHECKLIST, shown)]
    hidden = inspection(Answer("has-sprinkler", "na"))
    assert "valve" not in [s.item.id for s in slots(CHECKLIST, hidden)]


def test_repeated_section_is_answered_per_tag() -> None:
    walk = inspection(
        Answer("gauge", "fail", tag="F-12"),
        Answer("gauge", "pass", tag="F-13"),
        tags=("F-12", "F-13"),
    )
    assert [(s.item.id, s.tag) for s in slots(CHECKLIST, walk) if s.section.id == "ext"] == [
        ("gauge", "F-12"),
        ("gauge", "F-13"),
    ]
    assert [(f.slot.item.id, f.slot.tag) for f in failures(CHECKLIST, walk, TODAY)] == [
        ("gauge", "F-12"),
    ]
    with pytest.raises(ValueError, match="already used"):
        walk.with_instance("ext", "F-12")


def test_progress_counts_visible_items() -> None:
    walk = inspection(Answer("earth", "2"), Answer("has-sprinkler", "pass"), tags=("F-1",))
    assert str(progress(CHECKLIST, walk, TODAY)) == "2 / 7"


def test_finish_blockers_name_what_is_missing() -> None:
    assert BlockReason.TOO_FEW_INSTANCES in {
        b.reason for b in finish_blockers(CHECKLIST, inspection(), TODAY)
    }
    walk = inspection(
        Answer("earth", "9"),
        Answer("thermal", "normal"),
        Answer("service", "2026-06-01"),
        Answer("has-sprinkler", "pass"),
        Answer("valve", "pass"),
        Answer("gauge", "fail", tag="F-12"),
        tags=("F-12",),
    )
    blockers = finish_blockers(CHECKLIST, walk, TODAY)
    assert [(b.reason, b.item_id, b.tag) for b in blockers] == [
        (BlockReason.PHOTO_REQUIRED, "gauge", "F-12"),
    ]
    fixed = walk.with_answer(Answer("gauge", "fail", tag="F-12", photos=("a" * 64,)))
    assert finish_blockers(CHECKLIST, fixed, TODAY) == []
    assert len(failures(CHECKLIST, fixed, TODAY)) == 2  # earth 9 Ω and the gauge


def test_submitted_inspection_is_read_only() -> None:
    done = inspection().submitted("2026-11-22T10:00:00+08:00", "李明")
    with pytest.raises(ValueError, match="read-only"):
        done.with_answer(Answer("earth", "1"))
    assert Inspection.from_dict(done.to_dict()) == done
