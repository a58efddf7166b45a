"""HQ's figures computed where the data is: the rectification figures of docs/rates.md as SQL
aggregates over the hazard columns denormalised from the JSON (``hazard_columns``), grouped by
plant, workshop and grade, and the open and overdue lists paged by key (never more than a page
read). ``core.rates`` defines every figure; the tests compare the two on the same data.

Instants are stored as plant-local timestamps of one fixed width (``STAMP``), so comparing the
text compares the instants, on SQLite and PostgreSQL alike, and a plant day is the first ten
characters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
)

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import ExtensionStatus, Hazard, HazardStatus
from inspect_app.core.rates import (
    PLANT_TIME,
    Counts,
    Period,
    RectificationFigures,
    deadline_at,
    local,
    rectified_at,
)
from inspect_app.server import schema, tallies
from inspect_app.server.scope import Scope
from inspect_app.server.tallies import MEASURES, month_of

STAMP = "%Y-%m-%dT%H:%M:%S.%f"
OPEN_STATUSES = tuple(s.value for s in HazardStatus if s.is_open)
#: Longest page of a hazard list.
PAGE_MAX = 200
Group = Literal["plant", "workshop"] | None
_FIGURES = tuple(f.name for f in fields(Counts))


def stamp(moment: datetime) -> str:
    return moment.astimezone(PLANT_TIME).strftime(STAMP)


def _stamp_of(timestamp: str | None) -> str | None:
    return None if not timestamp else stamp(local(timestamp))


def hazard_columns(hazard: Hazard, plant_id: str | None) -> dict[str, Any]:
    """The columns a hazard row holds beside its JSON, for the figures and the lists."""
    approved = [
        local(e.decided_at or e.requested_at)
        for e in hazard.extensions
        if e.status is ExtensionStatus.APPROVED
    ]
    done = rectified_at(hazard)
    return {
        "plant_id": plant_id,
        "workshop_id": hazard.workshop_id,
        "status": hazard.status.value,
        "grade": hazard.grade.value,
        "found_at": _stamp_of(hazard.found_at),
        "original_deadline": hazard.original_deadline,
        # The deadline in effect once every approved extension counts, and since when it is.
        "deadline": deadline_at(hazard, datetime.max.replace(tzinfo=PLANT_TIME)).isoformat(),
        "deadline_set_at": stamp(max(approved)) if approved else None,
        "closed_at": _stamp_of(hazard.closed_at),
        "rectified_at": _stamp_of(hazard.rectified_at),
        "on_the_spot": hazard.on_the_spot,
        "done_at": None if done is None else stamp(done),
    }


def _scoped(
    scope: Scope, plant_id: str | None, workshop_id: str | None, by_place: bool = True
) -> ColumnElement[bool]:
    """The hazards of the scope, plant and workshop; ``by_place`` False compares expressions,
    not the columns, so that a database reads the rows a figure counts by their own (covering)
    index rather than every hazard of the plant by its."""
    table = schema.hazards
    plant, workshop = table.c.plant_id, table.c.workshop_id
    if not by_place:
        plant, workshop = func.coalesce(plant, ""), func.coalesce(workshop, "")
    conditions = [scope.workshop_filter(workshop)]
    if plant_id is not None:
        conditions.append(plant == plant_id)
    if workshop_id is not None:
        conditions.append(workshop == workshop_id)
    return and_(*conditions)


def _group_column(by: Group) -> ColumnElement[Any]:
    """The group's key ("" for no plant); an expression, not the bare column, so that SQLite
    does not walk the whole column's index for the grouping instead of reading only the rows
    counted."""
    table = schema.hazards
    if by is None:
        return literal("")
    column = table.c.plant_id if by == "plant" else table.c.workshop_id
    return func.coalesce(column, "")


def _as_instant(as_of: datetime | date | None, period: Period) -> datetime:
    """As ``core.rates``: an instant, a day meaning at its end, by default the period's end."""
    if as_of is None:
        return period.ends
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=PLANT_TIME)
    return datetime.combine(as_of + timedelta(days=1), datetime.min.time(), PLANT_TIME)


def _last_passed_day(moment: datetime) -> str:
    """The last day whose deadline has passed at ``moment``: a deadline passes when its day ends."""
    return (moment.astimezone(PLANT_TIME).date() - timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class _Look:
    """One period looked at from one moment: what each figure counts, as SQL conditions."""

    period: Period
    moment: datetime

    @property
    def cut(self) -> datetime:
        return min(self.moment, self.period.ends)

    def measures(self) -> dict[str, ColumnElement[bool]]:
        table = schema.hazards
        begins, cut, as_of = stamp(self.period.begins), stamp(self.cut), stamp(self.moment)
        passed = _last_passed_day(self.cut)
        found, done, original = table.c.found_at, table.c.done_at, table.c.original_deadline
        done_day = func.substr(done, 1, 10)
        period = self.period
        fell_due = and_(
            original >= period.start.isoformat(),
            original <= period.end.isoformat(),
            original <= passed,
        )
        rectified_in = and_(done.is_not(None), done >= begins, done < cut)
        is_open = or_(done.is_(None), done >= cut)
        known_deadline = or_(table.c.deadline_set_at.is_(None), table.c.deadline_set_at < cut)
        measures = {
            "backlog": and_(found < begins, or_(done.is_(None), done >= begins)),
            "found": found >= begins,
            "found_rectified": and_(found >= begins, done.is_not(None), done < as_of),
            "rectified_on_time": and_(rectified_in, done_day <= original),
            "rectified_late": and_(rectified_in, done_day > original),
            "open_overdue": and_(is_open, known_deadline, table.c.deadline <= passed),
            "open_not_yet_due": and_(is_open, known_deadline, table.c.deadline > passed),
            "fell_due": fell_due,
            "due_rectified": and_(fell_due, done.is_not(None), done < as_of),
            "due_rectified_on_time": and_(fell_due, done.is_not(None), done_day <= original),
        }
        return {name: and_(found < cut, condition) for name, condition in measures.items()}

    def moved_after_cut(self) -> ColumnElement[bool]:
        """Open at the cut with a deadline moved since: core.rates says which deadline held."""
        table = schema.hazards
        cut = stamp(self.cut)
        return and_(
            table.c.deadline_set_at >= cut,
            table.c.found_at < cut,
            or_(table.c.done_at.is_(None), table.c.done_at >= cut),
        )


def _relevant(looks: list[_Look]) -> list[ColumnElement[bool]]:
    """The rows a figure can count, in disjoint parts summed apart, each read from a covering
    index alone (``ix_hazards_figures``, ``ix_hazards_found_figures``, ``ix_hazards_due_figures``):
    never rectified; found in the periods; found before them and rectified since; found and
    rectified before them but due in them. Everything else, most of the history, counts in no
    figure and is not read. "Found before the cut" is in the measures, not here, or a database
    would walk that index over the whole history."""
    table = schema.hazards
    done, found, original = table.c.done_at, table.c.found_at, table.c.original_deadline
    begins = stamp(min(look.period.begins for look in looks))
    first = min(look.period.start for look in looks).isoformat()
    last = max(look.period.end for look in looks).isoformat()
    rectified = done.is_not(None)
    # An expression, not the column: the index to read is the other term's.
    found_before = func.coalesce(found, "") < begins
    return [
        done.is_(None),
        and_(found >= begins, rectified),
        and_(done >= begins, found_before),
        and_(original >= first, original <= last, func.coalesce(done, "") < begins, found_before),
    ]


Tallies = dict[str, dict[Grade, Counter[str]]]


def _tally(tallies: Tallies, group: str | None, grade: str) -> Counter[str]:
    grades = tallies.setdefault(group or "", {g: Counter() for g in Grade})
    return grades[Grade(grade)]


def _count_rows(
    conn: Connection,
    looks: list[_Look],
    parts: list[ColumnElement[bool]],
    scoped: ColumnElement[bool],
    by: Group,
    tallies: list[Tallies],
) -> None:
    """Add each look's figures over the hazard rows of ``parts`` (disjoint) to its tallies."""
    table = schema.hazards
    key = _group_column(by).label("key")
    counted = and_(scoped, table.c.status != HazardStatus.VOIDED.value)
    sums = [
        func.sum(case((condition, 1), else_=0)).label(f"{name}_{index}")
        for index, look in enumerate(looks)
        for name, condition in look.measures().items()
    ]
    for part in parts:
        for row in conn.execute(
            select(key, table.c.grade, *sums).where(counted, part).group_by(key, table.c.grade)
        ):
            for index, found in enumerate(tallies):
                _tally(found, row.key, row.grade).update(
                    {name: int(row._mapping[f"{name}_{index}"] or 0) for name in _FIGURES}
                )
    for look, found in zip(looks, tallies, strict=True):
        passed = _last_passed_day(look.cut)
        for row in conn.execute(
            select(key, table.c.grade, table.c.data).where(counted, look.moved_after_cut())
        ):
            overdue = deadline_at(Hazard.from_dict(row.data), look.cut).isoformat() <= passed
            _tally(found, row.key, row.grade)[
                "open_overdue" if overdue else "open_not_yet_due"
            ] += 1


def _month_key(period: Period) -> str | None:
    """The tallies' key of a calendar month; None for another period."""
    if period.start.day != 1 or period != Period.month(period.start.year, period.start.month):
        return None
    return month_of(period.start)


def _closed(look: _Look) -> bool:
    """A month looked at from its end: its figures are its tallies."""
    return look.moment == look.period.ends and _month_key(look.period) is not None


def _touched(begins: datetime) -> list[ColumnElement[bool]]:
    """The hazards a period from ``begins`` (a month's start) counts, in disjoint parts, but
    the settled ones (tallies.py): found since, rectified since, due since, or never rectified
    and extended or due since. Every other hazard counts nothing, or as settled."""
    table = schema.hazards
    done, found, original = table.c.done_at, table.c.found_at, table.c.original_deadline
    since, first = stamp(begins), begins.date().isoformat()
    found_before = func.coalesce(found, "") < since  # expressions: each part's own index is read
    not_done_since = func.coalesce(done, "") < since
    # Not "done_at IS NULL" alone: the never-rectified are most of the history's open hazards.
    never_done = and_(
        found_before, func.coalesce(done, "") == "", func.coalesce(original, "") < first
    )
    return [
        found >= since,
        and_(done >= since, found_before),
        and_(original >= first, found_before, not_done_since),
        and_(never_done, table.c.deadline_set_at >= since),
        and_(
            never_done,
            func.coalesce(table.c.deadline_set_at, "") < since,
            table.c.deadline >= first,
        ),
    ]


def _from_tallies(
    conn: Connection,
    closed: list[tuple[_Look, Tallies]],
    settled: list[tuple[str, _Look, Tallies]],
    scoped: ColumnElement[bool],
    by: Group,
) -> None:
    """Add the closed months' figures, and the settled hazards at each given month's start, to
    their tallies, from one query over the month tallies: plain sums per group, grade and
    month (the months charted and the total row), the states worked out from them here."""
    if not closed and not settled:
        return
    table = schema.hazard_tallies
    month = table.c.month
    # An expression, as in _group_column: grouping by the bare column would walk its index
    # over every month of history instead of reading the months asked for by the key.
    key = (literal("") if by is None else func.coalesce(table.c[f"{by}_id"], "")).label("key")
    wanted = [_month_key(look.period) or "" for look, _ in closed] + [at for at, _, _ in settled]
    summed: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    for row in conn.execute(
        select(key, table.c.grade, month, *(func.sum(table.c[m]).label(m) for m in MEASURES))
        .where(scoped, or_(month == tallies.TOTAL, month >= min(wanted)))
        .group_by(key, table.c.grade, month)
    ):
        values = row._mapping
        summed.setdefault((row.key, row.grade), {})[row.month] = {
            m: int(values[m] or 0) for m in MEASURES
        }
    for (group, grade), months in summed.items():
        state = partial(_state, months)
        for look, found in closed:
            at = _month_key(look.period) or ""
            points = months.get(at, {})
            opened = state("open_delta", at, begun=False)
            overdue = state("overdue_delta", at, begun=False)
            counts = {name: points.get(name, 0) for name in tallies.POINTS}
            counts.update(
                backlog=state("open_delta", at, begun=True),
                open_overdue=overdue,
                open_not_yet_due=opened - overdue,
            )
            if any(counts.values()):
                _tally(found, group, grade).update(counts)
        for at, _, found in settled:
            number = state("settled_delta", at, begun=False)
            if number:
                _tally(found, group, grade).update(backlog=number, open_overdue=number)


def _state(months: dict[str, dict[str, int]], delta: str, at: str, begun: bool) -> int:
    """A delta's state at the start (``begun``) or the end of month ``at``: its total less the
    months after that."""
    later = sum(
        v[delta] for m, v in months.items() if m != tallies.TOTAL and (m >= at if begun else m > at)
    )
    return months.get(tallies.TOTAL, {}).get(delta, 0) - later


def _tallies_scoped(
    scope: Scope, plant_id: str | None, workshop_id: str | None
) -> ColumnElement[bool]:
    table = schema.hazard_tallies
    conditions = [scope.workshop_filter(table.c.workshop_id)]
    if plant_id is not None:
        conditions.append(table.c.plant_id == plant_id)
    if workshop_id is not None:
        conditions.append(table.c.workshop_id == workshop_id)
    return and_(*conditions)


def _count(
    conn: Connection,
    looks: list[_Look],
    scope: Scope,
    plant_id: str | None,
    workshop_id: str | None,
    by: Group,
) -> list[dict[str, RectificationFigures]]:
    """Each look's figures per group. A month looked at from its end is read from the month
    tallies alone; a period from a month's start, from the hazards it touches (``_touched``)
    and the tallies' settled ones; any other period, from the hazards any figure can count."""
    found: list[Tallies] = [{} for _ in looks]
    scoped = _scoped(scope, plant_id, workshop_id, by_place=False)
    closed, settled, rest = [], [], []
    for look, tally in zip(looks, found, strict=True):
        if _closed(look):
            closed.append((look, tally))
        elif look.period.start.day == 1:
            settled.append((month_of(look.period.start), look, tally))
        else:
            rest.append((look, tally))
    _from_tallies(conn, closed, settled, _tallies_scoped(scope, plant_id, workshop_id), by)
    for _, look, tally in settled:
        _count_rows(conn, [look], _touched(look.period.begins), scoped, by, [tally])
    if rest:
        others = [look for look, _ in rest]
        _count_rows(conn, others, _relevant(others), scoped, by, [t for _, t in rest])
    return [
        {
            group: RectificationFigures(
                look.period, look.moment, {g: Counts(**c) for g, c in grades.items()}
            )
            for group, grades in tally.items()
        }
        for look, tally in zip(looks, found, strict=True)
    ]


def figures(
    conn: Connection,
    period: Period,
    as_of: datetime | date | None = None,
    *,
    scope: Scope,
    by: Group = None,
    plant_id: str | None = None,
    workshop_id: str | None = None,
) -> dict[str, RectificationFigures]:
    """The period's figures per plant or workshop (``by``), or under "" for the whole scope; a
    group with no counted hazard is absent."""
    look = _Look(period, _as_instant(as_of, period))
    if look.moment <= period.begins:  # a period not begun is empty
        return {}
    return _count(conn, [look], scope, plant_id, workshop_id, by)[0]


def month_figures(
    conn: Connection,
    today: date,
    months: int,
    *,
    scope: Scope,
    plant_id: str | None = None,
    workshop_id: str | None = None,
) -> list[RectificationFigures]:
    """The last ``months`` months, oldest first, each as it stands today."""
    found = month_figures_by(
        conn, today, months, scope=scope, by=None, plant_id=plant_id, workshop_id=workshop_id
    )
    return found.get("") or _month_looks(today, months)[1]


def _month_looks(today: date, months: int) -> tuple[list[_Look], list[RectificationFigures]]:
    """The looks at the last ``months`` months, and their empty figures."""
    looks = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        period = Period.month(year, month + 1)
        looks.append(_Look(period, _as_instant(min(period.end, today), period)))
    nothing = {g: Counts() for g in Grade}
    return looks, [RectificationFigures(look.period, look.moment, nothing) for look in looks]


def month_figures_by(
    conn: Connection,
    today: date,
    months: int,
    *,
    scope: Scope,
    by: Group,
    plant_id: str | None = None,
    workshop_id: str | None = None,
) -> dict[str, list[RectificationFigures]]:
    """The last ``months`` months per plant or workshop (or under "" for the scope), oldest
    first, in one read of the tallies and one of the hazards this month touches; a group with
    nothing counted is absent."""
    looks, empty = _month_looks(today, months)
    counted = _count(conn, looks, scope, plant_id, workshop_id, by)
    groups = sorted({group for found in counted for group in found})
    return {
        group: [found.get(group, none) for found, none in zip(counted, empty, strict=True)]
        for group in groups
    }


@dataclass(frozen=True)
class OpenCounts:
    """A group's open hazards now: all, majors, and overdue (all and majors)."""

    open: int = 0
    open_major: int = 0
    overdue: int = 0
    overdue_major: int = 0


def open_counts(
    conn: Connection,
    now: datetime,
    *,
    scope: Scope,
    by: Group = None,
    plant_id: str | None = None,
    workshop_id: str | None = None,
) -> dict[str, OpenCounts]:
    """Open hazards per plant or workshop (or under "" for the scope), at ``now``."""
    table = schema.hazards
    key = _group_column(by).label("key")
    major = table.c.grade == Grade.MAJOR.value
    overdue = table.c.deadline <= _last_passed_day(now)

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = conn.execute(
        select(
            key,
            func.count().label("open"),
            count(major).label("open_major"),
            count(overdue).label("overdue"),
            count(and_(major, overdue)).label("overdue_major"),
        )
        .where(_scoped(scope, plant_id, workshop_id), table.c.status.in_(OPEN_STATUSES))
        .group_by(key)
    )
    return {
        row.key or "": OpenCounts(
            int(row.open), int(row.open_major), int(row.overdue), int(row.overdue_major)
        )
        for row in rows
    }


@dataclass(frozen=True)
class ListedHazard:
    id: str
    plant_id: str | None
    workshop_id: str
    grade: str
    status: str
    found_at: str | None
    deadline: str


@dataclass(frozen=True)
class HazardPage:
    rows: list[ListedHazard]
    #: The key to pass as ``after`` for the next page; None on the last page.
    next_after: tuple[str, str] | None


def _listed(
    now: datetime,
    scope: Scope,
    status: str | None,
    overdue_only: bool,
    plant_id: str | None,
    workshop_id: str | None,
    grade: Grade | None,
) -> list[ColumnElement[bool]]:
    table = schema.hazards
    conditions = [
        _scoped(scope, plant_id, workshop_id),
        table.c.status == status if status else table.c.status.in_(OPEN_STATUSES),
        table.c.deadline.is_not(None),
    ]
    if overdue_only:
        conditions.append(table.c.deadline <= _last_passed_day(now))
    if grade is not None:
        conditions.append(table.c.grade == grade.value)
    return conditions


def listed_count(
    conn: Connection,
    now: datetime,
    *,
    scope: Scope,
    status: str | None = None,
    overdue_only: bool = False,
    plant_id: str | None = None,
    workshop_id: str | None = None,
    grade: Grade | None = None,
) -> int:
    """How many hazards ``open_page`` lists over all its pages."""
    conditions = _listed(now, scope, status, overdue_only, plant_id, workshop_id, grade)
    return int(conn.execute(select(func.count()).where(*conditions)).scalar_one())


def open_page(
    conn: Connection,
    now: datetime,
    *,
    scope: Scope,
    overdue_only: bool = False,
    plant_id: str | None = None,
    workshop_id: str | None = None,
    grade: Grade | None = None,
    status: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int = 50,
) -> HazardPage:
    """One page of the open hazards (or those of one ``status``; or only the overdue), nearest
    deadline first, after the key (deadline, id) of the previous page's last row."""
    table = schema.hazards
    limit = max(1, min(limit, PAGE_MAX))
    conditions = _listed(now, scope, status, overdue_only, plant_id, workshop_id, grade)
    if after is not None:
        conditions.append(tuple_(table.c.deadline, table.c.id) > tuple_(*after))
    rows = conn.execute(
        select(
            table.c.id,
            table.c.plant_id,
            table.c.workshop_id,
            table.c.grade,
            table.c.status,
            table.c.found_at,
            table.c.deadline,
        )
        .where(*conditions)
        .order_by(table.c.deadline, table.c.id)
        .limit(limit + 1)
    ).all()
    listed = [ListedHazard(*row) for row in rows[:limit]]
    more = len(rows) > limit
    return HazardPage(listed, (listed[-1].deadline, listed[-1].id) if more else None)
