"""The hazards dashboard (open and overdue hazards, rectification rates as charts) and a hazard's
page (plan, photos, timeline). Query parameters that are not valid are named on the page and
ignored; stored records that are not valid are listed apart and shown as far as they can be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.rates import Period, RectificationFigures, rectification_figures
from inspect_app.server.hazard_reads import figures_by_month, figures_by_workshop
from inspect_app.server.pages.common import PageRefused, Viewer, pages, signed_in

router = APIRouter(include_in_schema=False)

#: Rows of the open hazards table; the count in its heading is the whole number.
MAX_ROWS = 500
MONTHS_CHARTED = 6
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None
    caption: str


def parse_month(text: str) -> Period | None:
    match = _MONTH.fullmatch(text)
    if match is None:
        return None
    try:
        return Period.month(int(match[1]), int(match[2]))
    except ValueError:  # month 13, year 0, or December 9999 (its period ends in year 10000)
        return None


def _bar(label: str, figures: RectificationFigures, caption: str) -> Bar:
    value = figures.overall.value
    return Bar(label, None if value is None else value * 100, caption)


def _sort_key(hazard: Hazard, today: date) -> tuple[bool, bool, int, str]:
    return (not hazard.is_major, not hazard.is_overdue(today), hazard.risk.rank, hazard.deadline)


@router.get("/")
def dashboard(
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    workshop: str = "",
    grade: str = "",
    status: str = "",
    overdue: str = "",
    month: str = "",
) -> Response:
    ctx = pages(request)
    today = date.today()
    labels = ctx.labels()
    records = ctx.reads.all(viewer.scope)
    hazards = [r.hazard for r in records if r.hazard is not None]
    workshop_ids = sorted(
        w
        for w in {h.workshop_id for h in hazards} | set(ctx.hq.directory().workshop_names())
        if viewer.scope.workshops is None or w in viewer.scope.workshops
    )
    notices = []
    period = parse_month(month) if month else Period.month(today.year, today.month)
    if period is None:
        notices.append(f"“{month[:40]}” is not a valid month (YYYY-MM); showing this month.")
        period = Period.month(today.year, today.month)
    for name, value, allowed in (
        ("workshop", workshop, workshop_ids),
        ("grade", grade, [g.value for g in Grade]),
        ("status", status, [s.value for s in HazardStatus]),
    ):
        if value and value not in allowed:
            notices.append(f"“{value[:40]}” is not a valid {name}; showing all.")
    workshop = workshop if workshop in workshop_ids else ""
    grade = grade if grade in {g.value for g in Grade} else ""
    status = status if status in {s.value for s in HazardStatus} else ""
    shown = sorted(
        (
            h
            for h in hazards
            if (h.status.value == status if status else h.status.is_open)
            and (not workshop or h.workshop_id == workshop)
            and (not grade or h.grade.value == grade)
            and (not overdue or h.is_overdue(today))
        ),
        key=lambda h: _sort_key(h, today),
    )
    as_of = min(period.end, today)
    return ctx.render(
        request,
        "dashboard.html",
        viewer,
        today=today,
        labels=labels,
        notices=notices,
        period=period,
        figures=rectification_figures(hazards, period, as_of),
        by_workshop=[
            _bar(labels.get(ws, ws), f, f"{f.overall.percent()} ({f.rectified}/{f.found})")
            for ws, f in figures_by_workshop(hazards, workshop_ids, period, as_of)
        ],
        by_month=[
            _bar(f"{f.period.start:%Y-%m}", f, f"{f.overall.percent()} · major {f.major.percent()}")
            for f in figures_by_month(hazards, today, MONTHS_CHARTED)
        ],
        shown=shown[:MAX_ROWS],
        shown_count=len(shown),
        overdue_list=sorted(
            (h for h in hazards if h.is_overdue(today)), key=lambda h: _sort_key(h, today)
        ),
        invalid=[r for r in records if r.hazard is None],
        workshop_ids=workshop_ids,
        statuses=[s.value for s in HazardStatus],
        filters={"workshop": workshop, "grade": grade, "status": status, "overdue": overdue},
    )


@router.get("/hazards/{hazard_id}")
def hazard_detail(
    request: Request, hazard_id: str, viewer: Annotated[Viewer, Depends(signed_in)]
) -> Response:
    ctx = pages(request)
    record = ctx.reads.one(hazard_id, viewer.scope)
    if record is None:
        raise PageRefused(404, "No such hazard.")
    return ctx.render(
        request,
        "hazard.html",
        viewer,
        record=record,
        labels=ctx.labels(),
        grade=record.choice("grade", Grade),
        risk=record.choice("risk", Risk),
        timeline=ctx.reads.timeline(hazard_id, viewer.scope),
    )
