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
from tests.exports.conftest import DEMO_SITE, LI, SITE, WANG, ZHAO, Step, demo_hazards, drive

SHA = "c" * 64
ZH_HEADERS = [
    "序号",
    "发现日期",
    "隐患部位",
    "隐患描述",
    "隐患来源",
    "隐患等级",
    "重大隐患判定依据",
    "隐患类别",
    "检查人",
    "整改措施",
    "计划资金",
    "实际投入资金",
    "整改责任人",
    "整改期限",
    "延期次数",
    "延期至",
    "整改完成日期",
    "验收人",
    "验收结果",
    "验收意见",
    "状态",
    "销号日期",
    "上报情况",
    "挂牌督办",
    "风险等级",
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
                    {"opinion": "指针仍在红区"},
                    "2026-10-06T09:00:00+08:00",
                ),
                (
                    CommandType.SUBMIT_RECTIFIED,
                    ZHAO,
                    {"photos": [SHA]},
                    "2026-10-09T16:00:00+08:00",
                ),
                (
                    CommandType.VERIFY_PASS,
                    LI,
                    {"opinion": "指针在绿区"},
                    "2026-10-11T15:30:00+08:00",
                ),
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
                    {"opinion": "Wrong hose"},
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
        "一般",
        "橙",
        "消防安全",
    )
    opened = rows[0]
    assert opened.place == "冲压车间 / 1号冲压线 / 储气罐AC-01"
    assert (opened.responsible, opened.verification, opened.closed_date) == ("", "待验收", None)
    assert opened.is_major and opened.grade == "重大"
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
    assert verification(events) == Verification(passed=True, failures=1, by="p-li")
    reopened = HazardEvent(
        "r", "hz-closed", "reopen", "p-wang", "dev-1", "", "applied", "closed", "rectifying"
    )
    assert verification([*events, reopened]) == Verification(False, 1, "p-li")
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
    assert verification([*events, refused]) == Verification(True, 1, "p-li")


def test_xlsx(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    write_ledger_xlsx(_rows(hazards, "zh"), path, "zh")
    sheet = load_workbook(path).active
    assert sheet.title == "隐患台账"
    assert [c.value for c in sheet[1]] == ZH_HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Z4"
    assert sheet.column_dimensions["D"].width == 40
    cells = {heading: cell for heading, cell in zip(ZH_HEADERS, sheet[3], strict=True)}
    assert cells["序号"].value == 2
    assert cells["发现日期"].value == datetime(2026, 10, 3) and cells["发现日期"].is_date
    assert cells["发现日期"].number_format == "yyyy-mm-dd"
    assert cells["隐患部位"].value == "冲压车间 / 1号冲压线"
    assert cells["隐患描述"].value == "灭火器F-12压力不足"
    assert cells["隐患来源"].value == "手工登记"
    assert cells["检查人"].value == "李明"
    assert (cells["整改措施"].value, cells["计划资金"].value) == ("送检充装", "300元")
    assert cells["整改责任人"].value == "赵磊"
    assert cells["整改期限"].value == datetime(2026, 10, 12)
    assert (cells["延期次数"].value, cells["延期至"].value) == (0, None)
    assert cells["整改完成日期"].value == datetime(2026, 10, 9)
    assert (cells["验收人"].value, cells["验收意见"].value) == ("李明", "指针在绿区")
    assert cells["验收结果"].value == "验收通过（此前1次未通过）"
    assert cells["销号日期"].value == datetime(2026, 10, 11) and cells["销号日期"].is_date
    assert cells["隐患编号"].value == "hz-closed"
    # Only the major hazard's row is highlighted; it was never reported.
    assert sheet["A2"].fill.fgColor.rgb == "00F8CBAD"
    assert sheet["A3"].fill.fill_type is None
    assert sheet.cell(2, ZH_HEADERS.index("销号日期") + 1).value is None
    assert sheet.cell(2, ZH_HEADERS.index("上报情况") + 1).value == "未上报"


def test_csv_opens_in_excel_as_chinese(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_ledger_csv(_rows(hazards, "zh"), path, "zh")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ZH_HEADERS
    closed = dict(zip(ZH_HEADERS, rows[2], strict=True))
    assert closed["发现日期"] == "2026-10-03"
    assert closed["隐患等级"] == "一般"
    assert closed["整改期限"] == "2026-10-12"
    assert closed["销号日期"] == "2026-10-11"
    assert closed["验收结果"] == "验收通过（此前1次未通过）"
    assert dict(zip(ZH_HEADERS, rows[1], strict=True))["销号日期"] == ""


def test_english_headers(hazards: dict, tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_ledger_csv(_rows(hazards, "en"), path, "en")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:6] == ["No.", "Found date", "Place", "Description", "Source", "Grade"]
    assert "Deadline (original)" in header and "Verification opinion" in header


def test_unknown_language_is_refused(hazards: dict) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'; use one of en, zh"):
        _rows(hazards, "fr")


def test_demo_ledger_has_every_column_a_ledger_needs(tmp_path: Path) -> None:
    demo = demo_hazards()
    timelines = {hazard.id: events for hazard, events in demo}
    rows = ledger_rows([h for h, _ in demo], timelines.__getitem__, DEMO_SITE, "zh")
    path = tmp_path / "ledger.xlsx"
    write_ledger_xlsx(rows, path, "zh")
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ZH_HEADERS
    by_id = {
        row[-1]: dict(zip(ZH_HEADERS, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert list(by_id) == [
        "demo-U1",
        "demo-S1",
        "demo-L1",
        "demo-S2",
        "demo-S3",
        "demo-W1",
        "demo-W3",
        "demo-P1",
        "demo-W2",
        "demo-U2",
    ]
    assert [row["序号"] for row in by_id.values()] == list(range(1, 11))
    s1 = by_id["demo-S1"]
    assert s1["隐患来源"] == "fire-monthly / ext-gauge (F-12)"
    assert (s1["计划资金"], s1["实际投入资金"]) == ("300元", "280元")
    # Extended once with approval: the deadline stays the original, the extension beside it.
    s2 = by_id["demo-S2"]
    assert s2["隐患来源"] == "手工登记"
    assert s2["整改期限"] == datetime(2026, 7, 27)
    assert (s2["延期次数"], s2["延期至"]) == (1, datetime(2026, 8, 10))
    assert (s2["整改完成日期"], s2["销号日期"]) == (datetime(2026, 8, 5), datetime(2026, 8, 6))
    assert (s2["验收人"], s2["验收意见"]) == ("林晓燕", "门锁已更换，箱门可锁闭")
    s3 = by_id["demo-S3"]
    assert (s3["隐患等级"], s3["重大隐患判定依据"]) == ("重大", "GB 45067-2024 5.7.4")
    assert s3["隐患部位"] == "冲压车间 / 16吨桥式起重机"
    assert s3["上报情况"] == "2026-08-04 报苏州市应急管理局"
    assert s3["挂牌督办"] == "苏州市应急管理局督办，期限 2026-09-10；2026-09-02 销号"
    assert (s3["状态"], s3["验收人"]) == ("已销号", "林晓燕")
    # Fixed on the spot by the finder, verified by the safety officer the next day.
    w1 = by_id["demo-W1"]
    assert (w1["整改期限"], w1["整改完成日期"]) == (datetime(2026, 8, 12), datetime(2026, 8, 12))
    assert (w1["检查人"], w1["验收人"]) == ("何静怡", "林晓燕")
    assert by_id["demo-P1"]["上报情况"] == "2026-09-11 报苏州市应急管理局"
    assert by_id["demo-P1"]["挂牌督办"] is None
    assert by_id["demo-L1"]["状态"] == "已作废"
    assert by_id["demo-U2"]["上报情况"] is None and by_id["demo-U2"]["整改措施"] is None
