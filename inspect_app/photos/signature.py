"""A finger-drawn signature as a PNG: its strokes, point by point as the pad reported them, drawn
black on white with Pillow at twice the pad's size."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

Point = tuple[float, float]
#: Drawn this much larger than the pad, so the lines stay smooth in a printed report.
SCALE = 2
LINE_WIDTH = 3


def signature_png(strokes: Sequence[Sequence[Point]], width: int, height: int) -> bytes:
    """The strokes on a ``width`` x ``height`` pad as a greyscale PNG; points off the pad are
    clipped by the drawing. A stroke of one point is a dot."""
    image = Image.new("L", (width * SCALE, height * SCALE), 255)
    draw = ImageDraw.Draw(image)
    line = LINE_WIDTH * SCALE
    for stroke in strokes:
        points = [(x * SCALE, y * SCALE) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=0, width=line, joint="curve")
        for x, y in points[:1] + points[-1:]:  # round the ends
            draw.ellipse((x - line / 2, y - line / 2, x + line / 2, y + line / 2), fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
