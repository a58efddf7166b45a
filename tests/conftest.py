"""Fixtures shared across test folders: a device workspace on a temp dir with a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from tests.services.conftest import FakeClock

# The same examples on every run: a test suite whose verdict changes from run to run is not a
# gate. New ground is explored by running with HYPOTHESIS_PROFILE=explore.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    ws.sign_in("p-li")
    yield ws
    ws.store.close()
