"""The pages' charts laid out on the server as SVG geometry (no script, no inline style): bars
with their full labels wrapped onto as many lines as they need, and a month trend of found,
rectified and overdue hazards as lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from inspect_app.core.checklist import Grade
from inspect_app.core.rates import RectificationFigures

#: Bar charts: label column and bar column widths, in SVG units of a 500-wide view box.
LABEL_WIDTH = 190
BAR_SPACE = 220
LINE_HEIGHT = 18
#: Label width in half-width characters (a Chinese character counts two).
LABEL_CHARS = 22


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (words kept whole where they fit,
    Chinese broken between characters); nothing is cut."""
    lines: list[str] = []
    line = ""
    for word in text.replace("\u3000", " ").split(" "):
        for piece in _pieces(word, width):
            candidate = f"{line} {piece}" if line and piece.isascii() else line + piece
            if line and text_width(candidate) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
    return [*lines, line] if line or not lines else lines


def _pieces(word: str, width: int) -> list[str]:
    """A word as pieces that each fit a line: a Latin word whole unless it is too long,
    Chinese text character by character."""
    if word.isascii() and len(word) <= width:
        return [word]
    pieces, piece = [], ""
    for char in word:
        if text_width(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


@dataclass(frozen=True)
class BarRow:
    lines: tuple[str, ...]
    y: int  # top of the row
    length: float  # of the bar, in SVG units
    full: bool  # 100 %
    caption: str
    href: str | None = None

    @property
    def bar_y(self) -> int:
        return self.y + (len(self.lines) * LINE_HEIGHT) // 2 - 6


@dataclass(frozen=True)
class BarChart:
    rows: tuple[BarRow, ...]
    height: int
    label_width: int = LABEL_WIDTH
    line_height: int = LINE_HEIGHT


def bar_chart(bars: Sequence[tuple[str, float | None, str, str | None]]) -> BarChart:
    """Bars of (label, percent or None, caption, link or None), each label on as many lines as
    it needs."""
    rows, y = [], 0
    for label, percent, caption, href in bars:
        lines = tuple(wrap(label))
        length = 0.0 if percent is None else BAR_SPACE * min(percent, 100) / 100
        rows.append(BarRow(lines, y, length, percent is not None and percent >= 100, caption, href))
        y += len(lines) * LINE_HEIGHT + 12
    return BarChart(tuple(rows), max(y, LINE_HEIGHT + 12))


@dataclass(frozen=True)
class Series:
    key: str  # catalogue key of its name
    colour: str
    points: str  # SVG polyline points
    values: tuple[int, ...]


@dataclass(frozen=True)
class TrendChart:
    grade: Grade
    months: tuple[tuple[float, str], ...]  # x and label
    series: tuple[Series, ...]
    top: int  # the largest count, the y axis' end
    width: int = 500
    height: int = 220
    plot_top: int = 20
    plot_bottom: int = 180


TREND_SERIES = (
    ("chart.found", "#0d3b66", lambda c: c.found),
    ("chart.rectified", "#2e7d32", lambda c: c.found_rectified),
    ("chart.overdue", "#b71c1c", lambda c: c.open_overdue),
)


def trend_chart(months: Sequence[RectificationFigures], grade: Grade) -> TrendChart:
    """Found, rectified and overdue hazards of ``grade`` month by month, as lines."""
    left, right, top_y, bottom_y = 40, 480, 20, 180
    step = (right - left) / max(len(months) - 1, 1)
    xs = [left + i * step for i in range(len(months))]
    counts = [f.by_grade[grade] for f in months]
    values = [tuple(int(pick(c)) for c in counts) for _, _, pick in TREND_SERIES]
    top = max([1, *(v for series in values for v in series)])

    def y(value: int) -> float:
        return bottom_y - (bottom_y - top_y) * value / top

    return TrendChart(
        grade,
        tuple((x, f"{f.period.start:%m}") for x, f in zip(xs, months, strict=True)),
        tuple(
            Series(key, colour, _points(xs, [y(v) for v in vs]), vs)
            for (key, colour, _), vs in zip(TREND_SERIES, values, strict=True)
        ),
        top,
    )


def _points(xs: list[float], ys: list[float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
