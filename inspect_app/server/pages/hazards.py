"""The hazards pages: the group's overview (each plant's open majors, overdue, month's rate and
trend), a plant's and a workshop's dashboard (open and overdue hazards, rates by workshop and the
month trend as charts, recurring hazards) and a plant's printable monthly summary. Query
parameters that are not valid are named on the page and ignored; stored records that are not
valid are listed apart and shown as far as they can be."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.rates import Period, Rate, RectificationFigures, rectification_figures
from inspect_app.server.figures import PAGE_MAX, OpenCounts
from inspect_app.server.i18n import LOCAL_TIME, translator
from inspect_app.server.pages.charts import bar_chart, trend_chart
from inspect_app.server.pages.common import PageRefused, Viewer, lang_of, may_open, pages, signed_in

router = APIRouter(include_in_schema=False)

#: Rows of a hazard list's page; the count in its heading is the whole list's.
LIST_PAGE = 50
MONTHS_CHARTED = 6
#: A checklist item or a piece of equipment found failing this often in the months charted
#: is listed as recurring.
RECURRING_TIMES = 3
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Recurring:
    label: str
    hazards: list[Hazard]


@dataclass(frozen=True)
class Overview:
    """One plant's (or workshop's) line on an overview."""

    href: str
    name: str
    open_major: int
    overdue: int
    figures: RectificationFigures
    trend: list[str]


def parse_month(text: str) -> Period | None:
    match = _MONTH.fullmatch(text)
    if match is None:
        return None
    try:
        return Period.month(int(match[1]), int(match[2]))
    except ValueError:  # month 13, year 0, or December 9999 (its period ends in year 10000)
        return None


def recurring(hazards: Iterable[Hazard], today: date, names: dict[str, str]) -> list[Recurring]:
    """Checklist items and equipment found failing ``RECURRING_TIMES`` or more times in the
    months charted, most often first, each with its hazards."""
    since = (today - timedelta(days=30 * MONTHS_CHARTED)).isoformat()
    groups: dict[str, list[Hazard]] = defaultdict(list)
    for hazard in hazards:
        if hazard.found_at[:10] < since or hazard.status is HazardStatus.VOIDED:
            continue
        if hazard.item_id:
            item = f"{hazard.checklist_id or ''} {hazard.item_id}".strip()
            place = names.get(hazard.workshop_id, hazard.workshop_id)
            groups[f"{item} ({hazard.reference or place})"].append(hazard)
        if hazard.asset_id:
            groups[names.get(hazard.asset_id, hazard.asset_id)].append(hazard)
    found = [
        Recurring(label, sorted(hs, key=lambda h: h.found_at))
        for label, hs in groups.items()
        if len(hs) >= RECURRING_TIMES
    ]
    return sorted(found, key=lambda r: (-len(r.hazards), r.label))


def _period(month: str, today: date, notices: list[str], t: object) -> Period:
    this_month = Period.month(today.year, today.month)
    if not month:
        return this_month
    period = parse_month(month)
    if period is None:
        notices.append(t("notice.bad_month", value=month[:40]))  # type: ignore[operator]
        return this_month
    return period


def rate_bar(
    name: str, figures: RectificationFigures, href: str
) -> tuple[str, float | None, str, str]:
    """A bar of a rate chart: the rectification rate of what was found, with its counts."""
    value = figures.overall.value
    return (
        name,
        None if value is None else value * 100,
        f"{figures.overall.percent()} ({figures.rectified}/{figures.found})",
        href,
    )


def _total(
    found: dict[str, RectificationFigures], period: Period, as_of: date, key: str = ""
) -> RectificationFigures:
    """The figures under ``key``, or a period's empty figures when nothing was counted."""
    return found.get(key) or rectification_figures([], period, as_of)


@dataclass(frozen=True)
class Place:
    """What a dashboard covers: a plant, a workshop, or (both None) all the reader may see."""

    plant_id: str | None = None
    workshop_id: str | None = None
    #: The workshops of the plant or the workshop; None for all.
    workshops: frozenset[str] | None = None

    @property
    def where(self) -> dict[str, str | None]:
        return {"plant_id": self.plant_id, "workshop_id": self.workshop_id}


def _dashboard(
    request: Request,
    viewer: Viewer,
    heading: str,
    place: Place,
    filters: dict[str, str],
    summary_href: str | None = None,
) -> Response:
    """The dashboard of the hazards of ``place``: figures and charts counted in SQL, the lists
    read a page at a time by key (a "next page" link carries the last row's key)."""
    ctx = pages(request)
    lang = lang_of(request)
    t = translator(lang)
    today = date.today()
    now = datetime.now(LOCAL_TIME)
    labels = ctx.labels(lang)
    workshop_ids = sorted(
        w
        for w in ctx.hq.directory().workshop_names()
        if (viewer.scope.workshops is None or w in viewer.scope.workshops)
        and (place.workshops is None or w in place.workshops)
    )
    notices: list[str] = []
    if viewer.person is None and not viewer.is_admin:
        notices.append(t("notice.no_person"))
    period = _period(filters["month"], today, notices, t)
    choices = {
        "workshop": workshop_ids,
        "grade": [g.value for g in Grade],
        "status": [s.value for s in HazardStatus],
    }
    for name, allowed in choices.items():
        value = filters[name]
        if value and value not in allowed:
            notices.append(t("notice.bad_filter", value=value[:40], name=t(f"filter.{name}")))
            filters[name] = ""
    workshop, grade, status = filters["workshop"], filters["grade"], filters["status"]
    where = {
        "plant_id": place.plant_id,
        "workshop_id": workshop or place.workshop_id,
        "grade": Grade(grade) if grade else None,
    }
    after = _after(filters["after"])
    listed = ctx.reads.list_page(
        now,
        viewer.scope,
        status=status or None,
        overdue_only=bool(filters["overdue"]),
        after=after,
        limit=LIST_PAGE,
        **where,
    )
    unindexed = ctx.reads.unindexed(viewer.scope, place.workshops)
    # Records the lists cannot key (no columns): shown on the first page, as they always were.
    loose = [
        r.hazard
        for r in unindexed
        if after is None
        and r.hazard is not None
        and (r.hazard.status.value == status if status else r.hazard.status.is_open)
        and (not workshop or r.hazard.workshop_id == workshop)
        and (not grade or r.hazard.grade.value == grade)
        and (not filters["overdue"] or r.hazard.is_overdue(today))
    ]
    shown = [r.hazard for r in listed.records if r.hazard is not None] + loose
    overdue = ctx.reads.list_page(now, viewer.scope, overdue_only=True, limit=LIST_PAGE, **where)
    since = datetime.combine(today - timedelta(days=30 * MONTHS_CHARTED + 1), time(), LOCAL_TIME)
    recent = ctx.reads.found_since(
        since, viewer.scope, plant_id=place.plant_id, workshop_id=place.workshop_id
    )
    as_of = min(period.end, today)
    months = ctx.reads.months(today, MONTHS_CHARTED, viewer.scope, **place.where)
    by_workshop = ctx.reads.figures(period, as_of, viewer.scope, by="workshop", **place.where)
    return ctx.render(
        request,
        "dashboard.html",
        viewer,
        heading=heading,
        today=today,
        labels=labels,
        notices=notices,
        period=period,
        summary_href=summary_href,
        figures=_total(
            ctx.reads.figures(period, as_of, viewer.scope, **place.where), period, as_of
        ),
        by_workshop=bar_chart(
            [
                rate_bar(
                    labels.get(ws, ws), _total(by_workshop, period, as_of, ws), f"/workshops/{ws}"
                )
                for ws in workshop_ids
            ]
        ),
        trends=[trend_chart(months, g) for g in (Grade.GENERAL, Grade.MAJOR)],
        shown=shown,
        shown_count=listed.total + len(loose),
        next_href=_next_href(request, listed.next_after),
        overdue_list=[r.hazard for r in overdue.records if r.hazard is not None],
        overdue_more=overdue.next_after is not None,
        recurring=recurring(recent, today, {**labels, **_asset_names(request, lang)}),
        invalid=[r for r in unindexed if r.hazard is None],
        workshop_ids=workshop_ids,
        statuses=[s.value for s in HazardStatus],
        filters=filters,
    )


def _asset_names(request: Request, lang: str) -> dict[str, str]:
    return {
        e.asset_id: e.name.get(lang) or e.name.get("zh") or e.asset_id
        for site in pages(request).hq.directory().sites.values()
        for e in site.equipment
    }


def _filters(
    workshop: str, grade: str, status: str, overdue: str, month: str, after: str = ""
) -> dict[str, str]:
    return {
        "workshop": workshop,
        "grade": grade,
        "status": status,
        "overdue": overdue,
        "month": month,
        "after": after,
    }


def _after(text: str) -> tuple[str, str] | None:
    """A list's key from the "next page" link: the deadline's ten characters, then the id."""
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return None
    return (text[:10], text[10:]) if len(text) > 10 else None


def _next_href(request: Request, key: tuple[str, str] | None) -> str | None:
    if key is None:
        return None
    return str(request.url.include_query_params(after=key[0] + key[1]))


@router.get("/")
def home(viewer: Annotated[Viewer, Depends(signed_in)]) -> Response:
    """The landing page: each reader's own overview (``Viewer.home``)."""
    return RedirectResponse(viewer.home(), status_code=303)


@router.get("/hazards")
def dashboard(
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    workshop: str = "",
    grade: str = "",
    status: str = "",
    overdue: str = "",
    month: str = "",
    after: str = "",
) -> Response:
    t = translator(lang_of(request))
    return _dashboard(
        request,
        viewer,
        t("dash.title"),
        Place(),
        _filters(workshop, grade, status, overdue, month, after),
    )


def _overview(
    request: Request,
    viewer: Viewer,
    period: Period,
    by: Literal["plant", "workshop"],
    units: list[tuple[str, str, str]],
) -> tuple[list[Overview], list[RectificationFigures]]:
    """A line for each (key, name, address) unit, counted in SQL: open majors and overdue now,
    the period's rate, and the rate of each of the last months; and the months of all units
    together."""
    as_of = min(period.end, date.today())
    found = pages(request).reads.overview(
        period, datetime.now(LOCAL_TIME), MONTHS_CHARTED, viewer.scope, by
    )
    nothing = [Rate(0, 0)] * MONTHS_CHARTED  # a unit with nothing counted: no rate
    lines = []
    for key, name, href in units:
        opened = found.counts.get(key, OpenCounts())
        months = [f.overall for f in found.months[key]] if key in found.months else nothing
        lines.append(
            Overview(
                href,
                name,
                opened.open_major,
                opened.overdue,
                _total(found.rates, period, as_of, key),
                [rate.percent() for rate in months],
            )
        )
    return lines, found.months_together


@router.get("/group")
def group(
    request: Request, viewer: Annotated[Viewer, Depends(may_open("group"))], month: str = ""
) -> Response:
    ctx = pages(request)
    lang = lang_of(request)
    t = translator(lang)
    today = date.today()
    notices: list[str] = []
    period = _period(month, today, notices, t)
    labels = ctx.labels(lang)
    plants = sorted(ctx.hq.directory().sites)
    lines, months = _overview(
        request,
        viewer,
        period,
        "plant",
        [(p, labels.get(p, p), f"/plants/{p}") for p in plants],
    )
    return ctx.render(
        request,
        "group.html",
        viewer,
        notices=notices,
        period=period,
        lines=lines,
        chart=bar_chart([rate_bar(line.name, line.figures, line.href) for line in lines]),
        trends=[trend_chart(months, g) for g in (Grade.GENERAL, Grade.MAJOR)],
    )


def _plant_workshops(request: Request, viewer: Viewer, plant_id: str) -> frozenset[str]:
    """The plant's workshops, when the reader may open its page."""
    site = pages(request).hq.directory().sites.get(plant_id)
    if site is None:
        raise PageRefused(404, "error.no_plant")
    if not (viewer.is_admin or (viewer.may_open("plant") and viewer.plant_id == plant_id)):
        raise PageRefused(403, "error.not_allowed", page="nav.plant")
    return frozenset(w.id for w in site.workshops)


@router.get("/plants/{plant_id}")
def plant(
    request: Request,
    plant_id: str,
    viewer: Annotated[Viewer, Depends(signed_in)],
    workshop: str = "",
    grade: str = "",
    status: str = "",
    overdue: str = "",
    month: str = "",
    after: str = "",
) -> Response:
    workshops = _plant_workshops(request, viewer, plant_id)
    name = pages(request).labels(lang_of(request)).get(plant_id, plant_id)
    return _dashboard(
        request,
        viewer,
        name,
        Place(plant_id=plant_id, workshops=workshops),
        _filters(workshop, grade, status, overdue, month, after),
        summary_href=f"/plants/{plant_id}/summary?month={month}",
    )


@router.get("/plants/{plant_id}/summary")
def plant_summary(
    request: Request, plant_id: str, viewer: Annotated[Viewer, Depends(signed_in)], month: str = ""
) -> Response:
    workshops = _plant_workshops(request, viewer, plant_id)
    ctx = pages(request)
    lang = lang_of(request)
    t = translator(lang)
    today = date.today()
    notices: list[str] = []
    period = _period(month, today, notices, t)
    as_of = min(period.end, today)
    labels = ctx.labels(lang)
    now = datetime.now(LOCAL_TIME)
    majors = ctx.reads.list_page(
        now, viewer.scope, plant_id=plant_id, grade=Grade.MAJOR, limit=PAGE_MAX
    )
    overdue = ctx.reads.list_page(
        now, viewer.scope, plant_id=plant_id, overdue_only=True, limit=PAGE_MAX
    )
    by_workshop = ctx.reads.figures(period, as_of, viewer.scope, by="workshop", plant_id=plant_id)
    return ctx.render(
        request,
        "summary.html",
        viewer,
        notices=notices,
        plant=labels.get(plant_id, plant_id),
        period=period,
        as_of=as_of,
        today=today,
        labels=labels,
        total=_total(
            ctx.reads.figures(period, as_of, viewer.scope, plant_id=plant_id), period, as_of
        ),
        rows=[(w, _total(by_workshop, period, as_of, w)) for w in sorted(workshops)],
        open_majors=[r.hazard for r in majors.records if r.hazard is not None],
        open_majors_count=majors.total,
        overdue_list=[r.hazard for r in overdue.records if r.hazard is not None],
        overdue_count=overdue.total,
    )


@router.get("/workshops")
def my_workshops(
    request: Request, viewer: Annotated[Viewer, Depends(may_open("workshops"))]
) -> Response:
    ctx = pages(request)
    lang = lang_of(request)
    today = date.today()
    period = Period.month(today.year, today.month)
    labels = ctx.labels(lang)
    assert viewer.person is not None  # may_open("workshops") needs a workshop head
    lines, _ = _overview(
        request,
        viewer,
        period,
        "workshop",
        [(w, labels.get(w, w), f"/workshops/{w}") for w in sorted(viewer.person.workshops)],
    )
    return ctx.render(
        request, "group.html", viewer, notices=[], period=period, lines=lines, chart=None, trends=[]
    )


@router.get("/workshops/{workshop_id}")
def workshop_page(
    request: Request,
    workshop_id: str,
    viewer: Annotated[Viewer, Depends(signed_in)],
    grade: str = "",
    status: str = "",
    overdue: str = "",
    month: str = "",
    after: str = "",
) -> Response:
    ctx = pages(request)
    if workshop_id not in ctx.hq.directory().workshop_names():
        raise PageRefused(404, "error.no_workshop")
    if viewer.scope.workshops is not None and workshop_id not in viewer.scope.workshops:
        raise PageRefused(403, "error.not_allowed", page="nav.workshops")
    name = ctx.labels(lang_of(request)).get(workshop_id, workshop_id)
    return _dashboard(
        request,
        viewer,
        name,
        Place(workshop_id=workshop_id, workshops=frozenset({workshop_id})),
        _filters(workshop_id, grade, status, overdue, month, after),
    )
