"""The hazard ledger: rows from hazards driven through the state machine, names resolved from the
site, verification read from the timeline; the XLSX and CSV read back as Excel would see them."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from inspect_app.core.hazard import Hazard, HazardEvent
from inspect_app.core.workflow import CommandType
from inspect_app.exports.ledger import (
    Verification,
    ledger_rows,
    verification,
    write_ledger_csv,
    write_ledger_xlsx,
)
from tests.exports.conftest import LI, SITE, WANG, ZHAO, Step, drive

SHA = "c" * 64
ZH_HEADERS = [
    "发现日期",
    "隐患部位",
    "隐患描述",
    "隐患等级",
    "检查人",
    "整改责任人",
    "整改期限",
    "验收结果",
    "销号日期",
    "状态",
    "风险等级",
    "隐患类别",
    "隐患编号",
]


def _create(found_at: str, description: str, grade: str, **extra: Any) -> Step:
    payload = {
        "workshop_id": "ws-stamping",
        "area_id": "line-1",
        "description": description,
        "grade": grade,
        "risk": "red" if grade == "major" else "orange",
        "category": "fire",
        "deadline": "2026-10-20",
        **extra,
    }
    return (CommandType.CREATE, LI, payload, found_at)


PLAN = {
    "responsible_id": "p-zhao",
    "measures": "送检充装",
    "funds": "300元",
    "deadline": "2026-10-12",
    "contingency": "放置备用灭火器",
}
RECTIFY: list[Step] = [
    (CommandType.ASSIGN_FIVE_FIXES, WANG, PLAN, "2026-10-03T10:00:00+08:00"),
    (CommandType.START_RECTIFICATION, ZHAO, {}, "2026-10-04T08:00:00+08:00"),
    (CommandType.SUBMIT_RECTIFIED, ZHAO, {"photos": [SHA]}, "2026-10-05T16:00:00+08:00"),
]


@pytest.fixture
def hazards() -> dict[str, tuple[Hazard, list[HazardEvent]]]:
    return {
        # Failed once, rectified again, then passed and closed.
        "hz-closed": drive(
            "hz-closed",
            [
                _create("2026-10-03T09:00:00+08:00", "灭火器F-12压力不足", "general"),
                *RECTIFY,
                (
                    CommandType.VERIFY_FAIL,
                    LI,
                    {"reason": "指针仍在红区"},
                    "2026-10-06T09:00:00+08:00",
                ),
                (
                    CommandType.SUBMIT_RECTIFIED,
                    ZHAO,
                    {"photos": [SHA]},
                    "2026-10-09T16:00:00+08:00",
                ),
                (CommandType.VERIFY_PASS, LI, {}, "2026-10-11T15:30:00+08:00"),
            ],
        ),
        # Found first, never planned.
        "hz-open": drive(
            "hz-open",
            [
                _create(
                    "2026-09-28T14:00:00+08:00",
                    "Exit blocked by pallets",
                    "major",
                    asset_id="AC-01",
                )
            ],
        ),
        "hz-failed": drive(
            "hz-failed",
            [
                _create("2026-10-05T11:00:00+08:00", "Hose cracked", "general", area_id=None),
                *RECTIFY,
                (
                    CommandType.VERIFY_FAIL,
                    LI,
                    {"reason": "Wrong hose"},
                    "2026-10-07T09:00:00+08:00",
                ),
            ],
        ),
    }


def _rows(hazards: dict[str, tuple[Hazard, list[HazardEvent]]], lang: str) -> list:
    timelines = {hazard.id: events for hazard, events in hazards.values()}
    return ledger_rows([h for h, _ in hazards.values()], timelines.__getitem__, SITE, lang)


def test_rows_in_found_order_with_names(hazards: dict) -> None:
    rows = _rows(hazards, "zh")
    assert [r.hazard_id for r in rows] == ["hz-open", "hz-closed", "hz-failed"]
    closed = rows[1]
    assert closed.found_date == date(2026, 10, 3)
    assert closed.place == "冲压车间 / 1号冲压线"
    assert closed.inspector == "李明"
    assert closed.responsible == "赵磊"
    assert closed.deadline == date(2026, 10, 12)
    assert closed.verification == "验收通过（此前1次未通过）"
    assert closed.closed_date == date(2026, 10, 11)
    assert (closed.status, closed.grade, closed.risk, closed.category) == (
        "已销号",
        "一般隐患",
        "橙",
        "消防",
    )
    opened = rows[0]
    assert opened.place == "冲压车间 / 1号冲压线 / 储气罐AC-01"
    assert (opened.responsible, opened.verification, opened.closed_date) == ("", "待验收", None)
    assert opened.is_major and opened.grade == "重大隐患"
    assert rows[2].place == "冲压车间"
    assert rows[2].verification == "验收未通过1次"


def test_english_rows(hazards: dict) -> None:
    rows = _rows(hazards, "en")
    assert rows[0].place == "Stamping workshop / Press line 1 / Air receiver AC-01"
    assert rows[1].verification == "Passed (failed ×1 before)"
    assert rows[2].verification == "Failed ×1"
    assert rows[0].verification == "Pending"
    # People are named as the site writes them.
    assert rows[1].responsible == "赵磊"


def test_verification_reads_applied_events_in_order(hazards: dict) -> None:
    _, events = hazards["hz-closed"]
    assert verification(events) == Verification(passed=True, failures=1)
    reopened = HazardEvent(
        "r", "hz-closed", "reopen", "p-wang", "dev-1", "", "applied", "closed", "rectifying"
    )
    assert verification([*events, reopened]) == Verification(passed=False, failures=1)
    refused = HazardEvent(
        "x",
        "hz-closed",
        "verify_fail",
        "p-li",
        "dev-1",
        "",
        "rejected_conflict",
        "closed",
        "closed",
    )
    assert verification([*events, refused]) == Verification(passed=True, failures=1)


def test_xlsx(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    write_ledger_xlsx(_rows(hazards, "zh"), path, "zh")
    sheet = load_workbook(path).active
    assert sheet.title == "隐患台账"
    assert [c.value for c in sheet[1]] == ZH_HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M4"
    assert sheet.column_dimensions["C"].width == 50
    values = {c.column_letter: c for c in sheet[3]}
    assert values["A"].value == datetime(2026, 10, 3) and values["A"].is_date
    assert values["A"].number_format == "yyyy-mm-dd"
    assert values["B"].value == "冲压车间 / 1号冲压线"
    assert values["C"].value == "灭火器F-12压力不足"
    assert values["E"].value == "李明"
    assert values["F"].value == "赵磊"
    assert values["G"].value == datetime(2026, 10, 12)
    assert values["H"].value == "验收通过（此前1次未通过）"
    assert values["I"].value == datetime(2026, 10, 11) and values["I"].is_date
    assert values["M"].value == "hz-closed"
    # Only the major hazard's row is highlighted.
    assert sheet["A2"].fill.fgColor.rgb == "00F8CBAD"
    assert sheet["A3"].fill.fill_type is None
    assert sheet["I2"].value is None


def test_csv_opens_in_excel_as_chinese(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_ledger_csv(_rows(hazards, "zh"), path, "zh")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ZH_HEADERS
    assert rows[2][:9] == [
        "2026-10-03",
        "冲压车间 / 1号冲压线",
        "灭火器F-12压力不足",
        "一般隐患",
        "李明",
        "赵磊",
        "2026-10-12",
        "验收通过（此前1次未通过）",
        "2026-10-11",
    ]
    assert rows[1][8] == ""


def test_english_headers(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_ledger_csv(_rows(hazards, "en"), path, "en")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:9] == [
        "Found date",
        "Place",
        "Description",
        "Grade",
        "Inspector",
        "Responsible person",
        "Deadline",
        "Verification",
        "Closed date",
    ]


def test_unknown_language_is_refused(hazards: dict) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'; use one of en, zh"):
        _rows(hazards, "fr")
