"""A device workspace on a temp dir with the shipped checklists, the demo site and a fixed clock."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from PIL import Image

CST = timezone(timedelta(hours=8))


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 9, 0, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def jpeg_bytes(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    return out.getvalue()
