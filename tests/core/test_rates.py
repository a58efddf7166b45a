"""Rate arithmetic on a hand-built month, including hazards found in one month and closed later."""

from __future__ import annotations

from datetime import date

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import HazardStatus
from inspect_app.core.rates import Period, open_counts, rectification_figures
from tests.core.conftest import make_hazard

OCT = Period.month(2026, 10)


def hazards() -> list:
    closed = HazardStatus.CLOSED
    return [
        # October, general: closed on time, closed late, closed in November, still open.
        make_hazard(
            id="g1",
            found_at="2026-10-02T09:00:00",
            deadline="2026-10-09",
            status=closed,
            closed_at="2026-10-08T16:00:00",
        ),
        make_hazard(
            id="g2",
            found_at="2026-10-05T09:00:00",
            deadline="2026-10-12",
            status=closed,
            closed_at="2026-10-20T16:00:00",
        ),
        make_hazard(
            id="g3",
            found_at="2026-10-30T09:00:00",
            deadline="2026-11-06",
            status=closed,
            closed_at="2026-11-03T10:00:00",
        ),
        make_hazard(
            id="g4",
            found_at="2026-10-15T09:00:00",
            deadline="2026-10-22",
            status=HazardStatus.RECTIFYING,
            category="electrical",
        ),
        # October, major: one closed, one open and overdue.
        make_hazard(
            id="m1",
            grade=Grade.MAJOR,
            found_at="2026-10-01T08:00:00",
            deadline="2026-10-04",
            status=closed,
            closed_at="2026-10-03T08:00:00",
        ),
        make_hazard(
            id="m2",
            grade=Grade.MAJOR,
            found_at="2026-10-25T08:00:00",
            deadline="2026-10-28",
            status=HazardStatus.ASSIGNED,
        ),
        # Voided: never counted. September and November: outside the period.
        make_hazard(id="v1", found_at="2026-10-10T08:00:00", status=HazardStatus.VOIDED),
        make_hazard(
            id="s1", found_at="2026-09-29T08:00:00", deadline="2026-10-06", status=HazardStatus.OPEN
        ),
        make_hazard(
            id="n1",
            found_at="2026-11-02T08:00:00",
            deadline="2026-11-09",
            status=closed,
            closed_at="2026-11-05T08:00:00",
        ),
    ]


def test_month_as_reported_at_month_end() -> None:
    figures = rectification_figures(hazards(), OCT)
    assert figures.as_of == date(2026, 10, 31)
    assert (figures.found, figures.closed) == (6, 3)
    assert (figures.general.numerator, figures.general.denominator) == (2, 4)
    assert (figures.major.numerator, figures.major.denominator) == (1, 2)
    assert figures.overall.percent() == "50.0%"
    assert (figures.on_time.numerator, figures.on_time.denominator) == (2, 3)
    # Open on 31 Oct past deadline: g3? no (deadline 6 Nov); g4, m2, s1 yes.
    assert (figures.overdue, figures.overdue_major) == (3, 1)


def test_same_month_as_of_later_counts_the_november_closing() -> None:
    figures = rectification_figures(hazards(), OCT, as_of=date(2026, 11, 22))
    assert (figures.general.numerator, figures.general.denominator) == (3, 4)
    assert figures.overall.percent() == "66.7%"
    assert (figures.on_time.numerator, figures.on_time.denominator) == (3, 4)
    assert figures.overdue == 3


def test_empty_period_has_no_rate() -> None:
    figures = rectification_figures([], Period.month(2026, 2))
    assert figures.overall.value is None and figures.overall.percent() == "—"
    assert Period.month(2026, 12).end == date(2026, 12, 31)
    assert Period.month(2028, 2).end == date(2028, 2, 29)


def test_open_counts_by_category() -> None:
    assert open_counts(hazards(), "category") == {"—": 2, "electrical": 1}
