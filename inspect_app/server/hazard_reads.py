"""What HQ's pages read about hazards, within the reader's scope: every stored hazard, parsed or
marked "not valid" with the field and the reason (data stored before HQ validated commands must
not break a page), a hazard's timeline, and rectification figures by workshop and by month; the
figures and the paged lists computed in SQL (server/figures.py), each in one connection."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Engine, Text, cast, select

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Hazard
from inspect_app.core.rates import (
    Period,
    RectificationFigures,
    combined,
    rectification_figures,
)
from inspect_app.core.records import record_problems
from inspect_app.core.workflow import Reason
from inspect_app.server import figures as sql_figures
from inspect_app.server import schema
from inspect_app.server.blob_store import check_key
from inspect_app.server.figures import Group, HazardPage, OpenCounts
from inspect_app.server.scope import Scope

#: Longest text of one stored value a page shows.
SHOWN_CHARS = 2000


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A stored value of any type as text for a page ("" for none)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return value if len(value) <= limit else value[:limit] + "…"


def is_photo_ref(value: Any) -> bool:
    try:
        return isinstance(value, str) and check_key(value) == value
    except ValueError:
        return False


@dataclass(frozen=True)
class UnitFigures:
    """An overview's figures: per plant or workshop (by key) a period's figures, the open
    counts now and the last months oldest first; and the months of them all together."""

    rates: dict[str, RectificationFigures]
    counts: dict[str, OpenCounts]
    months: dict[str, list[RectificationFigures]]
    months_together: list[RectificationFigures]


@dataclass(frozen=True)
class PhotoRef:
    sha256: str | None  # None: the stored reference is not a photo's sha256
    stored: str


@dataclass(frozen=True)
class HazardRecord:
    """One stored hazard: ``hazard`` when it parses, else None and ``problems`` say why."""

    id: str
    data: Mapping[str, Any]
    hazard: Hazard | None
    problems: tuple[str, ...] = ()

    def text(self, key: str) -> str:
        return shown(self.data.get(key))

    def choice(self, key: str, kind: type[Enum]) -> str | None:
        """The stored value when it is one of ``kind``'s values (safe as a CSS class)."""
        value = self.data.get(key)
        return value if value in {m.value for m in kind} else None

    def photo_refs(self, key: str) -> list[PhotoRef]:
        value = self.data.get(key)
        refs = value if isinstance(value, list) else [] if value is None else [value]
        return [PhotoRef(r if is_photo_ref(r) else None, shown(r, 100)) for r in refs]

    def plan(self) -> dict[str, str] | None:
        plan = self.data.get("plan")
        if not plan:
            return None
        if not isinstance(plan, dict):
            return {"plan": shown(plan)}
        return {key: shown(value) for key, value in plan.items()}


@dataclass(frozen=True)
class TimelineEntry:
    recorded_at: str
    actor: str
    type: str
    result: str
    reason: str
    device_id: str
    details: tuple[tuple[str, str], ...]
    #: Why the state machine refused it, as a code the page says in the reader's language
    #: (``reason`` is HQ's English, for events stored before codes).
    why: Reason | None = None


@dataclass(frozen=True)
class ListPage:
    """One page of a hazard list, its records in the list's order."""

    records: list[HazardRecord]
    #: The key to pass as ``after`` for the next page; None on the last page.
    next_after: tuple[str, str] | None
    #: How many the list holds over all its pages.
    total: int


class HazardReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _records(self, conn: Connection, *conditions: ColumnElement[bool]) -> list[HazardRecord]:
        table = schema.hazards
        rows = conn.execute(
            select(table.c.id, cast(table.c.data, Text).label("raw")).where(*conditions)
        ).all()
        return [parse_record(r.id, r.raw) for r in rows]

    def list_page(
        self,
        now: datetime,
        scope: Scope,
        *,
        status: str | None = None,
        overdue_only: bool = False,
        plant_id: str | None = None,
        workshop_id: str | None = None,
        grade: Grade | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> ListPage:
        """A page of the open hazards (or of one status, or the overdue), nearest deadline
        first, read by key: the page's rows and their count, never the whole list."""
        where = {
            "scope": scope,
            "status": status,
            "overdue_only": overdue_only,
            "plant_id": plant_id,
            "workshop_id": workshop_id,
            "grade": grade,
        }
        with self.engine.connect() as conn:
            page = sql_figures.open_page(conn, now, after=after, limit=limit, **where)
            ids = [row.id for row in page.rows]
            found = {r.id: r for r in self._records(conn, schema.hazards.c.id.in_(ids))}
            total = sql_figures.listed_count(conn, now, **where)
        return ListPage([found[i] for i in ids if i in found], page.next_after, total)

    def unindexed(self, scope: Scope, workshops: frozenset[str] | None) -> list[HazardRecord]:
        """The records whose columns are empty (revision 0006 could not read them, or they
        were written by hand): the figures and lists skip them, a page names them."""
        table = schema.hazards
        conditions = [table.c.found_at.is_(None), scope.workshop_filter(table.c.workshop_id)]
        if workshops is not None:
            conditions.append(table.c.workshop_id.in_(sorted(workshops)))
        with self.engine.connect() as conn:
            return self._records(conn, *conditions)

    def found_since(
        self,
        since: datetime,
        scope: Scope,
        plant_id: str | None = None,
        workshop_id: str | None = None,
    ) -> list[Hazard]:
        """The hazards found since ``since`` that parse, read by the found index."""
        table = schema.hazards
        conditions = [
            table.c.found_at >= sql_figures.stamp(since),
            scope.workshop_filter(table.c.workshop_id),
        ]
        if plant_id is not None:
            conditions.append(table.c.plant_id == plant_id)
        if workshop_id is not None:
            conditions.append(table.c.workshop_id == workshop_id)
        with self.engine.connect() as conn:
            return [r.hazard for r in self._records(conn, *conditions) if r.hazard is not None]

    def one(self, hazard_id: str, scope: Scope) -> HazardRecord | None:
        table = schema.hazards
        if not fits(table.c.id, hazard_id):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table.c.id, cast(table.c.data, Text).label("raw")).where(
                    table.c.id == hazard_id, scope.workshop_filter(table.c.workshop_id)
                )
            ).first()
        return None if row is None else parse_record(row.id, row.raw)

    def timeline(self, hazard_id: str, scope: Scope) -> list[TimelineEntry]:
        table = schema.events
        if not fits(table.c.hazard_id, hazard_id):
            return []
        with self.engine.connect() as conn:
            raws = conn.execute(
                select(cast(table.c.data, Text))
                .where(table.c.hazard_id == hazard_id, scope.events_filter())
                .order_by(table.c.server_seq)
            ).scalars()
            return [_timeline_entry(raw) for raw in raws]

    def figures(
        self,
        period: Period,
        as_of: datetime | date | None,
        scope: Scope,
        by: Group = None,
        plant_id: str | None = None,
        workshop_id: str | None = None,
    ) -> dict[str, RectificationFigures]:
        """The period's figures per plant or workshop, or under "" for the whole scope."""
        with self.engine.connect() as conn:
            return sql_figures.figures(
                conn, period, as_of, scope=scope, by=by, plant_id=plant_id, workshop_id=workshop_id
            )

    def months(
        self,
        today: date,
        months: int,
        scope: Scope,
        plant_id: str | None = None,
        workshop_id: str | None = None,
    ) -> list[RectificationFigures]:
        """The last ``months`` months, oldest first, each as it stands today."""
        with self.engine.connect() as conn:
            return sql_figures.month_figures(
                conn, today, months, scope=scope, plant_id=plant_id, workshop_id=workshop_id
            )

    def months_by(
        self, today: date, months: int, scope: Scope, by: Group
    ) -> dict[str, list[RectificationFigures]]:
        """The last ``months`` months per plant or workshop, oldest first."""
        with self.engine.connect() as conn:
            return sql_figures.month_figures_by(conn, today, months, scope=scope, by=by)

    def overview(
        self, period: Period, now: datetime, months: int, scope: Scope, by: Group
    ) -> UnitFigures:
        """Each unit's figures for an overview page, in one connection. The months are counted
        once, per unit: the whole's months are their sum, and a period that is one of them
        (this month, as a rule) is taken from them rather than counted again."""
        today = now.date()
        as_of = min(period.end, today)
        with self.engine.connect() as conn:
            per_unit = sql_figures.month_figures_by(conn, today, months, scope=scope, by=by)
            together = combined(f for unit in per_unit.values() for f in unit)
            if not together:
                together = sql_figures.month_figures(conn, today, months, scope=scope)
            charted = next((i for i, f in enumerate(together) if f.period == period), None)
            if charted is None:
                rates = sql_figures.figures(conn, period, as_of, scope=scope, by=by)
            else:
                rates = {key: unit[charted] for key, unit in per_unit.items()}
            counts = sql_figures.open_counts(conn, now, scope=scope, by=by)
        return UnitFigures(rates, counts, per_unit, together)

    def open_counts(
        self,
        now: datetime,
        scope: Scope,
        by: Group = None,
        plant_id: str | None = None,
        workshop_id: str | None = None,
    ) -> dict[str, OpenCounts]:
        with self.engine.connect() as conn:
            return sql_figures.open_counts(
                conn, now, scope=scope, by=by, plant_id=plant_id, workshop_id=workshop_id
            )

    def open_page(
        self,
        now: datetime,
        scope: Scope,
        overdue_only: bool = False,
        plant_id: str | None = None,
        workshop_id: str | None = None,
        grade: Grade | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> HazardPage:
        """One page of the open (or overdue) hazards, nearest deadline first; ``after`` is the
        previous page's ``next_after``."""
        with self.engine.connect() as conn:
            return sql_figures.open_page(
                conn,
                now,
                scope=scope,
                overdue_only=overdue_only,
                plant_id=plant_id,
                workshop_id=workshop_id,
                grade=grade,
                after=after,
                limit=limit,
            )


def fits(column: Column[str], value: str) -> bool:
    """False for a value no row can hold: longer than the column, or with NUL (which
    PostgreSQL refuses in a query). Such ids are answered "not found" without a query."""
    return len(value) <= column.type.length and "\x00" not in value  # type: ignore[attr-defined]


def parse_record(hazard_id: str, raw: str) -> HazardRecord:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return HazardRecord(hazard_id, {}, None, ("record: not readable JSON",))
    if not isinstance(data, dict):
        return HazardRecord(hazard_id, {}, None, (f"record: not an object ({shown(data, 60)})",))
    problems = hazard_problems(data)
    if problems:
        return HazardRecord(hazard_id, data, None, tuple(problems))
    try:
        return HazardRecord(hazard_id, data, Hazard.from_dict(data))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        return HazardRecord(hazard_id, data, None, (f"record: {shown(str(exc), 200)}",))


def hazard_problems(data: Mapping[str, Any]) -> list[str]:
    """ "field: reason" for each stored field that does not pass the record check every layer
    uses (``core.records``): types, dates, photo references, lengths."""
    return [f"{field or 'record'}: {reason}" for field, reason in record_problems(dict(data))]


def _timeline_entry(raw: str) -> TimelineEntry:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        return TimelineEntry("", "", "", "not valid", "the stored event is not an object", "", ())
    payload = data.get("payload")
    details = (
        tuple((shown(k, 60), shown(v, 500)) for k, v in payload.items())
        if isinstance(payload, dict)
        else (("payload", shown(payload, 500)),)
        if payload
        else ()
    )
    return TimelineEntry(
        recorded_at=shown(data.get("recorded_at"), 40),
        actor=shown(data.get("actor"), 100),
        type=shown(data.get("type"), 40),
        result=shown(data.get("result"), 40),
        reason=shown(data.get("reason"), 500),
        device_id=shown(data.get("device_id"), 100),
        details=details,
        why=Reason.from_dict(data.get("why")),
    )


def figures_by_month(hazards: list[Hazard], today: date, months: int) -> list[RectificationFigures]:
    """The last ``months`` months, oldest first, each as it stands today."""
    figures = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        period = Period.month(year, month + 1)
        figures.append(rectification_figures(hazards, period, min(period.end, today)))
    return figures
