"""The statistics form of the demo data's third quarter of 2026, opened with openpyxl and checked
cell by cell against figures worked out by hand from the hazards in tests/exports/conftest.py;
the funds parser, the period argument, and ``inspect-app export statistics`` on a device."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from inspect_app.cli import main
from inspect_app.commands import export as export_command
from inspect_app.core.rates import PLANT_TIME, Period
from inspect_app.exports import ExportError
from inspect_app.exports.statistics import (
    HEADER_ROW,
    amount,
    parse_period,
    statistics_rows,
    write_statistics_xlsx,
)
from inspect_app.services.bootstrap import open_workspace
from tests.exports.conftest import DEMO_SITE, demo_hazards
from tests.services.conftest import FakeClock

Q3 = Period.quarter(2026, 3)
LATER = datetime(2026, 11, 27, 9, 0, tzinfo=PLANT_TIME)
ZH_HEADERS = [
    "车间/部门",
    "排查一般隐患",
    "排查重大隐患",
    "一般隐患已整改",
    "重大隐患已整改",
    "整改率（已整改/排查）",
    "到期隐患",
    "到期已整改",
    "整改率（已整改/到期）",
    "按期整改",
    "按期整改率",
    "上期结转未整改",
    "期末逾期未整改",
    "计划资金（元）",
    "实际投入资金（元）",
    "重大隐患已上报",
    "挂牌督办",
]
# Worked by hand from the demo hazards (as of the end of 30 September 2026):
# Stamping: S1 (on time), S2 (original deadline 27 Jul, fixed 6 Aug: late although extended),
#   S3 (major, closed 2 Sep, due 5 Sep; reported, supervised). Funds 300 + 1200 + 25000
#   planned, 280 + 1200 + 23800 spent.
# Welding: W1 on the spot (rectified when fixed, on time), W2 due 9 Oct (not yet due, funds
#   "无" not a number), W3 due 20 Sep and still being fixed (overdue). 500 planned.
# Painting: P1 major due 31 Oct, reported, not supervised; 30000 planned.
# Utilities: U1 found in June (backlog), fixed 2 Jul on time, 800 spent; U2 found in October.
# Logistics: L1 voided, not counted. Assembly: nothing.
EXPECTED: list[list[Any]] = [
    ["冲压车间", 2, 1, 2, 1, 1, 3, 3, 1, 2, 2 / 3, 0, 0, 26500, 25280, 1, 1],
    ["焊装车间", 3, 0, 1, 0, 1 / 3, 2, 1, 0.5, 1, 0.5, 0, 1, 500, 0, 0, 0],
    ["涂装车间", 0, 1, 0, 0, 0, 0, 0, "—", 0, "—", 0, 0, 30000, 0, 1, 0],
    ["总装车间", 0, 0, 0, 0, "—", 0, 0, "—", 0, "—", 0, 0, 0, 0, 0, 0],
    ["物流仓储部", 0, 0, 0, 0, "—", 0, 0, "—", 0, "—", 0, 0, 0, 0, 0, 0],
    ["动力车间（锅炉房）", 0, 0, 0, 0, "—", 1, 1, 1, 1, 1, 1, 0, 0, 800, 0, 0],
    ["全厂合计", 5, 2, 3, 1, 4 / 7, 6, 5, 5 / 6, 4, 4 / 6, 1, 1, 57000, 26080, 2, 1],
]


def _form(tmp_path: Path, lang: str, period: Period = Q3, as_of: datetime = LATER) -> Any:
    hazards = [hazard for hazard, _ in demo_hazards()]
    rows = statistics_rows(hazards, DEMO_SITE, period, as_of, lang)
    path = tmp_path / f"statistics-{lang}.xlsx"
    write_statistics_xlsx(rows, DEMO_SITE, period, as_of, path, lang)
    return load_workbook(path).active


def _values(sheet: Any, first: int, last: int) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first, max_row=last)]


def test_quarter_form_has_the_hand_worked_figures(tmp_path: Path) -> None:
    sheet = _form(tmp_path, "zh")
    assert sheet["A1"].value == "隐患排查治理情况统计表 2026年第3季度"
    assert "苏州精密零部件厂" in sheet["A2"].value and "截至：2026-09-30" in sheet["A2"].value
    assert _values(sheet, HEADER_ROW, HEADER_ROW)[0] == ZH_HEADERS
    body = _values(sheet, HEADER_ROW + 1, HEADER_ROW + len(EXPECTED))
    for got, want in zip(body, EXPECTED, strict=True):
        assert got == pytest.approx(want), want[0]
    assert sheet.cell(HEADER_ROW + 1, ZH_HEADERS.index("按期整改率") + 1).number_format == "0.0%"
    assert sheet.cell(HEADER_ROW + len(EXPECTED), 1).font.bold
    assert sheet.cell(HEADER_ROW + len(EXPECTED) + 2, 1).value == "另有1项资金未写明金额，未计入。"


def test_the_plant_row_adds_up_the_workshops(tmp_path: Path) -> None:
    sheet = _form(tmp_path, "zh")
    body = _values(sheet, HEADER_ROW + 1, HEADER_ROW + len(EXPECTED))
    counts = [i for i, heading in enumerate(ZH_HEADERS) if "率" not in heading][1:]
    for column in counts:
        assert body[-1][column] == sum(row[column] for row in body[:-1]), ZH_HEADERS[column]


def test_the_year_counts_what_the_quarters_do(tmp_path: Path) -> None:
    sheet = _form(tmp_path, "en", Period.year(2026))
    assert sheet["A1"].value == "Hazard investigation and rectification statistics 2026"
    header = _values(sheet, HEADER_ROW, HEADER_ROW)[0]
    plant = dict(zip(header, _values(sheet, HEADER_ROW + 7, HEADER_ROW + 7)[0], strict=True))
    assert plant["Workshop"] == "Plant total"
    # The year adds U1 (found in June) and U2 (found in October) to the quarter's hazards.
    assert (plant["General hazards found"], plant["Major hazards found"]) == (7, 2)
    assert plant["General rectified"] == 4
    assert plant["Backlog carried in"] == 0
    assert plant["Funds planned (CNY)"] == 57800


def test_a_running_quarter_is_counted_up_to_now(tmp_path: Path) -> None:
    during = datetime(2026, 8, 10, 12, 0, tzinfo=PLANT_TIME)
    sheet = _form(tmp_path, "zh", as_of=during)
    assert "截至：2026-08-10" in sheet["A2"].value
    plant = _values(sheet, HEADER_ROW + 7, HEADER_ROW + 7)[0]
    row = dict(zip(ZH_HEADERS, plant, strict=True))
    # Found by 10 Aug: S1, S2, S3 (major), U1 is backlog; W1 on 12 Aug not yet.
    assert (row["排查一般隐患"], row["排查重大隐患"]) == (2, 1)
    assert (row["一般隐患已整改"], row["到期隐患"], row["按期整改"]) == (2, 3, 2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("300元", Decimal(300)),
        ("CNY 1,200", Decimal(1200)),
        ("2.5万元", Decimal(25000)),
        ("约 3 万", Decimal(30000)),
        ("¥99.50", Decimal("99.50")),
        ("无", None),
        ("workshop budget", None),
        (None, None),
    ],
)
def test_amount(text: str | None, value: Decimal | None) -> None:
    assert amount(text) == value


@pytest.mark.parametrize("text", ["2026Q5", "26Q3", "2026-Q3", "0000", "9999", "soon"])
def test_a_period_is_a_year_or_a_quarter(text: str) -> None:
    with pytest.raises(ExportError, match="is not a period"):
        parse_period(text)
    assert parse_period("2026q4") == Period.quarter(2026, 4)
    assert parse_period("2027") == Period.year(2027)


def test_cli_exports_the_devices_statistics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "device"
    ws = open_workspace(data, clock=FakeClock())
    with ws.store.transaction() as tx:
        for hazard, events in demo_hazards():
            tx.put_hazard(hazard.to_dict())
            for event in events:
                tx.add_event(event.to_dict())
    ws.store.close()
    monkeypatch.setattr(
        export_command, "open_workspace", lambda folder: open_workspace(folder, clock=FakeClock())
    )
    out = tmp_path / "stats.xlsx"
    argv = ["export", "statistics", "--period", "2026Q3", "--data", str(data), "-o", str(out)]
    assert main([*argv, "--lang", "zh"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}: statistics of 2026年第3季度"
    sheet = load_workbook(out).active
    assert _values(sheet, HEADER_ROW + 7, HEADER_ROW + 7)[0] == pytest.approx(EXPECTED[-1])
    assert main([*argv[:3], "2026Q7", *argv[4:]]) == 1
    assert "'2026Q7' is not a period" in capsys.readouterr().err
