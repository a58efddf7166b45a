"""Rectification figures a plant reports: rectification rate, on-time rate, overdue count.

Rectification rate = hazards found in the period and verified-closed by ``as_of``, over hazards
found in the period (voided ones excluded), for general and major hazards separately. A month's
figure ``as_of`` its last day is what was reported then; ``as_of`` today shows how it stands now,
counting hazards found that month and closed later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Hazard, HazardStatus


@dataclass(frozen=True)
class Period:
    """Inclusive date range."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        next_month = date(year + month // 12, month % 12 + 1, 1)
        return cls(start, next_month - timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """None when nothing was found: a rate of an empty set is not 100%."""
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class RectificationFigures:
    period: Period
    as_of: date
    found: int
    closed: int
    general: Rate
    major: Rate
    overall: Rate
    on_time: Rate
    overdue: int
    overdue_major: int


def _closed_by(hazard: Hazard, as_of: date) -> bool:
    return (
        hazard.status is HazardStatus.CLOSED
        and hazard.closed_at is not None
        and date.fromisoformat(hazard.closed_at[:10]) <= as_of
    )


def rectification_figures(
    hazards: Iterable[Hazard], period: Period, as_of: date | None = None
) -> RectificationFigures:
    """The period's figures; ``as_of`` defaults to the period's last day."""
    as_of = as_of or period.end
    found: Counter[Grade] = Counter()
    closed: Counter[Grade] = Counter()
    closed_on_time = overdue = overdue_major = 0
    for hazard in hazards:
        if hazard.status is HazardStatus.VOIDED:
            continue
        found_day = hazard.found_date()
        open_then = found_day <= as_of and not _closed_by(hazard, as_of)
        if open_then and hazard.deadline_date() < as_of:
            overdue += 1
            overdue_major += hazard.is_major
        if not period.contains(found_day):
            continue
        found[hazard.grade] += 1
        if _closed_by(hazard, as_of):
            closed[hazard.grade] += 1
            closed_on_time += hazard.closed_on_time()
    total_found = sum(found.values())
    total_closed = sum(closed.values())
    return RectificationFigures(
        period=period,
        as_of=as_of,
        found=total_found,
        closed=total_closed,
        general=Rate(closed[Grade.GENERAL], found[Grade.GENERAL]),
        major=Rate(closed[Grade.MAJOR], found[Grade.MAJOR]),
        overall=Rate(total_closed, total_found),
        on_time=Rate(closed_on_time, total_closed),
        overdue=overdue,
        overdue_major=overdue_major,
    )


def open_counts(hazards: Iterable[Hazard], key: str) -> dict[str, int]:
    """Open hazards counted by an attribute such as ``workshop_id`` or ``category``."""
    counts: Counter[str] = Counter()
    for hazard in hazards:
        if hazard.status.is_open:
            counts[str(getattr(hazard, key) or "—")] += 1
    return dict(counts.most_common())
