"""A device workspace on a temp dir with the shipped checklists, the demo site and a fixed clock."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace

CST = timezone(timedelta(hours=8))


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 9, 0, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    ws.sign_in("p-li")
    yield ws
    ws.store.close()


def jpeg_bytes(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    return out.getvalue()
