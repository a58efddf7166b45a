"""The PDF report of an inspection built in code, in Chinese and English: the text as pdftotext
reads it, the photos embedded, a character the fonts lack refused, and page 1 as a picture."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.inspection import Answer, Finding, Inspection, InspectionStatus
from inspect_app.exports.fonts import MissingGlyphsError, TextFonts
from inspect_app.exports.report import inspection_report_pdf
from inspect_app.photos import signature_png
from tests.exports.conftest import CHECKLIST, SITE, jpeg

PHOTOS = {
    "landscape": jpeg("steelblue", (1600, 1200), "gauge, front"),
    "portrait": jpeg("darkorange", (900, 1600), "gauge, side"),
}
SIGNATURE = signature_png([[(20, 100), (80, 30), (140, 110), (220, 40)], [(250, 90)]], 360, 150)
PHOTOS["signature"] = SIGNATURE
SHAS = {name: hashlib.sha256(data).hexdigest() for name, data in PHOTOS.items()}
BY_SHA = {SHAS[name]: data for name, data in PHOTOS.items()}


def _inspection() -> Inspection:
    inspection = Inspection(
        id="insp-1",
        checklist_id=CHECKLIST.id,
        checklist_version=CHECKLIST.version,
        checklist_hash=CHECKLIST.content_hash,
        workshop_id="ws-stamping",
        area_id="line-1",
        asset_id="AC-01",
        inspector_id="p-li",
        started_at="2026-11-22T09:00:00+08:00",
    )
    inspection = inspection.with_instance("extinguishers", "F-12").with_instance(
        "extinguishers", "F-13"
    )
    answers = [
        Answer(
            "ext-gauge",
            "fail",
            tag="F-12",
            note="指针在红区，已挂停用牌",
            photos=(SHAS["landscape"], SHAS["portrait"]),
            finding=Finding("灭火器F-12压力不足，需送检充装", Grade.GENERAL, Risk.ORANGE),
        ),
        Answer("ext-pressure", "0.85", tag="F-12"),
        Answer("ext-gauge", "pass", tag="F-13"),
        Answer("ext-pressure", "1.2", tag="F-13", note="Checked with the test gauge"),
        Answer("exit-clear", "na"),
        Answer("exit-sign", "lit"),
        Answer("remarks", "Housekeeping good; 现场整洁"),
    ]
    for answer in answers:
        inspection = inspection.with_answer(answer)
    return inspection.submitted("2026-11-22T09:40:00+08:00", "李明", SHAS["signature"])


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _squeezed(text: str) -> str:
    """pdftotext spaces CJK text unpredictably, so Chinese is compared without whitespace."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def zh_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report-zh.pdf"
    path.write_bytes(inspection_report_pdf(_inspection(), CHECKLIST, SITE, "zh", BY_SHA.get))
    return path


def test_chinese_report_text(zh_pdf: Path) -> None:
    text = _squeezed(_pdftotext(zh_pdf))
    for expected in (
        "安全检查报告",
        "苏州精密零部件厂",
        "检查表消防安全月度检查（第3版）",
        "车间冲压车间",
        "区域1号冲压线",
        "设备储气罐AC-01",
        "检查人李明",
        "开始时间2026-11-2209:00",
        "提交时间2026-11-2209:40",
        "签字李明",
        # A repeated section: one group per extinguisher, titled with its tag.
        "灭火器F-12检查项目检查情况结论备注压力表指针在绿区不合格✗不合格指针在红区，已挂停用牌",
        "筒体压力0.85MPa✗不合格",
        "灭火器F-13",
        "筒体压力1.2MPa✓合格",
        "安全出口标志灯常亮✓合格",
        "疏散通道无堆物不适用不适用",
        "其他情况Housekeepinggood;现场整洁",
        "第1/2页",
        "第2/2页",
    ):
        assert expected in text, expected
    assert "草稿" not in text


def test_summary_and_findings(zh_pdf: Path) -> None:
    text = _squeezed(_pdftotext(zh_pdf))
    # F-12: the gauge failed and its 0.85 MPa is below 1.0; the text answer counts as neither.
    assert "检查结果汇总合格3不合格2不适用1" in text
    assert "未检查" not in text
    findings = text[text.index("发现的问题") :]
    assert findings.startswith(
        "发现的问题1.压力表指针在绿区（灭火器F-12）隐患等级:一般风险等级:橙"
        "问题描述灭火器F-12压力不足，需送检充装备注指针在红区，已挂停用牌"
    )
    # No finding was written for the reading: grade and risk come from the checklist.
    assert "2.筒体压力（灭火器F-12）隐患等级:重大风险等级:红" in findings


def test_both_photos_are_embedded(zh_pdf: Path) -> None:
    listing = subprocess.run(
        ["pdfimages", "-list", str(zh_pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = {tuple(line.split()[3:5]) for line in listing.splitlines()[2:]}
    # The two photos, and the signature drawn at twice the pad's 360 x 150.
    assert sizes == {("1600", "1200"), ("900", "1600"), ("720", "300")}


def test_the_drawn_signature_is_beside_the_typed_name(zh_pdf: Path) -> None:
    text = _squeezed(_pdftotext(zh_pdf))
    assert "签字李明" in text and "手写签名李明" in text
    unsigned = replace(_inspection(), signature_photo=None)
    pdf = inspection_report_pdf(unsigned, CHECKLIST, SITE, "zh", BY_SHA.get)
    assert b"/Subtype /Image" in pdf and pdf.count(b"/Subtype /Image") == 2


def test_english_report_and_draft_mark(tmp_path: Path) -> None:
    draft = replace(_inspection(), status=InspectionStatus.DRAFT, submitted_at=None, signed_by=None)
    # One photo's file is damaged, the other is not on the device: both say so in its place.
    load = {SHAS["landscape"]: b"not a jpeg"}.get
    path = tmp_path / "report-en.pdf"
    path.write_bytes(inspection_report_pdf(draft, CHECKLIST, SITE, "en", load))
    text = _pdftotext(path)
    for expected in (
        "Inspection report",
        "DRAFT - not submitted",
        "Fire safety - monthly (version 3)",
        "Stamping workshop",
        "Fire extinguishers - Extinguisher F-12",
        "Pressure gauge needle in the green zone",
        "✓ Pass",
        "✗ Fail",
        "Photo file is damaged",
        "Photo not on this device",
        # Checklist text is English, people's names and the notes stay as they were written.
        "李明",
        "指针在红区，已挂停用牌",
        "Page 1 / 2",
    ):
        assert expected in text, expected


def test_a_character_no_font_has_is_refused() -> None:
    inspection = _inspection()
    note = "Gauge cracked 𓀀 क"
    bad = replace(
        inspection,
        answers={**inspection.answers, "exit-sign": Answer("exit-sign", "lit", note=note)},
    )
    with pytest.raises(MissingGlyphsError) as error:
        inspection_report_pdf(bad, CHECKLIST, SITE, "zh", BY_SHA.get)
    assert error.value.characters == ["𓀀", "क"]
    assert str(error.value) == (
        "the fonts cannot show 2 character(s): '𓀀' (U+13000), 'क' (U+0915); "
        "change the text or install a font that has them"
    )


def test_fonts_cover_both_vocabularies_and_the_site() -> None:
    fonts = TextFonts.installed()
    assert fonts.missing(["李明 Pressure 0.85 MPa ✓ ✗ （第3版）：、"]) == []


def test_page_one_picture(zh_pdf: Path, tmp_path: Path) -> None:
    """Page 1 drawn as a picture (into the test's folder: the README's copy is made on
    purpose, never by a test run)."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(zh_pdf),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    assert (tmp_path / "page1.png").stat().st_size > 10_000
