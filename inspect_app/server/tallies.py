"""The month tallies (``hazard_tallies``): what each hazard adds to each plant-local month's
figures, summed per plant, workshop, grade and month, so a closed month's figures and the open
balance at a month's start are read from a few small rows instead of counted over the hazards.

A hazard's share is a function of its record alone (``shares``): the push that changes a hazard
takes its old share out and puts its new one in, in the same transaction (pushes are serialised
by the counter lock); revision 0007 and ``rebuild`` compute them all from the stored records;
``drift`` says where the stored tallies differ from a rebuild.

Point measures count in the month they name: ``found`` (found that month), ``found_rectified``
(and rectified by its end), ``rectified_on_time``/``rectified_late`` (rectified that month,
found by its end), ``fell_due``, ``due_rectified``, ``due_rectified_on_time`` (original
deadline that month, found by its end). States are deltas, summed over every month up to one:
``open_delta`` (open at the month's end), ``overdue_delta`` (open at its end, the deadline then
in effect passed), ``settled_delta`` (never rectified, and found, due and last extended before
the month began: such a hazard is in a later period's backlog and overdue and nothing else)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from inspect_app.core.hazard import ExtensionStatus, Hazard, HazardStatus
from inspect_app.core.rates import (
    PLANT_TIME,
    deadline_at,
    local,
    original_deadline,
    rectified_at,
    start_of,
)
from inspect_app.server import schema

POINTS = (
    "found",
    "found_rectified",
    "rectified_on_time",
    "rectified_late",
    "fell_due",
    "due_rectified",
    "due_rectified_on_time",
)
DELTAS = ("open_delta", "overdue_delta", "settled_delta")
MEASURES = POINTS + DELTAS
#: The month of each group's row that sums its deltas over all months, so a state at a recent
#: month is that total less the months after it, not a sum over the whole history.
TOTAL = ""
KEY = ("month", "plant_id", "workshop_id", "grade")
Key = tuple[str, str, str, str]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _first_after(month: str) -> date:
    """The first day of the month after ``month``."""
    year, number = int(month[:4]), int(month[5:])
    return date(year + number // 12, number % 12 + 1, 1)


def shares(hazard: Hazard) -> dict[str, Counter[str]]:
    """What the hazard adds to each month's tallies (docs/rates.md, looked at from each month's
    end); a voided hazard counts nowhere."""
    if hazard.status is HazardStatus.VOIDED:
        return {}
    share: dict[str, Counter[str]] = defaultdict(Counter)
    found = month_of(local(hazard.found_at).date())
    done = rectified_at(hazard)
    done_month = None if done is None else month_of(done.date())
    original = original_deadline(hazard)
    due = month_of(original)
    share[found]["found"] += 1
    if done_month is not None and done_month <= found:
        share[found]["found_rectified"] += 1
    if done is not None and done_month is not None and found <= done_month:
        late = "rectified_on_time" if done.date() <= original else "rectified_late"
        share[done_month][late] += 1
    if found <= due:
        share[due]["fell_due"] += 1
        if done_month is not None and done_month <= due:
            share[due]["due_rectified"] += 1
        if done is not None and done.date() <= original:
            share[due]["due_rectified_on_time"] += 1
    if done_month is None or done_month > found:
        # Open at the end of every month from the one found to the one before rectified.
        share[found]["open_delta"] += 1
        if done_month is not None:
            share[done_month]["open_delta"] -= 1
        _overdue(hazard, found, done_month, share)
    if done is None:
        share[month_of(_first_after(month_of(_last_move(hazard))))]["settled_delta"] += 1
    return {month: counts for month, counts in share.items() if any(counts.values())}


def _approvals(hazard: Hazard) -> list[str]:
    return [
        e.decided_at or e.requested_at
        for e in hazard.extensions
        if e.status is ExtensionStatus.APPROVED
    ]


def _last_move(hazard: Hazard) -> date:
    """The last day anything that decides a never-rectified hazard's figures happens: found,
    an extension approved, a deadline (original or in effect)."""
    days = [local(hazard.found_at).date(), original_deadline(hazard)]
    days.append(deadline_at(hazard, datetime.max.replace(tzinfo=PLANT_TIME)))
    days += [local(moment).date() for moment in _approvals(hazard)]
    return max(days)


def _overdue(hazard: Hazard, found: str, done: str | None, share: dict[str, Counter[str]]) -> None:
    """The months, among those it is open at the end of, whose end sees its deadline then in
    effect passed: the deadline changes only in a month an extension is approved."""
    moves = {month_of(local(moment).date()) for moment in _approvals(hazard)}
    starts = sorted({found} | {m for m in moves if m > found and (done is None or m < done)})
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else done
        deadline = deadline_at(hazard, start_of(_first_after(start)))
        first = max(start, month_of(deadline))
        if end is None or first < end:
            share[first]["overdue_delta"] += 1
            if end is not None:
                share[end]["overdue_delta"] -= 1


def _summed(
    changes: Iterable[tuple[Hazard | None, str | None, int]],
) -> dict[Key, Counter[str]]:
    summed: dict[Key, Counter[str]] = defaultdict(Counter)
    for hazard, plant_id, sign in changes:
        if hazard is None:
            continue
        group = (plant_id or "", hazard.workshop_id, hazard.grade.value)
        for month, counts in shares(hazard).items():
            row, total = summed[(month, *group)], summed[(TOTAL, *group)]
            for name, value in counts.items():
                row[name] += sign * value
                if name in DELTAS:
                    total[name] += sign * value
    return summed


def table_rows(changes: Iterable[tuple[Hazard | None, str | None, int]]) -> list[dict[str, Any]]:
    """The tally rows that (hazard, plant, sign) changes add up to, zero rows left out."""
    return _as_rows(_summed(changes))


def _as_rows(summed: dict[Key, Counter[str]]) -> list[dict[str, Any]]:
    return [
        {**dict(zip(KEY, key, strict=True)), **{m: counts[m] for m in MEASURES}}
        for key, counts in summed.items()
        if any(counts.values())
    ]


def adjust(conn: Connection, changes: Iterable[tuple[Hazard | None, str | None, int]]) -> None:
    """Add (sign 1) or take out (sign -1) each (hazard, plant) share, in the caller's
    transaction."""
    rows = table_rows(changes)
    if not rows:
        return
    table = schema.hazard_tallies
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={m: table.c[m] + statement.excluded[m] for m in MEASURES},
    )
    conn.execute(statement, rows)


def _stored_hazards(conn: Connection, batch: int = 5000) -> Iterator[tuple[Hazard, str | None]]:
    """Every stored hazard that parses, with its plant, a batch at a time in id order."""
    table = schema.hazards
    after = ""
    while True:
        rows = conn.execute(
            select(table.c.id, table.c.plant_id, table.c.data)
            .where(table.c.id > after, table.c.found_at.is_not(None))
            .order_by(table.c.id)
            .limit(batch)
        ).all()
        for row in rows:
            try:
                yield Hazard.from_dict(row.data), row.plant_id
            except (KeyError, ValueError, TypeError, AttributeError):
                continue  # not a valid record: the figures skip it
        if len(rows) < batch:
            return
        after = rows[-1].id


def _expected(conn: Connection) -> dict[Key, Counter[str]]:
    return _summed((hazard, plant, 1) for hazard, plant in _stored_hazards(conn))


def rebuild(conn: Connection) -> int:
    """The tallies again from every stored hazard; the number of rows written."""
    conn.execute(delete(schema.hazard_tallies))
    rows = _as_rows(_expected(conn))
    for start in range(0, len(rows), 5000):
        conn.execute(schema.hazard_tallies.insert(), rows[start : start + 5000])
    return len(rows)


def drift(conn: Connection) -> list[str]:
    """Where the stored tallies differ from what the stored hazards make, one line each."""
    table = schema.hazard_tallies
    stored: dict[Key, dict[str, Any]] = {
        tuple(row[k] for k in KEY): {m: row[m] for m in MEASURES}  # type: ignore[misc]
        for row in conn.execute(select(table)).mappings()
    }
    expected = _expected(conn)
    problems = []
    for key in sorted(set(stored) | set(expected)):
        want = {m: expected.get(key, Counter())[m] for m in MEASURES}
        have = stored.get(key, dict.fromkeys(MEASURES, 0))
        if want != have:
            wrong = ", ".join(
                f"{m} {have[m]} not {want[m]}" for m in MEASURES if have[m] != want[m]
            )
            problems.append(f"tallies {'/'.join(key[1:])} {key[0] or 'total'}: {wrong}")
    return problems
