"""Tablet layout in Chromium: navigation rail and the same flow; screenshots for the README."""

from __future__ import annotations

from pathlib import Path

from tests.browser import SCREENSHOTS, chromium
from tests.ui.harness import TABLET, AppDriver, open_app, running_app


def test_tablet_layout_and_screenshots(tmp_path: Path) -> None:
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
