"""``inspect-app export`` on a real device workspace: an inspection walked and submitted through
the services, its hazard driven to closure by several people, then the ledger and the reports
exported; bad input is one line on stderr and exit 1."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from inspect_app.cli import main
from inspect_app.core.inspection import Answer
from inspect_app.core.workflow import CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from tests.services.conftest import FakeClock
from tests.services.test_inspection_flow import walk_fire


@dataclass(frozen=True)
class Device:
    data: Path
    submitted_id: str
    draft_id: str


def _act(
    ws: Workspace, person: str, hazard_id: str, action: CommandType, payload: dict[str, Any]
) -> None:
    ws.sign_in(person)
    hazards = HazardService(ws)
    hazard = hazards.get(hazard_id)
    assert hazard is not None
    assert hazards.act(hazard, action, payload).applied


@pytest.fixture
def device(tmp_path: Path) -> Device:
    data = tmp_path / "device"
    ws = open_workspace(data, clock=FakeClock())
    ws.sign_in("p-li")
    service, inspection = walk_fire(ws)
    submission = service.submit(inspection, "李明")
    gauge = next(h for h in submission.hazards if h.item_id == "ext-gauge")
    after = {"photos": list(gauge.photos)}
    plan = {
        "responsible_id": "p-zhao",
        "measures": "送检充装",
        "funds": "300元",
        "deadline": "2026-11-25",
    }
    for person, action, payload in [
        ("p-wang", CommandType.ASSIGN_FIVE_FIXES, plan),
        ("p-zhao", CommandType.START_RECTIFICATION, {}),
        ("p-zhao", CommandType.SUBMIT_RECTIFIED, after),
        ("p-li", CommandType.VERIFY_FAIL, {"opinion": "仍在红区"}),
        ("p-zhao", CommandType.SUBMIT_RECTIFIED, after),
        ("p-li", CommandType.VERIFY_PASS, {"opinion": "指针在绿区"}),
    ]:
        _act(ws, person, gauge.id, action, payload)
    ws.sign_in("p-li")
    _, draft = walk_fire(ws, with_photo=False)
    ws.store.close()
    return Device(data, submission.inspection.id, draft.id)


def _export(*args: str | Path) -> int:
    return main(["export", *map(str, args)])


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_ledger_xlsx(device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "台账.xlsx"
    assert (
        _export("ledger", "--data", device.data, "--format", "xlsx", "-o", out, "--lang", "zh") == 0
    )
    assert capsys.readouterr().out == f"wrote {out}: 2 hazards\n"
    sheet = load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    gauge = next(row for row in rows if "F-12" in row["隐患描述"])
    assert [gauge[h] for h in ("发现日期", "隐患部位", "隐患描述", "隐患等级", "检查人")] == [
        datetime(2026, 11, 22),
        "冲压车间 / 1号冲压线",
        "[F-12] Gauge in red, cylinder empty",
        "一般",
        "李明",
    ]
    assert [gauge[h] for h in ("整改责任人", "整改期限", "验收结果", "销号日期")] == [
        "赵磊",
        datetime(2026, 11, 25),
        "验收通过（此前1次未通过）",
        datetime(2026, 11, 22),
    ]
    door = next(row for row in rows if "Door 3" in row["隐患描述"])
    assert [door[h] for h in ("隐患等级", "整改责任人", "验收结果", "销号日期", "状态")] == [
        "一般",
        None,
        "待验收",
        None,
        "待下达",
    ]


def test_ledger_csv_in_the_device_language(device: Device, tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    assert _export("ledger", "--data", device.data, "--format", "csv", "-o", out) == 0
    assert out.read_text("utf-8-sig").startswith("No.,Found date,Place,Description,")


def test_report(device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.pdf"
    code = _export("report", device.submitted_id, "--data", device.data, "-o", out, "--lang", "zh")
    assert code == 0
    assert capsys.readouterr().out == f"wrote {out}: report of inspection {device.submitted_id}\n"
    text = "".join(_pdftotext(out).split())
    assert "消防安全月度检查" in text and "灭火器F-12" in text and "草稿" not in text
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    )
    assert len(images.stdout.splitlines()) == 2 + 2  # header lines, then the two failures' photos


def test_a_draft_is_reported_and_marked(
    device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft.pdf"
    assert _export("report", device.draft_id, "--data", device.data, "-o", out, "--lang", "en") == 0
    assert "(not submitted: marked DRAFT)" in capsys.readouterr().out
    assert "DRAFT - not submitted" in _pdftotext(out)


def _fails(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    assert _export(*args) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("export failed: ") and captured.err.count("\n") == 1
    return captured.err


def test_clear_errors(device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.pdf"
    err = _fails(capsys, "report", "nope", "--data", device.data, "-o", out)
    assert err == "export failed: no inspection nope\n"
    missing = tmp_path / "no-such-device"
    err = _fails(capsys, "ledger", "--data", missing, "--format", "csv", "-o", out)
    assert err == f"export failed: no data directory at {missing}\n"
    assert not missing.exists()
    bad_out = tmp_path / "no-such-dir" / "ledger.xlsx"
    err = _fails(capsys, "ledger", "--data", device.data, "--format", "xlsx", "-o", bad_out)
    assert err == f"export failed: cannot write {bad_out}: not a file in an existing directory\n"
    assert not out.exists()


def test_a_store_in_use(device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    running = open_workspace(device.data)
    try:
        err = _fails(
            capsys, "ledger", "--data", device.data, "--format", "csv", "-o", tmp_path / "l.csv"
        )
    finally:
        running.store.close()
    assert "in use by another process" in err


def test_text_the_fonts_cannot_show(
    device: Device, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = open_workspace(device.data, clock=FakeClock())
    ws.sign_in("p-li")
    service = InspectionService(ws)
    draft = service.get(device.draft_id)
    service.answer(draft, Answer("exit-clear", "fail", note="door 𓀀 chained"))
    ws.store.close()
    out = tmp_path / "draft.pdf"
    err = _fails(capsys, "report", device.draft_id, "--data", device.data, "-o", out)
    assert "'𓀀' (U+13000)" in err
    assert not out.exists()
