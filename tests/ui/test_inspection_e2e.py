"""The inspector's flow in a real browser (Debian's Chromium) against the app in web mode: a full
fire inspection with two failures and a photo each, a reading outside its limit becoming a
failure, finishing blocked by a missing photo, resume after a reload, and switching to Chinese."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from inspect_app.services.bootstrap import open_workspace
from tests.browser import SCREENSHOTS, chromium
from tests.ui.harness import PHONE, AppDriver, open_app, running_app


def photo(path: Path, colour: tuple[int, int, int]) -> Path:
    image = Image.new("RGB", (1200, 900), colour)
    ImageDraw.Draw(image).ellipse(
        (400, 250, 800, 650), fill=(250, 250, 250), outline=(0, 0, 0), width=20
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def add_photo(app: AppDriver, file: Path) -> None:
    with app.page.expect_file_chooser(timeout=15_000) as chooser:
        app.tap("Add photo")
    chooser.value.set_files(str(file))
    app.see("1 photo(s)")


def next_item(app: AppDriver) -> None:
    app.tap("Next" if app.sees_button("Next") else "Finish")


def answer(app: AppDriver, prompt: str, button: str) -> None:
    """Wait for the item, answer it, wait until the answer is counted (the page has settled),
    then go on: a tap never lands on a page that is being replaced."""
    app.see(prompt)
    before = app.progress()
    app.tap(button)
    app.until(lambda: app.progress() != before, f"the answer to {prompt!r} to be counted")
    next_item(app)


def test_full_fire_inspection(tmp_path: Path) -> None:
    data = tmp_path / "device"
    gauge_photo = photo(tmp_path / "gauge.jpg", (200, 30, 30))
    pressure_photo = photo(tmp_path / "pressure.jpg", (30, 30, 200))
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.shot(SCREENSHOTS / "phone-home.png")
        app.nav("Inspect")
        app.tap("Fire safety - monthly", exact=False)
        app.tap("Stamping workshop")
        app.tap("Press line 1")
        app.tap("Begin inspection")
        app.type_into("Tag number", "F-12")
        app.tap("Add another Extinguisher")

        # Failure 1: the gauge, with a photo.
        app.see("Pressure gauge needle in the green zone")
        app.shot(SCREENSHOTS / "phone-item.png")
        app.tap("Fail")
        app.see("A photo is required for this finding")
        add_photo(app, gauge_photo)
        app.shot(SCREENSHOTS / "phone-finding.png")
        next_item(app)
        answer(app, "Safety pin and tamper seal intact", "Pass")
        answer(app, "Hose and nozzle free of cracks and blockage", "Pass")
        answer(app, "Cylinder free of dents, corrosion and damage", "Pass")
        answer(app, "Date of last annual maintenance (label)", "Today")
        app.see("Mounted, signed and not obstructed")
        app.tap("Pass")

        # Resume after a reload: the same item comes back.
        page.reload()
        open_app(page, url)
        app.see("Mounted, signed and not obstructed")
        next_item(app)
        answer(app, "Hydrant cabinets complete: hose, nozzle, coupling", "Pass")

        # Failure 2: a reading below its limit turns into a failure with a finding card.
        app.see("Static pressure at the most remote hydrant")
        app.type_into("MPa", "0.05")
        app.see("Outside limit")
        app.see("A photo is required for this finding")
        next_item(app)
        for prompt in (
            "Hydrants not blocked or locked",
            "Exits and escape routes clear and unlocked",
            "Fire doors close by themselves and are not wedged open",
            "Emergency lights and exit signs light on test",
            "Area has an automatic sprinkler system",
            "Sprinkler control valves open and locked/supervised",
            "Sprinkler heads unpainted, undamaged, 45 cm clearance below",
        ):
            answer(app, prompt, "Pass")
        answer(app, "Fire alarm control panel status", "Normal")
        answer(app, "Fire control room staffed by two certified operators", "Pass")
        answer(app, "Hot work in progress has a valid permit and fire watch", "N/A")
        answer(app, "No combustible waste piled near ignition sources", "Pass")

        # Finishing is blocked by the missing photo, and says so.
        app.see("2 failure(s)")
        app.see("Photo required: Static pressure at the most remote hydrant")
        app.shot(SCREENSHOTS / "phone-summary.png")
        app.tap("Photo required: Static pressure at the most remote hydrant", exact=False)
        app.see("Static pressure at the most remote hydrant")
        add_photo(app, pressure_photo)
        app.see("1 photo(s)")
        app.tap("Summary", exact=False)
        app.tap("Submit inspection")
        app.see("This inspection is submitted and read-only.")

        # Chinese.
        app.nav("Settings")
        app.tap("中文")
        app.nav("首页")
        app.see("未整改隐患")

    workspace = open_workspace(data)
    try:
        hazards = sorted(workspace.store.list_hazards(), key=lambda h: h["item_id"])
        assert [(h["item_id"], h["instance_tag"], len(h["photos"])) for h in hazards] == [
            ("ext-gauge", "F-12", 1),
            ("hydrant-pressure", None, 1),
        ]
        assert hazards[1]["grade"] == "major"
        kinds = [e["kind"] for e in workspace.store.pending_outbox()]
        assert kinds == ["inspection", "command", "command"]
    finally:
        workspace.store.close()
