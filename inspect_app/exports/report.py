"""An inspection report as PDF (A4): the header, the counts, the answers section by section and
the findings with their photos, two to a row. Text is checked against the fonts first, so a
character no font has is an error rather than an empty box."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableBordersLayout, TextMode, XPos, YPos
from fpdf.fonts import FontFace
from PIL import UnidentifiedImageError

from inspect_app.core.checklist import Checklist, Grade, Risk
from inspect_app.core.evaluation import Outcome
from inspect_app.core.inspection import Inspection
from inspect_app.core.site import Site
from inspect_app.exports.fonts import TextFonts
from inspect_app.exports.report_content import (
    AnswerGroup,
    Field,
    FindingBlock,
    ReportContent,
    report_content,
)

#: Gives a photo's JPEG bytes by its sha256, or None when the photo is not at hand.
PhotoLoader = Callable[[str], bytes | None]

Colour = tuple[int, int, int]

MARGIN = 15.0
TOP = 20.0
LINE = 5.0
BODY_PT = 9.5
SMALL_PT = 8.0
PHOTO_GAP = 6.0
PHOTO_HEIGHT = 65.0
#: The drawn signature's height in the header (mm); its width follows the pad's shape.
SIGNATURE_HEIGHT = 18.0
ANSWER_COLUMNS = (78.0, 36.0, 26.0, 40.0)
FINDING_LABEL_WIDTH = 28.0
#: Cell padding in tables: vertical, horizontal.
PADDING = (1.0, 2.0)
GROUP_TITLE = 7.0
#: Room a heading needs below it, so it never ends a page alone.
HEADING_ROOM = 45.0

WHITE: Colour = (255, 255, 255)
INK: Colour = (30, 30, 30)
MUTED: Colour = (110, 110, 110)
RULE: Colour = (200, 200, 200)
BAND: Colour = (232, 238, 247)
ALERT: Colour = (190, 30, 30)
RISK_FILL: dict[Risk, Colour] = {
    Risk.RED: (200, 30, 30),
    Risk.ORANGE: (235, 120, 20),
    Risk.YELLOW: (245, 200, 0),
    Risk.BLUE: (30, 90, 200),
}
OUTCOME_TEXT: dict[Outcome, Colour] = {
    Outcome.PASS: (21, 128, 61),
    Outcome.FAIL: (185, 28, 28),
    Outcome.INVALID: (185, 28, 28),
}
OUTCOME_FILL: dict[Outcome, Colour] = {
    Outcome.PASS: (220, 245, 228),
    Outcome.FAIL: (254, 226, 226),
    Outcome.NA: (236, 236, 236),
    Outcome.UNANSWERED: (255, 243, 205),
}


class _ReportPdf(FPDF):
    def __init__(self, content: ReportContent, fonts: TextFonts) -> None:
        super().__init__(format="A4")
        self.content = content
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=TOP)
        self.add_font("latin", "", str(fonts.latin))
        self.add_font("cjk", "", str(fonts.cjk))
        self.set_fallback_fonts(["cjk"])
        self.set_title(f"{content.title} - {content.plant}")
        self.set_font("latin", "", BODY_PT)
        self.set_text_color(*INK)

    @contextmanager
    def strong(self, size_pt: float, colour: Colour = INK) -> Iterator[None]:
        """Bold text: the CJK font has a single weight, so every script is thickened by stroking
        its outline, which keeps Latin and Chinese in one heading the same weight."""
        with self.local_context(
            font_family="latin",
            font_style="",
            font_size_pt=size_pt,
            text_color=colour,
            draw_color=colour,
            text_mode=TextMode.FILL_STROKE,
            line_width=size_pt * 0.018,
        ):
            yield

    def header(self) -> None:
        with self.local_context(font_size_pt=SMALL_PT, text_color=MUTED):
            self.set_xy(MARGIN, 8)
            self.cell(self.epw / 2, 5, self.content.plant)
            if self.content.draft_banner:
                with self.strong(SMALL_PT, ALERT):
                    self.cell(self.epw / 2, 5, self.content.draft_banner, align="R")
            else:
                self.cell(self.epw / 2, 5, self.content.title, align="R")
        self.set_draw_color(*RULE)
        self.line(MARGIN, 13.5, MARGIN + self.epw, 13.5)
        self.set_y(TOP)

    def footer(self) -> None:
        self.set_y(-12)
        with self.local_context(font_size_pt=SMALL_PT, text_color=MUTED):
            page = self.content.words["report.page"]
            self.cell(0, 5, page.format(n=self.page_no(), total=self.str_alias_nb_pages), align="C")

    def keep_room(self, height: float) -> None:
        """Start a new page unless ``height`` more fits, so titles stay with what follows."""
        if self.will_page_break(height):
            self.add_page()

    def row_height(self, widths: tuple[float, ...], texts: tuple[str, ...]) -> float:
        """The height a table row of ``texts`` in columns of ``widths`` takes in the body font."""
        lines = max(
            len(
                self.multi_cell(
                    width - 2 * PADDING[1],
                    LINE,
                    text,
                    dry_run=True,
                    output=MethodReturnValue.LINES,
                )
            )
            for width, text in zip(widths, texts, strict=True)
        )
        return max(lines, 1) * LINE + 2 * PADDING[0]

    def keep_together(self, height: float, at_least: float) -> None:
        """Keep a block of ``height`` on one page when a page can hold it, else make sure its
        first ``at_least`` is not cut from the rest."""
        self.keep_room(height if height <= self.eph else at_least)

    def plain_cells(self) -> None:
        """Tables fill their cells with the current fill colour: make that white."""
        self.set_fill_color(*WHITE)

    # -- blocks --------------------------------------------------------------------------------

    def title_block(self) -> None:
        with self.strong(18):
            self.cell(0, 9, self.content.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        with self.local_context(font_size_pt=11, text_color=MUTED):
            self.cell(0, 6, self.content.plant, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.content.draft_banner:
            self.ln(2)
            self.set_fill_color(*ALERT)
            with self.strong(11, WHITE):
                self.cell(0, 8, self.content.draft_banner, align="C", fill=True)
            self.ln(8)
        self.ln(3)

    def heading(self, text: str) -> None:
        self.keep_room(HEADING_ROOM)
        self.ln(3)
        with self.strong(12):
            self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*INK)
        self.line(MARGIN, self.get_y(), MARGIN + self.epw, self.get_y())
        self.ln(2)

    def fields(self, fields: tuple[Field, ...], label_width: float) -> None:
        self.plain_cells()
        self.set_draw_color(*RULE)
        with self.table(
            col_widths=(label_width, self.epw - label_width),
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=LINE,
            padding=PADDING,
            text_align="LEFT",
            v_align="TOP",
        ) as table:
            for field in fields:
                row = table.row()
                row.cell(field.label, style=FontFace(color=MUTED))
                row.cell(field.value)

    def counts(self) -> None:
        self.heading(self.content.words["report.summary"])
        width = self.epw / 4
        for count in self.content.counts:
            self.set_fill_color(*OUTCOME_FILL[count.outcome])
            with self.strong(11, OUTCOME_TEXT.get(count.outcome, INK)):
                self.cell(width - 3, 10, f"{count.label}  {count.n}", align="C", fill=True)
            self.cell(3, 10)
        self.ln(12)

    def answer_group(self, group: AnswerGroup) -> None:
        words = self.content.words
        rows = sum(
            self.row_height(ANSWER_COLUMNS, (a.prompt, a.answer, a.mark, a.note))
            for a in group.rows
        )
        heading_row = LINE + 2 * PADDING[0]
        self.keep_together(GROUP_TITLE + heading_row + rows, GROUP_TITLE + 3 * heading_row)
        self.set_fill_color(*BAND)
        with self.strong(10):
            self.cell(0, GROUP_TITLE, group.title, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.plain_cells()
        self.set_draw_color(*RULE)
        with self.table(
            col_widths=ANSWER_COLUMNS,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(color=MUTED, size_pt=SMALL_PT),
            line_height=LINE,
            padding=PADDING,
            text_align="LEFT",
            v_align="TOP",
        ) as table:
            heading = table.row()
            for key in ("report.item", "report.answer", "report.result", "report.note"):
                heading.cell(words[key])
            for answer in group.rows:
                row = table.row()
                row.cell(answer.prompt)
                row.cell(answer.answer)
                row.cell(
                    answer.mark,
                    style=FontFace(
                        color=OUTCOME_TEXT.get(answer.outcome, MUTED),
                        fill_color=OUTCOME_FILL.get(answer.outcome, WHITE),
                    ),
                )
                row.cell(answer.note)
        self.ln(3)

    def finding(self, finding: FindingBlock, load_photo: PhotoLoader) -> None:
        words = self.content.words
        widths = (FINDING_LABEL_WIDTH, self.epw - FINDING_LABEL_WIDTH)
        fields = sum(self.row_height(widths, (f.label, f.value)) for f in finding.fields)
        photos = PHOTO_HEIGHT + 2 if finding.photos else 0
        self.keep_together(25 + fields + photos, 40)
        top = self.get_y()
        self.set_x(MARGIN + 4)
        with self.strong(10.5):
            self.multi_cell(self.epw - 4, 6, finding.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_fill_color(*RISK_FILL[finding.risk])
        self.rect(MARGIN, top, 1.5, self.get_y() - top, style="F")
        self.ln(1.5)
        major = finding.grade is Grade.MAJOR
        grade = f"{words['col.grade']}: {words[f'grade.{finding.grade.value}']}"
        self.chip(grade, ALERT if major else BAND, major)
        risk = f"{words['col.risk']}: {words[f'risk.{finding.risk.value}']}"
        self.chip(risk, RISK_FILL[finding.risk], finding.risk is not Risk.YELLOW)
        self.ln(8)
        if finding.fields:
            self.fields(finding.fields, FINDING_LABEL_WIDTH)
            self.ln(2)
        for start in range(0, len(finding.photos), 2):
            self.photo_row(finding.photos[start : start + 2], load_photo)
        self.ln(4)

    def signature(self, sha: str, load_photo: PhotoLoader, label_width: float) -> None:
        """The drawn signature beside the typed name, under the header's fields."""
        signed_by = next(
            (
                f.value
                for f in self.content.header
                if f.label == self.content.words["report.signed_by"]
            ),
            "",
        )
        top = self.get_y() + 1
        with self.local_context(text_color=MUTED):
            self.set_xy(MARGIN + PADDING[1], top + (SIGNATURE_HEIGHT - LINE) / 2)
            self.cell(label_width - PADDING[1], LINE, self.content.words["report.signature"])
        x = MARGIN + label_width
        data = load_photo(sha)
        try:
            if data is None:
                raise UnidentifiedImageError
            shown = self.image(io.BytesIO(data), x, top, h=SIGNATURE_HEIGHT)
            width = shown.rendered_width
        except UnidentifiedImageError:
            width = 60
            self.set_xy(x, top + (SIGNATURE_HEIGHT - LINE) / 2)
            with self.local_context(text_color=MUTED):
                self.cell(width, LINE, self.content.words["report.photo_missing"])
        self.set_xy(x + width + 4, top + SIGNATURE_HEIGHT - LINE)
        self.cell(0, LINE, signed_by)
        self.set_y(top + SIGNATURE_HEIGHT + 2)

    def chip(self, label: str, fill: Colour, light_text: bool) -> None:
        self.set_fill_color(*fill)
        with self.strong(SMALL_PT + 0.5, WHITE if light_text else INK):
            self.cell(self.get_string_width(label) + 6, 6, label, align="C", fill=True)
        self.cell(2, 6)

    def photo_row(self, photos: tuple[str, ...], load_photo: PhotoLoader) -> None:
        self.keep_room(PHOTO_HEIGHT + 2)
        width = (self.epw - PHOTO_GAP) / 2
        top = self.get_y()
        self.set_draw_color(*RULE)
        for index, sha in enumerate(photos):
            x = MARGIN + index * (width + PHOTO_GAP)
            data = load_photo(sha)
            if data is None:
                self.photo_placeholder(x, top, width, "report.photo_missing")
                continue
            try:
                self.image(io.BytesIO(data), x, top, width, PHOTO_HEIGHT, keep_aspect_ratio=True)
            except UnidentifiedImageError:
                self.photo_placeholder(x, top, width, "report.photo_unreadable")
                continue
            self.rect(x, top, width, PHOTO_HEIGHT)
        self.set_y(top + PHOTO_HEIGHT + 2)

    def photo_placeholder(self, x: float, top: float, width: float, reason: str) -> None:
        """A grey box saying why the photo is not shown."""
        self.set_fill_color(*OUTCOME_FILL[Outcome.NA])
        self.rect(x, top, width, PHOTO_HEIGHT, style="F")
        self.set_xy(x, top + (PHOTO_HEIGHT - LINE) / 2)
        with self.local_context(text_color=MUTED):
            self.cell(width, LINE, self.content.words[reason], align="C")


def inspection_report_pdf(
    inspection: Inspection,
    checklist: Checklist,
    site: Site,
    lang: str,
    load_photo: PhotoLoader,
    fonts: TextFonts | None = None,
) -> bytes:
    """The PDF report of ``inspection`` in ``lang``; raises MissingGlyphsError before drawing
    anything if some text has a character the fonts lack, FontNotFoundError without the fonts."""
    content = report_content(inspection, checklist, site, lang)
    fonts = fonts or TextFonts.installed()
    fonts.require(content.texts())
    pdf = _ReportPdf(content, fonts)
    pdf.add_page()
    pdf.title_block()
    pdf.fields(content.header, label_width=32)
    if content.signature:
        pdf.signature(content.signature, load_photo, label_width=32)
    pdf.counts()
    pdf.heading(content.words["report.answers"])
    for group in content.groups:
        pdf.answer_group(group)
    pdf.heading(content.words["report.findings"])
    if not content.findings:
        pdf.cell(0, LINE, content.words["report.no_findings"])
    for finding in content.findings:
        pdf.finding(finding, load_photo)
    return bytes(pdf.output())
