"""Rectification figures of a period, as docs/rates.md defines them: a balance (backlog carried in
+ found = rectified on time + rectified late + open not yet due + open overdue), the hazards
that fell due, and the rates, for general and major hazards apart. The device's dashboard, HQ's
pages and the statistics export all count with this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import ExtensionStatus, Hazard, HazardStatus

#: The plant's time zone, in which days and months begin. China keeps +08:00 all year, so a
#: fixed offset needs no time-zone database on the device.
PLANT_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")


def local(timestamp: str) -> datetime:
    """A stored ISO timestamp as plant time; one without a zone is taken as plant time."""
    moment = datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PLANT_TIME)
    return moment.astimezone(PLANT_TIME)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), PLANT_TIME)


@dataclass(frozen=True)
class Period:
    """Inclusive range of plant days."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        next_month = date(year + month // 12, month % 12 + 1, 1)
        return cls(start, next_month - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} is not 1 to 4")
        first, last = Period.month(year, quarter * 3 - 2), Period.month(year, quarter * 3)
        return cls(first.start, last.end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def begins(self) -> datetime:
        return start_of(self.start)

    @property
    def ends(self) -> datetime:
        """The instant the period is over: the start of the day after its last."""
        return start_of(self.end + timedelta(days=1))


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """None when there is nothing to count: a rate of an empty set is not 100%."""
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class Counts:
    """One grade's (or both grades') figures of a period; docs/rates.md defines each."""

    backlog: int = 0  # open when the period began
    found: int = 0
    rectified_on_time: int = 0  # rectified in the period, by the original deadline
    rectified_late: int = 0  # rectified in the period, after it
    open_not_yet_due: int = 0  # open at the period's end, its deadline in effect not passed
    open_overdue: int = 0  # open at the period's end, its deadline in effect passed
    fell_due: int = 0  # original deadline in the period (and passed)
    due_rectified_on_time: int = 0  # of those, rectified by the original deadline
    due_rectified: int = 0  # of those, rectified by ``as_of``, on time or late
    found_rectified: int = 0  # found in the period and rectified by ``as_of``

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def rectified(self) -> int:
        return self.rectified_on_time + self.rectified_late

    @property
    def rate_of_found(self) -> Rate:
        """整改率 over the hazards found."""
        return Rate(self.found_rectified, self.found)

    @property
    def rate_of_due(self) -> Rate:
        """整改率 over the hazards that fell due."""
        return Rate(self.due_rectified, self.fell_due)

    @property
    def on_time_rate(self) -> Rate:
        """按期整改率."""
        return Rate(self.due_rectified_on_time, self.fell_due)


@dataclass(frozen=True)
class RectificationFigures:
    period: Period
    as_of: datetime
    by_grade: Mapping[Grade, Counts]

    @property
    def total(self) -> Counts:
        return sum(self.by_grade.values(), Counts())

    # The headline figures the dashboards show.
    @property
    def general(self) -> Rate:
        return self.by_grade[Grade.GENERAL].rate_of_found

    @property
    def major(self) -> Rate:
        return self.by_grade[Grade.MAJOR].rate_of_found

    @property
    def overall(self) -> Rate:
        return self.total.rate_of_found

    @property
    def on_time(self) -> Rate:
        return self.total.on_time_rate

    @property
    def found(self) -> int:
        return self.total.found

    @property
    def rectified(self) -> int:
        return self.total.found_rectified

    @property
    def overdue(self) -> int:
        return self.total.open_overdue

    @property
    def overdue_major(self) -> int:
        return self.by_grade[Grade.MAJOR].open_overdue


def combined(parts: Iterable[RectificationFigures]) -> list[RectificationFigures]:
    """The figures of a whole from those of its disjoint parts (every plant of a group), the
    same looks side by side: each look's counts summed grade by grade. A look no part has is
    absent; the looks keep the first part's order."""
    looks: dict[tuple[Period, datetime], dict[Grade, Counts]] = {}
    for part in parts:
        by_grade = looks.setdefault((part.period, part.as_of), {g: Counts() for g in Grade})
        for grade, counts in part.by_grade.items():
            by_grade[grade] = by_grade[grade] + counts
    return [RectificationFigures(p, a, g) for (p, a), g in looks.items()]


def original_deadline(hazard: Hazard) -> date:
    """What on time is measured against: an approved extension does not make a late fix on time."""
    return date.fromisoformat(hazard.original_deadline)


def deadline_at(hazard: Hazard, moment: datetime) -> date:
    """The deadline in effect at ``moment``: the original, moved by extensions approved before."""
    deadline = original_deadline(hazard)
    for extension in hazard.extensions:
        decided = extension.decided_at or extension.requested_at
        if extension.status is ExtensionStatus.APPROVED and local(decided) < moment:
            deadline = date.fromisoformat(extension.new_deadline)
    return deadline


def rectified_at(hazard: Hazard) -> datetime | None:
    """When the hazard counts as rectified: when verified and closed; a fix on the spot when it
    was made, while it waits for verification (not after a failed one)."""
    if hazard.status is HazardStatus.CLOSED and hazard.closed_at:
        if hazard.on_the_spot and hazard.rectified_at:
            return local(hazard.rectified_at)
        return local(hazard.closed_at)
    if hazard.on_the_spot and hazard.status is HazardStatus.SUBMITTED and hazard.rectified_at:
        return local(hazard.rectified_at)
    return None


def _passed(deadline: date, moment: datetime) -> bool:
    """A deadline passes when its day ends."""
    return start_of(deadline + timedelta(days=1)) <= moment


def _as_instant(as_of: datetime | date | None, period: Period) -> datetime:
    if as_of is None:
        return period.ends
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=PLANT_TIME)
    return start_of(as_of + timedelta(days=1))  # a day: at its end


def _count(hazard: Hazard, period: Period, as_of: datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    cut = min(as_of, period.ends)  # the balance stops at the period's end, or now if earlier
    found = local(hazard.found_at)
    rectified = rectified_at(hazard)
    original = original_deadline(hazard)

    def rectified_before(moment: datetime) -> bool:
        return rectified is not None and rectified < moment

    if found >= cut:
        return counts
    if found < period.begins:
        counts["backlog"] += not rectified_before(period.begins)
    else:
        counts["found"] += 1
        counts["found_rectified"] += rectified_before(as_of)
    if rectified is not None and period.begins <= rectified < cut:
        on_time = rectified.date() <= original
        counts["rectified_on_time" if on_time else "rectified_late"] += 1
    elif not rectified_before(cut):
        overdue = _passed(deadline_at(hazard, cut), cut)
        counts["open_overdue" if overdue else "open_not_yet_due"] += 1
    if period.contains(original) and _passed(original, cut):
        counts["fell_due"] += 1
        counts["due_rectified"] += rectified_before(as_of)
        counts["due_rectified_on_time"] += rectified is not None and rectified.date() <= original
    return counts


def rectification_figures(
    hazards: Iterable[Hazard], period: Period, as_of: datetime | date | None = None
) -> RectificationFigures:
    """The period's figures over ``hazards`` (one scope: the plant, a workshop).

    ``as_of`` is when one looks: an instant, or a day meaning at its end; by default the end of
    the period. Looking later than the period's end keeps the balance at the period's end and
    counts, among the hazards found or due in it, those rectified since."""
    moment = _as_instant(as_of, period)
    tallies: dict[Grade, Counter[str]] = {grade: Counter() for grade in Grade}
    for hazard in hazards if moment > period.begins else ():  # a period not begun is empty
        if hazard.status is not HazardStatus.VOIDED:
            tallies[hazard.grade].update(_count(hazard, period, moment))
    return RectificationFigures(
        period=period,
        as_of=moment,
        by_grade={grade: Counts(**tally) for grade, tally in tallies.items()},
    )


def open_counts(hazards: Iterable[Hazard], key: str) -> dict[str, int]:
    """Open hazards counted by an attribute such as ``workshop_id`` or ``category``."""
    counts: Counter[str] = Counter()
    for hazard in hazards:
        if hazard.status.is_open:
            counts[str(getattr(hazard, key) or "—")] += 1
    return dict(counts.most_common())
