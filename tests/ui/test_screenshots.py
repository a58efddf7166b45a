"""Tablet layout in Chromium: navigation rail, the same flow, hazards list and detail side by side,
each screen captured (into the test's own folder: the README's pictures are made on purpose by
scripts/screenshots.sh, never by a test run)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser import chromium
from tests.ui.harness import TABLET, AppDriver, is_blank, open_app, running_app
from tests.ui.test_hazard_loop_e2e import seed


def test_tablet_layout_and_screenshots(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    seed(tmp_path / "device")  # a submitted inspection: two hazards to show on the Hazards tab
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=TABLET)
        app = AppDriver(page)
        open_app(page, url)
        app.see("Equipment certificates")
        app.shot(shots / "tablet-home.png")
        app.nav("Inspect")
        app.tap("Fire safety - monthly", exact=False)
        app.tap("Stamping workshop")
        app.tap("Press line 1")
        app.tap("Begin inspection")
        app.type_into("Tag number", "F-07")
        app.tap("Add another Extinguisher")
        app.see("Pressure gauge needle in the green zone")
        app.shot(shots / "tablet-item.png")
        app.tap("Fail")
        app.see("A photo is required for this finding")
        app.page.get_by_role("button", name="Add photo").wait_for()
        app.shot(shots / "tablet-finding.png")
        app.tap("Summary", exact=False)
        app.see("Cannot submit yet:")
        app.shot(shots / "tablet-summary.png")
        # List and detail side by side, with the rail.
        app.nav("Hazards")
        app.see("2 hazard(s)")
        page.get_by_role("button", name=re.compile("Door 3 chained")).first.click()
        app.see("Back to the list")
        app.see("Before")
        app.shot(shots / "tablet-hazards.png")
    assert sorted(p.name for p in shots.iterdir()) == [
        "tablet-finding.png",
        "tablet-hazards.png",
        "tablet-home.png",
        "tablet-item.png",
        "tablet-summary.png",
    ]
    assert [p.name for p in shots.iterdir() if is_blank(p.read_bytes())] == []
