"""Make the README's pictures of the exports, docs/screenshots/ledger.png, statistics.png and
report-page1.png, on purpose (tests never write there): the demo data's hazard ledger and its
statistics form for the third quarter of 2026 (tests/exports/conftest.py), written as XLSX by the
project's own writers, read back with openpyxl and drawn cell by cell as a spreadsheet shows them:
column widths, fills, bold, wrapped text, dates and percentages in the cells' number formats; and
page 1 of a Chinese inspection report PDF (tests/exports/test_report.py's inspection, photos and
drawn signature), drawn by poppler's pdftoppm.

LibreOffice is not installed here, so the sheet is drawn with Pillow rather than printed.
Run: .venv/bin/python scripts/export_screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, ImageDraw, ImageFont, ImageStat

sys.path.insert(0, str(Path(__file__).parents[1]))

from inspect_app.core.rates import PLANT_TIME, Period
from inspect_app.exports.fonts import TextFonts
from inspect_app.exports.ledger import ledger_rows, write_ledger_xlsx
from inspect_app.exports.report import inspection_report_pdf
from inspect_app.exports.statistics import statistics_rows, write_statistics_xlsx
from tests.exports.conftest import CHECKLIST, DEMO_SITE, SITE, demo_hazards
from tests.exports.test_report import BY_SHA
from tests.exports.test_report import _inspection as report_inspection

SCREENSHOTS = Path(__file__).parents[1] / "docs" / "screenshots"
LANG = "zh"
FONT_SIZE = 14
PX_PER_CHAR = 8  # an Excel character width at this font size
LINE = FONT_SIZE + 6
PAD = 4
GUTTER = 36  # the row numbers' column
GRID, HEADER_GREY, TEXT = "#C8C8C8", "#EFEFEF", "#1F1F1F"


@cache
def _font(path: Path, bold: bool) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(path), FONT_SIZE)
    if bold and path.name.startswith("DejaVuSans."):
        font = ImageFont.truetype(str(path.with_name("DejaVuSans-Bold.ttf")), FONT_SIZE)
    return font


@cache
def _latin_chars(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _runs(text: str, bold: bool) -> Iterator[tuple[str, ImageFont.FreeTypeFont]]:
    """The text cut where it changes between the Latin font and the CJK one behind it."""
    fonts = TextFonts.installed()
    latin = _latin_chars(fonts.latin)
    run, current = "", None
    for char in text:
        font = _font(fonts.latin if ord(char) in latin else fonts.cjk, bold)
        if current is not None and font is not current:
            yield run, current
            run = ""
        run, current = run + char, font
    if current is not None:
        yield run, current


def _width(text: str, bold: bool) -> float:
    return sum(font.getlength(run) for run, font in _runs(text, bold))


def _shown(cell: Cell) -> str:
    """The cell's value as its number format shows it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float | int | Decimal) and "%" in cell.number_format:
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float | int | Decimal) and "#,##0" in cell.number_format:
        return f"{value:,.0f}"
    return str(value)


def _wrapped(text: str, width: float, bold: bool) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and _width(line + char, bold) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


def _column_widths(sheet: Worksheet) -> list[int]:
    widths = []
    for index in range(1, sheet.max_column + 1):
        letter = sheet.cell(1, index).column_letter
        dimension = sheet.column_dimensions.get(letter)
        chars = dimension.width if dimension is not None and dimension.width else 8.43
        widths.append(round(chars * PX_PER_CHAR) + 2 * PAD)
    return widths


def draw(sheet: Worksheet) -> Image.Image:
    """The sheet as a spreadsheet shows it, with column letters and row numbers."""
    widths = _column_widths(sheet)
    rows = list(sheet.iter_rows(min_row=1, max_row=sheet.max_row))
    heights = []
    for row in rows:
        lines = 1
        for cell, width in zip(row, widths, strict=True):
            if cell.alignment.wrap_text and cell.value is not None:
                bold = bool(cell.font.bold)
                lines = max(lines, len(_wrapped(_shown(cell), width - 2 * PAD, bold)))
        heights.append(lines * LINE + 2 * PAD)
    image = Image.new("RGB", (GUTTER + sum(widths) + 1, LINE + sum(heights) + 1), "white")
    pen = ImageDraw.Draw(image)
    x = GUTTER
    for index, width in enumerate(widths, start=1):
        pen.rectangle((x, 0, x + width, LINE), fill=HEADER_GREY, outline=GRID)
        letter = sheet.cell(1, index).column_letter
        pen.text(
            (x + width / 2, LINE / 2),
            letter,
            fill=TEXT,
            anchor="mm",
            font=_font(TextFonts.installed().latin, False),
        )
        x += width
    y = LINE
    for number, (row, height) in enumerate(zip(rows, heights, strict=True), start=1):
        pen.rectangle((0, y, GUTTER, y + height), fill=HEADER_GREY, outline=GRID)
        pen.text(
            (GUTTER / 2, y + height / 2),
            str(number),
            fill=TEXT,
            anchor="mm",
            font=_font(TextFonts.installed().latin, False),
        )
        x = GUTTER
        for cell, width in zip(row, widths, strict=True):
            fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
            colour = f"#{fill[-6:]}" if isinstance(fill, str) else "white"
            pen.rectangle((x, y, x + width, y + height), fill=colour, outline=GRID)
            x += width
        x = GUTTER
        for column, (cell, width) in enumerate(zip(row, widths, strict=True)):
            _draw_cell(image, cell, x, y, _room(row, widths, column), height)
            x += width
        y += height
    return image


def _room(row: tuple[Cell, ...], widths: list[int], column: int) -> int:
    """How wide a text may run: over the empty cells to its right, as a spreadsheet lets an
    unwrapped text (never a number or a date) run."""
    room = widths[column]
    if row[column].alignment.wrap_text or not isinstance(row[column].value, str):
        return room
    for cell, width in zip(row[column + 1 :], widths[column + 1 :], strict=True):
        if cell.value is not None:
            break
        room += width
    return room


def _draw_cell(image: Image.Image, cell: Cell, x: int, y: int, width: int, height: int) -> None:
    text = _shown(cell)
    if not text:
        return
    bold = bool(cell.font.bold)
    size = cell.font.sz or 11
    lines = _wrapped(text, width - 2 * PAD, bold) if cell.alignment.wrap_text else [text]
    # Draw on a piece the size of the cell, so a long text is cut at its edge.
    piece = image.crop((x + 1, y + 1, x + width, y + height))
    pen = ImageDraw.Draw(piece)
    number = isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool)
    centred = cell.alignment.horizontal == "center"
    top = PAD if cell.alignment.vertical != "center" else (height - len(lines) * LINE) / 2
    for index, line in enumerate(lines):
        length = _width(line, bold)
        if centred:
            left = (width - length) / 2
        elif number or cell.alignment.horizontal == "right":
            left = width - PAD - length
        else:
            left = PAD
        for run, font in _runs(line, bold):
            if size > 12:
                font = font.font_variant(size=round(FONT_SIZE * size / 11))
            pen.text((left, top + index * LINE), run, fill=TEXT, font=font)
            if bold and font.path.endswith("DroidSansFallbackFull.ttf"):
                pen.text((left + 0.6, top + index * LINE), run, fill=TEXT, font=font)
            left += font.getlength(run)
    image.paste(piece, (x + 1, y + 1))


def _blank(image: Image.Image) -> bool:
    return max(ImageStat.Stat(image.convert("L")).stddev) < 5


def report_page(target: Path) -> bool:
    """Page 1 of the report at 80 dpi; False (nothing written) when it comes out blank."""
    pdf = inspection_report_pdf(report_inspection(), CHECKLIST, SITE, "zh", BY_SHA.get)
    with tempfile.TemporaryDirectory() as folder:
        source, page = Path(folder) / "report.pdf", Path(folder) / "page1"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, page],
            check=True,
        )
        image = Image.open(page.with_suffix(".png"))
        if _blank(image):
            return False
        image.save(target, optimize=True)
    print(f"wrote {target} ({image.width}x{image.height})")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SCREENSHOTS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    demo = demo_hazards()
    hazards = [hazard for hazard, _ in demo]
    timelines = {hazard.id: events for hazard, events in demo}
    quarter = Period.quarter(2026, 3)
    as_of = datetime(2026, 11, 27, 9, 0, tzinfo=PLANT_TIME)
    refused = []
    with tempfile.TemporaryDirectory() as folder:
        ledger, statistics = Path(folder) / "ledger.xlsx", Path(folder) / "statistics.xlsx"
        write_ledger_xlsx(
            ledger_rows(hazards, timelines.__getitem__, DEMO_SITE, LANG), ledger, LANG
        )
        rows = statistics_rows(hazards, DEMO_SITE, quarter, as_of, LANG)
        write_statistics_xlsx(rows, DEMO_SITE, quarter, as_of, statistics, LANG)
        for name, path in (("ledger", ledger), ("statistics", statistics)):
            sheet = load_workbook(path).active
            assert sheet is not None
            image = draw(sheet)
            if _blank(image):
                refused.append(name)
                continue
            target = args.out / f"{name}.png"
            image.save(target, optimize=True)
            print(f"wrote {target} ({image.width}x{image.height})")
    if not report_page(args.out / "report-page1.png"):
        refused.append("report-page1")
    if refused:
        print(f"refused (blank): {', '.join(refused)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
