"""The statistics form (隐患排查治理情况统计表) of a quarter or a year as XLSX: a row per workshop
and one for the plant, with hazards found and rectified, the rates of core.rates, funds planned
and spent, and major hazards reported and under official supervision. docs/rates.md defines
every column."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.rates import (
    PLANT_TIME,
    Counts,
    Period,
    Rate,
    local,
    rectification_figures,
    rectified_at,
)
from inspect_app.core.site import Site
from inspect_app.exports import ExportError, ExportErrorCode
from inspect_app.exports.words import words
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace

_PERIOD = re.compile(r"(\d{4})(?:[Qq]([1-4]))?")
_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万)?")
_TEN_THOUSAND = Decimal(10_000)


def parse_period(text: str) -> Period:
    """ "2026Q3" (a quarter) or "2026" (a year)."""
    match = _PERIOD.fullmatch(text.strip())
    # The period's end is the start of the day after it: 9999 would end in year 10000.
    if match is None or not 1 <= int(match[1]) < 9999:
        raise ExportError(ExportErrorCode.NOT_A_PERIOD, text=repr(text[:40]))
    year = int(match[1])
    return Period.quarter(year, int(match[2])) if match[2] else Period.year(year)


def amount(text: str | None) -> Decimal | None:
    """The sum in yuan a free-text funds entry names ("300元", "CNY 1,200", "2.5万元"), or None
    when it names no number ("无", "workshop budget")."""
    match = _AMOUNT.search(text or "")
    if match is None:
        return None
    value = Decimal(match[1].replace(",", ""))
    return value * _TEN_THOUSAND if match[2] else value


@dataclass(frozen=True)
class StatisticsRow:
    unit: str
    general: Counts
    major: Counts
    funds_planned: Decimal
    funds_spent: Decimal
    unpriced: int  # funds entries that name no number, left out of the sums
    majors_reported: int
    majors_supervised: int

    @property
    def total(self) -> Counts:
        return self.general + self.major


def _row(unit: str, hazards: list[Hazard], period: Period, as_of: datetime) -> StatisticsRow:
    figures = rectification_figures(hazards, period, as_of)
    cut = min(as_of, period.ends)
    live = [h for h in hazards if h.status is not HazardStatus.VOIDED]
    found = [h for h in live if period.begins <= local(h.found_at) < cut]
    planned = [h.plan.funds for h in found if h.plan]
    spent = [
        h.funds_spent
        for h in live
        if h.funds_spent and (moment := rectified_at(h)) and period.begins <= moment < cut
    ]
    amounts = [amount(text) for text in (*planned, *spent)]
    majors = [h for h in found if h.is_major]
    return StatisticsRow(
        unit=unit,
        general=figures.by_grade[Grade.GENERAL],
        major=figures.by_grade[Grade.MAJOR],
        funds_planned=sum((a for a in amounts[: len(planned)] if a), Decimal(0)),
        funds_spent=sum((a for a in amounts[len(planned) :] if a), Decimal(0)),
        unpriced=sum(a is None for a in amounts),
        majors_reported=sum(h.report is not None for h in majors),
        majors_supervised=sum(h.supervision is not None for h in majors),
    )


def statistics_rows(
    hazards: Iterable[Hazard], site: Site, period: Period, as_of: datetime, lang: str
) -> list[StatisticsRow]:
    """A row per workshop of the site, in its order, then the plant's; ``as_of`` past the
    period's end counts as its end (the form reports the period as it closed)."""
    as_of = min(as_of, period.ends)
    every = list(hazards)
    rows = [
        _row(w.name.get(lang), [h for h in every if h.workshop_id == w.id], period, as_of)
        for w in site.workshops
    ]
    return [*rows, _row(words(lang)["stats.plant_total"], every, period, as_of)]


#: (heading key, value of a row); a Rate is written as a percentage.
COLUMNS: tuple[tuple[str, Callable[[StatisticsRow], object]], ...] = (
    ("stats.unit", lambda r: r.unit),
    ("stats.found_general", lambda r: r.general.found),
    ("stats.found_major", lambda r: r.major.found),
    ("stats.rectified_general", lambda r: r.general.found_rectified),
    ("stats.rectified_major", lambda r: r.major.found_rectified),
    ("stats.rate_found", lambda r: r.total.rate_of_found),
    ("stats.fell_due", lambda r: r.total.fell_due),
    ("stats.due_rectified", lambda r: r.total.due_rectified),
    ("stats.rate_due", lambda r: r.total.rate_of_due),
    ("stats.on_time", lambda r: r.total.due_rectified_on_time),
    ("stats.on_time_rate", lambda r: r.total.on_time_rate),
    ("stats.backlog", lambda r: r.total.backlog),
    ("stats.overdue", lambda r: r.total.open_overdue),
    ("stats.funds_planned", lambda r: r.funds_planned),
    ("stats.funds_spent", lambda r: r.funds_spent),
    ("stats.majors_reported", lambda r: r.majors_reported),
    ("stats.majors_supervised", lambda r: r.majors_supervised),
)
HEADER_ROW = 3
NO_RATE = "—"  # a rate over nothing
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")


def period_label(period: Period, lang: str) -> str:
    vocabulary = words(lang)
    if period.start.month == 1 and period.end.month == 12:
        return vocabulary["stats.year"].format(year=period.start.year)
    quarter = (period.start.month - 1) // 3 + 1
    return vocabulary["stats.quarter"].format(year=period.start.year, quarter=quarter)


def write_statistics_xlsx(
    rows: Sequence[StatisticsRow],
    site: Site,
    period: Period,
    as_of: datetime,
    path: Path,
    lang: str,
) -> None:
    """Title, a line naming plant, period and as-of day, the header, a row per workshop, the
    plant's row in bold, and a note when some funds were not written as a number."""
    vocabulary = words(lang)
    as_of_day = (min(as_of, period.ends) - timedelta(microseconds=1)).astimezone(PLANT_TIME).date()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = vocabulary["stats.sheet"]
    sheet.append([f"{vocabulary['stats.title']} {period_label(period, lang)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            vocabulary["stats.as_of"].format(
                plant=site.plant.name.get(lang),
                period=f"{period.start.isoformat()} – {period.end.isoformat()}",
                as_of=as_of_day.isoformat(),
            )
        ]
    )
    sheet.append([vocabulary[key] for key, _ in COLUMNS])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[HEADER_ROW].height = 48
    for row in rows:
        sheet.append([_cell(value(row)) for _, value in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float) or cell.value == NO_RATE:
                cell.number_format = "0.0%"
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0"
            if row is rows[-1]:
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL
    unpriced = rows[-1].unpriced
    if unpriced:
        sheet.append([])
        sheet.append([vocabulary["stats.unpriced"].format(n=unpriced)])
    sheet.column_dimensions["A"].width = 24
    for index in range(2, len(COLUMNS) + 1):
        sheet.column_dimensions[sheet.cell(HEADER_ROW, index).column_letter].width = 12
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    book.save(path)


def _cell(value: object) -> object:
    if isinstance(value, Rate):
        return NO_RATE if value.value is None else value.value
    return value


def statistics(workspace: Workspace, period: Period, lang: str) -> bytes:
    """The form over every hazard on the device, as of the period's end (or now, while it runs)."""
    site = workspace.catalog.site
    now = workspace.clock()
    rows = statistics_rows(HazardService(workspace).all(), site, period, now, lang)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statistics.xlsx"
        write_statistics_xlsx(rows, site, period, now, path, lang)
        return path.read_bytes()
