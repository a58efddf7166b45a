"""Tablet layout in Chromium: navigation rail, the same flow, hazards list and detail side by side;
screenshots for the README."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser import SCREENSHOTS, chromium
from tests.ui.harness import TABLET, AppDriver, open_app, running_app
from tests.ui.test_hazard_loop_e2e import seed


def test_tablet_layout_and_screenshots(tmp_path: Path) -> None:
    seed(tmp_path / "device")  # a submitted inspection: two hazards to show on the Hazards tab
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=TABLET)
        app = AppDriver(page)
        open_app(page, url)
        app.see("Equipment certificates")
        app.shot(SCREENSHOTS / "tablet-home.png")
        app.nav("Inspect")
        app.tap("Fire safety - monthly", exact=False)
        app.tap("Stamping workshop")
        app.tap("Press line 1")
        app.tap("Begin inspection")
        app.type_into("Tag number", "F-07")
        app.tap("Add another Extinguisher")
        app.see("Pressure gauge needle in the green zone")
        app.shot(SCREENSHOTS / "tablet-item.png")
        app.tap("Fail")
        app.see("A photo is required for this finding")
        app.page.get_by_role("button", name="Add photo").wait_for()
        app.shot(SCREENSHOTS / "tablet-finding.png")
        app.tap("Summary", exact=False)
        app.see("Cannot submit yet:")
        app.shot(SCREENSHOTS / "tablet-summary.png")
        # List and detail side by side, with the rail.
        app.nav("Hazards")
        app.see("2 hazard(s)")
        page.get_by_role("button", name=re.compile("Door 3 chained")).first.click()
        app.see("Back to the list")
        app.see("Before")
        app.shot(SCREENSHOTS / "tablet-hazards.png")
