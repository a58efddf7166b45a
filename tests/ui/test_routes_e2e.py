"""Never lost in the app, in Chromium: the first run asks to enrol or try the demo (nobody signed
in before, Demo shown after, the choice kept); Back returns to the screen before (walk to Home,
hazard detail to the list), a reload stays on its route; a draft is discarded after a confirm and
never queued; a reading refuses letters as they are typed; Submit shows why it cannot go, in
place."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.inspections import InspectionService
from inspect_app.ui.viewmodels.home import age
from tests.browser import chromium
from tests.ui.harness import PHONE, AppDriver, open_app, running_app
from tests.ui.test_hazard_loop_e2e import seed
from tests.ui.test_inspection_e2e import open_at, stored

FIRE = "Fire safety - monthly"
GAUGE = "Pressure gauge needle in the green zone"


def test_a_fresh_device_signs_nobody_in(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "device")
    try:
        assert ws.user_or_none is None and not ws.settings.demo
    finally:
        ws.store.close()


def test_age_of_a_draft() -> None:
    start = datetime.fromisoformat("2026-05-01T08:00:00+08:00")
    assert age(start.isoformat(), start + timedelta(minutes=59, seconds=59)) == ("min", 59)
    assert age(start.isoformat(), start + timedelta(hours=2, minutes=5)) == ("h", 2)
    assert age(start.isoformat(), start + timedelta(days=3)) == ("d", 3)


def test_first_run_asks_and_the_demo_is_labelled(tmp_path: Path) -> None:
    data = tmp_path / "device"
    with running_app(data, demo=False) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.see("Enrol this device with your plant's HQ")
        assert app.sees_button("Enrol")
        assert not app.shows("Signed in as")
        assert page.get_by_role("tab", name="Home").count() == 0  # nowhere to go but choose
        app.tap("Try the demo plant")
        app.see("Signed in as 李明")
        app.see("Demo")
        open_app(page, None)  # a reload: the choice is the device's, kept
        app.see("Signed in as 李明")
        app.see("Demo")
    ws = open_workspace(data)
    try:
        assert ws.settings.demo and ws.user.id == "p-li"
    finally:
        ws.store.close()


def test_back_returns_to_the_screen_before_and_a_reload_stays(tmp_path: Path) -> None:
    data = tmp_path / "device"
    seed(data)  # two hazards, p-wang signed in
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        # A walk opened from Home's in-progress row: Back (the browser's) returns Home.
        app.nav("Inspect")
        app.tap(FIRE, exact=False)
        app.tap("Stamping workshop")
        app.tap("Press line 1")
        app.tap("Begin inspection")
        app.type_here("Tag number", "F-12")
        app.see(GAUGE)
        app.nav("Home")
        app.see("0 / 19 answered")
        app.tap(FIRE, exact=False)
        app.see(GAUGE)
        app.until(
            lambda: re.search(r"/inspect/[0-9a-f-]+$", page.url) is not None, "the walk's address"
        )
        page.go_back()
        app.see("0 / 19 answered")
        app.until(lambda: page.url == url, "Home's address")
        # The Inspect tab goes back to the open inspection, not the picker.
        app.nav("Inspect")
        app.see(GAUGE)
        # The app bar's arrow does the same as the browser's Back.
        app.tap("Previous screen")
        app.see("0 / 19 answered")

        # Hazard detail -> Back -> the list; a reload on the detail stays on it.
        app.nav("Hazards")
        app.see("2 hazard(s)")
        page.get_by_role("button", name=re.compile("Door 3 chained")).first.click()
        app.see("Back to the list")
        app.until(lambda: re.search(r"/hazards/[0-9a-f-]+$", page.url) is not None, "its address")
        open_app(page, None)  # a reload
        app.see("Back to the list")
        app.see("Door 3 chained")
        page.go_back()
        app.see("2 hazard(s)")
        app.until(lambda: not app.shows("Back to the list"), "the list alone")
        app.until(lambda: page.url.endswith("/hazards"), "the list's address")


def test_discard_a_draft(tmp_path: Path) -> None:
    data = tmp_path / "device"
    open_at(data, "fire-monthly", "exit-clear")
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.see("Exits and escape routes clear and unlocked")
        app.tap("Pass")
        app.see("1 / 13")  # the walk shows the answer saved before the person leaves it
        app.nav("Home")
        app.see("1 / 13 answered")
        app.see("Stamping workshop / Press line 1")
        app.see("started 0 min ago")
        app.tap("Discard")
        app.see("Discard this inspection?")
        app.tap("Keep it")
        app.page.get_by_text("Discard this inspection?").wait_for(state="detached")
        app.see("1 / 13 answered")
        app.tap("Discard")
        app.page.get_by_role("button", name="Discard", exact=True).last.click()
        app.see("Inspection discarded")
        app.until(lambda: not app.shows("1 / 13 answered"), "the draft gone from Home")
        # Nothing open any more: the Inspect tab shows the picker.
        app.nav("Inspect")
        app.see("Start an inspection")
    ws = open_workspace(data)
    try:
        assert ws.store.list_inspections() == []
        assert ws.store.pending_outbox() == []
        assert ws.settings.open_inspection is None
    finally:
        ws.store.close()


def test_a_reading_refuses_letters_as_they_are_typed(tmp_path: Path) -> None:
    data = tmp_path / "device"
    inspection_id = open_at(data, "electrical-monthly", "rcd-current", "B1")
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.see("RCD rated tripping current measured")
        assert app.type_slowly("mA", "2x5.a0.5", delay=40) == "25.05"
        app.see("Within limit")
    assert stored(data, inspection_id, "rcd-current", "B1").value == "25.05"


def test_submit_says_why_in_place(tmp_path: Path) -> None:
    data = tmp_path / "device"
    service_id = open_at(data, "fire-monthly", "exit-clear")
    with running_app(data) as url, chromium() as browser:
        # Tall enough that the signature and Submit are on screen under the blockers.
        page = browser.new_page(viewport={"width": PHONE["width"], "height": 1800})
        app = AppDriver(page)
        open_app(page, url)
        app.see("Exits and escape routes clear and unlocked")
        app.tap("Summary")
        summary = f"/inspect/{service_id}/summary"
        app.until(lambda: page.url.endswith(summary), "the summary's route")
        app.type_into("Inspector's name (signature)", " ")
        app.tap("Submit inspection")
        app.see("Sign with your name to submit")
        app.see("Cannot submit yet:")  # the blockers, scrolled into view
        # Once, as the blockers' heading: no toast saying it again with nothing after it.
        assert page.get_by_text("Cannot submit yet:", exact=True).count() == 1
        page.go_back()  # from the summary to the item before it
        app.until(lambda: not page.url.endswith("/summary"), "the walk's route")
    ws = open_workspace(data)
    try:
        service = InspectionService(ws)
        inspection = service.get(service_id)
        assert not inspection.is_submitted
    finally:
        ws.store.close()
