"""The inspector's flow in a real browser (Debian's Chromium) against the app in web mode.

A clean fire check in one tap per item, counted, signed on the pad with the mouse; readings typed key by key keep every key while
their verdict flips both ways; a tap right after typing lands; a double tap moves one item;
Fail to Pass asks before dropping a finding; every control is a finger-sized target; a full
check with two failures and photos, resumed after a reload, then Chinese."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from inspect_app.core.inspection import Position
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.inspections import InspectionService
from tests.browser import chromium
from tests.ui.harness import CLEAN_FIRE_WALK, PHONE, AppDriver, open_app, running_app

FIRE_DOOR = "Fire doors close by themselves and are not wedged open"
LIGHTS = "Emergency lights and exit signs light on test"
EXIT = "Exits and escape routes clear and unlocked"
PHOTO_REQUIRED = "A photo is required for this finding"
CABINETS = "Hydrant cabinets complete: hose, nozzle, coupling"
PRESSURE = "Static pressure at the most remote hydrant"


def clean_from(prompt: str) -> int:
    """Where ``prompt`` comes in the clean fire walk."""
    return [p for p, _ in CLEAN_FIRE_WALK].index(prompt)


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


def open_at(data: Path, checklist_id: str, item_id: str, tag: str | None = None) -> str:
    """An inspection started by p-li and left open on ``item_id`` (one unit ``tag`` in its
    repeated section): the app opens on that item."""
    ws = open_workspace(data)
    try:
        ws.sign_in("p-li")
        service = InspectionService(ws)
        checklist = ws.catalog.latest(checklist_id)
        inspection = service.start(checklist, "ws-stamping", "stamping-line-1")
        section = checklist.section_of(item_id)
        if tag:
            inspection = service.add_instance(inspection, section.id, tag)
        service.move_to(inspection, Position(section.id, item_id, tag))
        ws.settings.open_inspection = inspection.id
        return inspection.id
    finally:
        ws.store.close()


def stored(data: Path, inspection_id: str, item_id: str, tag: str | None = None):  # type: ignore[no-untyped-def]
    ws = open_workspace(data)
    try:
        return InspectionService(ws).get(inspection_id).answer(item_id, tag)
    finally:
        ws.store.close()


def test_a_clean_fire_check_takes_one_tap_per_item(tmp_path: Path) -> None:
    data = tmp_path / "device"
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.start_fire_check()
        app.walk(CLEAN_FIRE_WALK)
        app.see("0 failure(s)")
        page.set_viewport_size({"width": PHONE["width"], "height": 1400})  # the pad in view
        app.draw("Signature pad", [[(0.1, 0.7), (0.3, 0.2), (0.5, 0.8), (0.9, 0.3)]])
        page.set_viewport_size(PHONE)
        app.tap("Submit inspection")
        app.see("This inspection is submitted and read-only.")
        assert app.taps <= len(CLEAN_FIRE_WALK) + 6, app.taps
        app.tap("Start another")
        app.see("Start an inspection")
        page.go_back()
        app.tap("Done")
        app.see("Open hazards")
    ws = open_workspace(data)
    try:
        [header] = ws.store.list_inspections()
        inspection = InspectionService(ws).get(header["id"])
        assert inspection.is_submitted
        assert len(inspection.answers) == len(CLEAN_FIRE_WALK)
        typed = next(a for p, a in CLEAN_FIRE_WALK if p == PRESSURE)
        assert inspection.answer("hydrant-pressure").value == typed[2]
        # The signature drawn with the mouse, as a PNG in the photo store.
        assert inspection.signature_photo is not None
        signature = Image.open(io.BytesIO(ws.store.photos.read(inspection.signature_photo)))
        assert signature.format == "PNG" and signature.getextrema()[0] < 64  # inked
    finally:
        ws.store.close()


def test_a_reading_keeps_every_key_while_its_verdict_flips(tmp_path: Path) -> None:
    data = tmp_path / "device"
    # RCD tripping current: within limit up to 30 mA. "250" crosses out at its last key, "25"
    # comes back in at its first, "35" goes out again at its last.
    inspection_id = open_at(data, "electrical-monthly", "rcd-current", "B1")
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        for typed, verdict in (
            ("250", "Outside limit"),
            ("25", "Within limit"),
            ("35", "Outside limit"),
        ):
            app.see("RCD rated tripping current measured")
            assert app.type_slowly("mA", typed, delay=40) == typed
            app.see(verdict)
            assert app.focused_value() == typed  # the field kept the focus and every key
            if verdict == "Outside limit":
                app.see("A photo is required for this finding")
            # Stored: a fresh session shows exactly what was typed.
            page.reload()
            open_app(page, url)
            app.see(verdict)
            app.page.get_by_role("textbox", name="mA").first.click()
            app.until(lambda typed=typed: app.focused_value() == typed, f"{typed!r} stored")
    assert stored(data, inspection_id, "rcd-current", "B1").value == "35"


def test_taps_land_once_and_on_the_item_they_were_made_on(tmp_path: Path) -> None:
    data = tmp_path / "device"
    inspection_id = open_at(data, "fire-monthly", "exit-clear")
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)

        # A tap right after typing lands: Next, straight from the finding's text.
        app.see(EXIT)
        app.tap("Fail")
        app.see(PHOTO_REQUIRED)
        app.type_into("What is wrong", "Door 3 chained")
        app.tap("Next")
        app.see(FIRE_DOOR)

        # A double tap on Next, then on Pass, moves one item each time.
        app.double_tap("Next")
        app.see(LIGHTS)
        app.tap("Back")
        app.see(FIRE_DOOR)
        app.double_tap("Pass")
        app.see(LIGHTS)
        app.tap("Back")
        app.see(FIRE_DOOR)

        # Fail to Pass with a finding written asks first; Keep Fail keeps it.
        app.tap("Back")
        app.see(EXIT)
        app.see(PHOTO_REQUIRED)
        app.tap("Pass")
        app.see("Change Fail to Pass?")
        assert app.small_targets() == []
        app.tap("Keep Fail")
        app.page.get_by_text("Change Fail to Pass?").wait_for(state="detached")
        app.see(PHOTO_REQUIRED)
        assert app.small_targets() == []

        # Summary: the blockers are buttons to the item, finger-sized like everything else.
        app.tap("Summary")
        app.see("Cannot submit yet:")
        assert app.small_targets() == []
        app.tap("Photo required: Exits and escape routes clear and unlocked", exact=False)
        app.see(PHOTO_REQUIRED)
        app.tap("Pass")
        app.see("Change Fail to Pass?")
        app.tap("Drop the finding")
        app.see(FIRE_DOOR)

    exit_clear = stored(data, inspection_id, "exit-clear")
    assert (exit_clear.value, exit_clear.finding, exit_clear.photos) == ("pass", None, ())
    assert stored(data, inspection_id, "fire-door").value == "pass"


def test_full_fire_inspection(tmp_path: Path) -> None:
    data = tmp_path / "device"
    gauge_photo = photo(tmp_path / "gauge.jpg", (200, 30, 30))
    pressure_photo = photo(tmp_path / "pressure.jpg", (30, 30, 200))
    with running_app(data) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.start_fire_check()

        # Failure 1: the gauge, with a photo.
        app.see("Pressure gauge needle in the green zone")
        app.tap("Fail")
        app.see("A photo is required for this finding")
        add_photo(app, gauge_photo)
        app.see("taken ")  # under the thumbnail: when it was taken
        # Retake: delete it with the X on its thumbnail, then another photo.
        app.tap("Delete photo")
        app.see("0 photo(s)")
        app.see("A photo is required for this finding")
        add_photo(app, gauge_photo)
        app.tap("Next")
        app.walk(CLEAN_FIRE_WALK[1 : clean_from(CABINETS)])

        # Resume after a reload: the item the walk had reached comes back.
        app.see(CABINETS)
        open_app(page, None)
        app.walk(CLEAN_FIRE_WALK[clean_from(CABINETS) : clean_from(PRESSURE)])

        # Failure 2: a reading below its limit turns into a failure with a finding card, and
        # Enter does not leave it.
        app.see(PRESSURE)
        app.type_here("MPa", "0.05")
        app.see("Outside limit")
        app.see("A photo is required for this finding")
        app.tap("Next")
        app.walk(CLEAN_FIRE_WALK[clean_from(PRESSURE) + 1 :])

        # Finishing is blocked by the missing photo, and says so.
        app.see("2 failure(s)")
        app.tap("Photo required: Static pressure at the most remote hydrant", exact=False)
        app.see("Static pressure at the most remote hydrant")
        add_photo(app, pressure_photo)
        app.tap("Summary")
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
        assert (hazards[1]["grade"], hazards[1]["risk"]) == ("general", "red")
        kinds = [e["kind"] for e in workspace.store.pending_outbox()]
        assert kinds == ["inspection", "command", "command"]
    finally:
        workspace.store.close()
