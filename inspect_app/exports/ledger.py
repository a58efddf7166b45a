"""The hazard ledger (隐患台账): one row per hazard, with places and people resolved to names from
the site in the reader's language, written as XLSX or as a CSV that Excel opens in Chinese."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from inspect_app.core.hazard import Hazard, HazardEvent
from inspect_app.core.site import Site
from inspect_app.core.workflow import CommandResult, CommandType
from inspect_app.exports.words import words


@dataclass(frozen=True)
class Verification:
    """How checking the rectification went so far."""

    passed: bool
    failures: int

    def label(self, vocabulary: Mapping[str, str]) -> str:
        if self.passed:
            if self.failures:
                return vocabulary["verify.passed_after"].format(n=self.failures)
            return vocabulary["verify.passed"]
        if self.failures:
            return vocabulary["verify.failed"].format(n=self.failures)
        return vocabulary["verify.pending"]


def verification(timeline: Iterable[HazardEvent]) -> Verification:
    """Passed when the last applied verification passed and nothing reopened the hazard since."""
    passed, failures = False, 0
    for event in timeline:
        if event.result != CommandResult.APPLIED:
            continue
        if event.type == CommandType.VERIFY_PASS:
            passed = True
        elif event.type == CommandType.VERIFY_FAIL:
            passed, failures = False, failures + 1
        elif event.type == CommandType.REOPEN:
            passed = False
    return Verification(passed, failures)


@dataclass(frozen=True)
class LedgerRow:
    found_date: date
    place: str
    description: str
    grade: str
    inspector: str
    responsible: str
    deadline: date
    verification: str
    closed_date: date | None
    status: str
    risk: str
    category: str
    hazard_id: str
    is_major: bool


class Column(NamedTuple):
    field: str
    heading: str  # key in the export vocabulary
    width: int  # in Excel character widths


COLUMNS: tuple[Column, ...] = (
    Column("found_date", "col.found_date", 12),
    Column("place", "col.place", 30),
    Column("description", "col.description", 50),
    Column("grade", "col.grade", 11),
    Column("inspector", "col.inspector", 10),
    Column("responsible", "col.responsible", 12),
    Column("deadline", "col.deadline", 12),
    Column("verification", "col.verification", 22),
    Column("closed_date", "col.closed_date", 12),
    Column("status", "col.status", 14),
    Column("risk", "col.risk", 9),
    Column("category", "col.category", 14),
    Column("hazard_id", "col.hazard_id", 38),
)


def ledger_rows(
    hazards: Iterable[Hazard],
    timeline: Callable[[str], Iterable[HazardEvent]],
    site: Site,
    lang: str,
) -> list[LedgerRow]:
    """The ledger in ``lang``, oldest finding first; ``timeline`` gives each hazard's events."""
    vocabulary = words(lang)
    ordered = sorted(hazards, key=lambda h: (h.found_date(), h.found_at, h.id))
    return [
        LedgerRow(
            found_date=hazard.found_date(),
            place=site.place_name(hazard.workshop_id, hazard.area_id, hazard.asset_id, lang),
            description=hazard.description,
            grade=vocabulary[f"grade.{hazard.grade.value}"],
            inspector=site.person_name(hazard.found_by, lang),
            responsible=site.person_name(hazard.plan.responsible_id if hazard.plan else None, lang),
            deadline=hazard.deadline_date(),
            verification=verification(timeline(hazard.id)).label(vocabulary),
            closed_date=datetime.fromisoformat(hazard.closed_at).date()
            if hazard.closed_at
            else None,
            status=vocabulary[f"status.{hazard.status.value}"],
            risk=vocabulary[f"risk.{hazard.risk.value}"],
            category=vocabulary.get(f"category.{hazard.category}", hazard.category or ""),
            hazard_id=hazard.id,
            is_major=hazard.is_major,
        )
        for hazard in ordered
    ]


_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_MAJOR_FILL = PatternFill("solid", fgColor="F8CBAD")
_DATE_FORMAT = "yyyy-mm-dd"


def write_ledger_xlsx(rows: Iterable[LedgerRow], path: Path, lang: str) -> None:
    """One sheet: bold frozen header with a filter, real dates, major hazards highlighted."""
    vocabulary = words(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = vocabulary["ledger.title"]
    sheet.append([vocabulary[column.heading] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([getattr(row, column.field) for column in COLUMNS])
        for column, cell in zip(COLUMNS, sheet[sheet.max_row], strict=True):
            if isinstance(cell.value, date):
                cell.number_format = _DATE_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=column.field == "description")
            if row.is_major:
                cell.fill = _MAJOR_FILL
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def write_ledger_csv(rows: Iterable[LedgerRow], path: Path, lang: str) -> None:
    """UTF-8 with a byte-order mark: without it Excel reads the Chinese as the local code page."""
    vocabulary = words(lang)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([vocabulary[column.heading] for column in COLUMNS])
        for row in rows:
            writer.writerow([_csv_value(getattr(row, column.field)) for column in COLUMNS])


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
