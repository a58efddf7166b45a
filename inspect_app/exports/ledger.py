"""The hazard ledger (隐患排查治理台账): one row per hazard with what a ledger records (source,
grade and the rule that graded it, the five fixes, funds planned and spent, original deadline and
extensions, rectification, verification, reporting and supervision), places and people resolved
to names from the site in the reader's language, written as XLSX or as a CSV that Excel opens in
Chinese. Dates are the plant's days."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from inspect_app.core.hazard import Hazard, HazardEvent
from inspect_app.core.rates import local, original_deadline
from inspect_app.core.site import Site
from inspect_app.core.workflow import CommandResult, CommandType
from inspect_app.exports.words import words


@dataclass(frozen=True)
class Verification:
    """How checking the rectification went so far, and who checked last."""

    passed: bool
    failures: int
    by: str | None = None

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
    passed, failures, by = False, 0, None
    for event in timeline:
        if event.result != CommandResult.APPLIED:
            continue
        if event.type == CommandType.VERIFY_PASS:
            passed, by = True, event.actor
        elif event.type == CommandType.VERIFY_FAIL:
            passed, failures, by = False, failures + 1, event.actor
        elif event.type == CommandType.REOPEN:
            passed = False
    return Verification(passed, failures, by)


@dataclass(frozen=True)
class LedgerRow:
    number: int
    found_date: date
    place: str
    description: str
    source: str
    grade: str
    major_rule: str
    category: str
    inspector: str
    measures: str
    funds_planned: str
    funds_spent: str
    responsible: str
    deadline: date  # the original one
    extensions: int  # approved
    final_deadline: date | None  # after the approved extensions
    rectified_date: date | None
    verifier: str
    verification: str
    opinion: str
    status: str
    closed_date: date | None
    reported: str
    supervised: str
    risk: str
    hazard_id: str
    is_major: bool


class Column(NamedTuple):
    field: str
    heading: str  # key in the export vocabulary
    width: int  # in Excel character widths


COLUMNS: tuple[Column, ...] = (
    Column("number", "col.number", 6),
    Column("found_date", "col.found_date", 12),
    Column("place", "col.place", 30),
    Column("description", "col.description", 40),
    Column("source", "col.source", 30),
    Column("grade", "col.grade", 11),
    Column("major_rule", "col.major_rule", 24),
    Column("category", "col.category", 12),
    Column("inspector", "col.inspector", 10),
    Column("measures", "col.measures", 30),
    Column("funds_planned", "col.funds_planned", 14),
    Column("funds_spent", "col.funds_spent", 14),
    Column("responsible", "col.responsible", 12),
    Column("deadline", "col.deadline", 12),
    Column("extensions", "col.extensions", 8),
    Column("final_deadline", "col.final_deadline", 12),
    Column("rectified_date", "col.rectified_date", 12),
    Column("verifier", "col.verifier", 10),
    Column("verification", "col.verification", 20),
    Column("opinion", "col.opinion", 30),
    Column("status", "col.status", 14),
    Column("closed_date", "col.closed_date", 12),
    Column("reported", "col.reported", 30),
    Column("supervised", "col.supervised", 30),
    Column("risk", "col.risk", 8),
    Column("hazard_id", "col.hazard_id", 38),
)
_WRAPPED = frozenset({"description", "measures", "opinion", "reported", "supervised"})


def _day(timestamp: str | None) -> date | None:
    return local(timestamp).date() if timestamp else None


def _source(hazard: Hazard, vocabulary: Mapping[str, str]) -> str:
    if not hazard.checklist_id:
        return vocabulary["source.manual"]
    parts = [hazard.checklist_id, hazard.item_id or ""]
    tag = f" ({hazard.instance_tag})" if hazard.instance_tag else ""
    return " / ".join(p for p in parts if p) + tag


def _reported(hazard: Hazard, vocabulary: Mapping[str, str]) -> str:
    if hazard.report is None:
        return vocabulary["reporting.not_reported"] if hazard.is_major else ""
    return vocabulary["reporting.reported"].format(
        authority=hazard.report.authority, on=hazard.report.reported_on
    )


def _supervised(hazard: Hazard, vocabulary: Mapping[str, str]) -> str:
    supervision = hazard.supervision
    if supervision is None:
        return ""
    text = vocabulary["supervision.by"].format(body=supervision.body, deadline=supervision.deadline)
    if supervision.signed_off_on:
        text += vocabulary["supervision.signed_off"].format(on=supervision.signed_off_on)
    return text


def ledger_rows(
    hazards: Iterable[Hazard],
    timeline: Callable[[str], Iterable[HazardEvent]],
    site: Site,
    lang: str,
) -> list[LedgerRow]:
    """The ledger in ``lang``, oldest finding first; ``timeline`` gives each hazard's events."""
    vocabulary = words(lang)
    ordered = sorted(hazards, key=lambda h: (local(h.found_at), h.id))
    rows = []
    for number, hazard in enumerate(ordered, start=1):
        checked = verification(timeline(hazard.id))
        extensions = hazard.approved_extensions
        plan = hazard.plan
        rows.append(
            LedgerRow(
                number=number,
                found_date=local(hazard.found_at).date(),
                place=site.place_name(hazard.workshop_id, hazard.area_id, hazard.asset_id, lang),
                description=hazard.description,
                source=_source(hazard, vocabulary),
                grade=vocabulary[f"grade.{hazard.grade.value}"],
                major_rule=hazard.major_rule or "",
                category=vocabulary.get(f"category.{hazard.category}", hazard.category or ""),
                inspector=site.person_name(hazard.found_by, lang),
                measures=plan.measures if plan else "",
                funds_planned=plan.funds if plan else "",
                funds_spent=hazard.funds_spent or "",
                responsible=site.person_name(plan.responsible_id if plan else None, lang),
                deadline=original_deadline(hazard),
                extensions=extensions,
                final_deadline=hazard.deadline_date() if extensions else None,
                rectified_date=_day(hazard.rectified_at),
                verifier=site.person_name(hazard.verified_by or checked.by, lang),
                verification=checked.label(vocabulary),
                opinion=hazard.verification_opinion or "",
                status=vocabulary[f"status.{hazard.status.value}"],
                closed_date=_day(hazard.closed_at),
                reported=_reported(hazard, vocabulary),
                supervised=_supervised(hazard, vocabulary),
                risk=vocabulary[f"risk.{hazard.risk.value}"],
                hazard_id=hazard.id,
                is_major=hazard.is_major,
            )
        )
    return rows


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
            cell.alignment = Alignment(vertical="top", wrap_text=column.field in _WRAPPED)
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
