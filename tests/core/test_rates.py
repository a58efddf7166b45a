"""The worked month of docs/rates.md: the same hazards, and the doc's tables read back and compared
with what core.rates computes; then the edges (the plant's day, a running month, on the spot)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Extension, ExtensionStatus, Hazard, HazardStatus
from inspect_app.core.rates import (
    PLANT_TIME,
    Counts,
    Period,
    open_counts,
    rectification_figures,
)
from tests.core.conftest import make_hazard

DOC = Path(__file__).parents[2] / "docs" / "rates.md"
OCT = Period.month(2026, 10)
CLOSED, OPEN, SUBMITTED = HazardStatus.CLOSED, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED


def _hazard(
    hazard_id: str,
    found: str,
    deadline: str,
    status: HazardStatus,
    closed: str | None = None,
    **extra: object,
) -> Hazard:
    grade = Grade.MAJOR if hazard_id.startswith("M") else Grade.GENERAL
    found_at = found if "+" in found or found.endswith("Z") else f"{found}+08:00"
    closed_at = f"{closed}+08:00" if closed else None
    return make_hazard(
        id=hazard_id,
        grade=grade,
        found_at=found_at,
        deadline=deadline,
        status=status,
        closed_at=closed_at,
        **extra,
    )


def worked_month() -> list[Hazard]:
    """docs/rates.md, "The hazards"."""
    extension = Extension(
        reason="Spare part on order",
        new_deadline="2026-11-10",
        previous_deadline="2026-10-22",
        requested_by="p-wang",
        requested_at="2026-10-19T09:00:00+08:00",
        status=ExtensionStatus.APPROVED,
        decided_by="p-lin",
        decided_at="2026-10-20T10:00:00+08:00",
    )
    return [
        _hazard("G1", "2026-09-20T09:00:00", "2026-09-30", OPEN),
        _hazard("G2", "2026-09-25T09:00:00", "2026-10-08", CLOSED, "2026-10-07T16:00:00"),
        _hazard("G3", "2026-10-02T09:00:00", "2026-10-09", CLOSED, "2026-10-08T16:00:00"),
        _hazard("G4", "2026-10-05T09:00:00", "2026-10-12", CLOSED, "2026-10-20T16:00:00"),
        _hazard("G5", "2026-10-15T09:00:00", "2026-11-10", OPEN, extensions=(extension,)),
        _hazard("G6", "2026-10-28T09:00:00", "2026-11-04", OPEN),
        _hazard("G7", "2026-10-30T09:00:00", "2026-11-06", CLOSED, "2026-11-03T10:00:00"),
        _hazard(
            "G8",
            "2026-10-10T09:00:00",
            "2026-10-10",
            SUBMITTED,
            on_the_spot=True,
            rectified_at="2026-10-10T09:20:00+08:00",
        ),
        _hazard("G9", "2026-10-12T09:00:00", "2026-10-19", HazardStatus.VOIDED),
        _hazard("G10", "2026-10-31T15:30:00+00:00", "2026-11-07", OPEN),
        _hazard("G11", "2026-10-20T09:00:00", "2026-10-31", CLOSED, "2026-11-02T11:00:00"),
        _hazard("G12", "2026-10-31T16:30:00+00:00", "2026-11-08", OPEN),
        _hazard("M1", "2026-09-10T09:00:00", "2026-10-15", CLOSED, "2026-10-14T17:00:00"),
        _hazard("M2", "2026-10-08T09:00:00", "2026-10-25", HazardStatus.ASSIGNED),
        _hazard("M3", "2026-10-20T09:00:00", "2026-11-30", HazardStatus.ASSIGNED),
    ]


ROWS = {
    "Backlog carried in": "backlog",
    "Found": "found",
    "Rectified on time": "rectified_on_time",
    "Rectified late": "rectified_late",
    "Open, not yet due": "open_not_yet_due",
    "Open, overdue": "open_overdue",
    "Fell due": "fell_due",
    "Fell due and rectified by the original deadline": "due_rectified_on_time",
    "Fell due and rectified": "due_rectified",
    "Found and rectified": "found_rectified",
}
RATES = {
    "整改率 (rectified / found)": "rate_of_found",
    "整改率 (rectified / fell due)": "rate_of_due",
    "按期整改率 (on time / fell due)": "on_time_rate",
}


def doc_table(heading: str) -> dict[str, list[str]]:
    """The Markdown table under ``heading`` in docs/rates.md: row label -> cells."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    lines = []
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            lines.append([cell.strip() for cell in line.strip("|").split("|")])
    return {re.sub(r"^\d+\. ", "", cells[0]).strip("* "): cells[1:] for cells in lines[1:]}


def _shown(counts: Counts, name: str) -> str:
    if name in RATES.values():
        rate = getattr(counts, name)
        return f"{rate.percent()} ({rate.numerator}/{rate.denominator})"
    return str(getattr(counts, name))


def _compare(heading: str, as_of: datetime | date | None) -> None:
    figures = rectification_figures(worked_month(), OCT, as_of)
    columns = (figures.by_grade[Grade.GENERAL], figures.by_grade[Grade.MAJOR], figures.total)
    table = doc_table(heading)
    expected = {**ROWS, **RATES}
    assert set(table) == set(expected)
    for label, name in expected.items():
        assert table[label] == [_shown(c, name) for c in columns], label


def test_the_worked_month_as_reported() -> None:
    _compare("### October 2026 as reported (as of the end of 31 October)", None)


def test_the_worked_month_looked_at_later() -> None:
    _compare("### October 2026 looked at on 22 November", date(2026, 11, 22))


def test_the_doc_lists_the_worked_months_hazards() -> None:
    listed = doc_table("### The hazards")
    assert sorted(listed) == sorted(h.id for h in worked_month())


def test_the_balance_holds_for_every_grade() -> None:
    figures = rectification_figures(worked_month(), OCT)
    for counts in (*figures.by_grade.values(), figures.total):
        assert counts.backlog + counts.found == (
            counts.rectified_on_time
            + counts.rectified_late
            + counts.open_not_yet_due
            + counts.open_overdue
        )
    november = rectification_figures(worked_month(), Period.month(2026, 11))
    assert november.total.backlog == (figures.total.open_not_yet_due + figures.total.open_overdue)


def test_the_month_boundary_is_the_plants_midnight() -> None:
    """G10 was found at 23:30 on 31 October in Suzhou (15:30 UTC): October. G12 at 00:30 on
    1 November (16:30 UTC on 31 October): November."""
    october = rectification_figures([h for h in worked_month() if h.id in {"G10", "G12"}], OCT)
    assert october.found == 1
    november = rectification_figures(
        [h for h in worked_month() if h.id == "G12"], Period.month(2026, 11)
    )
    assert november.found == 1


def test_during_a_running_month_a_hazard_due_today_is_not_overdue_yet() -> None:
    hazards = [_hazard("G1", "2026-10-02T09:00:00", "2026-10-20", OPEN)]
    during = rectification_figures(hazards, OCT, datetime(2026, 10, 20, 15, 0, tzinfo=PLANT_TIME))
    assert (during.total.fell_due, during.overdue, during.total.open_not_yet_due) == (0, 0, 1)
    # A day means the end of it: then the deadline has passed.
    evening = rectification_figures(hazards, OCT, date(2026, 10, 20))
    assert (evening.total.fell_due, evening.overdue) == (1, 1)
    assert evening.on_time.percent() == "0.0%"


def test_a_failed_on_the_spot_fix_is_no_longer_rectified() -> None:
    fixed = _hazard(
        "G8",
        "2026-10-10T09:00:00",
        "2026-10-10",
        OPEN,
        on_the_spot=True,
        rectified_at="2026-10-10T09:20:00+08:00",
    )
    figures = rectification_figures([fixed], OCT)
    assert (figures.rectified, figures.total.open_overdue) == (0, 1)


def test_an_extension_does_not_make_a_late_fix_on_time() -> None:
    g5 = next(h for h in worked_month() if h.id == "G5")
    fixed = replace(g5, status=CLOSED, closed_at="2026-10-29T10:00:00+08:00")
    closed = rectification_figures([fixed], OCT)
    assert (closed.total.rectified_on_time, closed.total.rectified_late) == (0, 1)
    assert closed.on_time.percent() == "0.0%"


def test_empty_period_has_no_rate() -> None:
    figures = rectification_figures([], Period.month(2026, 2))
    assert figures.overall.value is None and figures.overall.percent() == "—"
    assert figures.on_time.percent() == "—"
    before = rectification_figures(worked_month(), Period.month(2026, 12), date(2026, 11, 30))
    assert before.total == Counts()


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.month(2026, 12), date(2026, 12, 1), date(2026, 12, 31)),
        (Period.month(2028, 2), date(2028, 2, 1), date(2028, 2, 29)),
        (Period.quarter(2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
        (Period.quarter(2026, 4), date(2026, 10, 1), date(2026, 12, 31)),
        (Period.year(2026), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(period: Period, start: date, end: date) -> None:
    assert (period.start, period.end) == (start, end)
    assert period.ends == datetime.combine(end + timedelta(days=1), time(), PLANT_TIME)


def test_a_quarter_is_one_to_four() -> None:
    with pytest.raises(ValueError, match="quarter 5"):
        Period.quarter(2026, 5)


def test_open_counts_by_category() -> None:
    hazards = [*worked_month(), make_hazard(id="e1", category="electrical")]
    assert open_counts(hazards, "category") == {"—": 8, "electrical": 1}
