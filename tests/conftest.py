"""Fixtures shared across test folders: a device workspace on a temp dir with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from tests.services.conftest import FakeClock


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    ws.sign_in("p-li")
    yield ws
    ws.store.close()
