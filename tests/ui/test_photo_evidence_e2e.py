"""Photos people can see on their own devices, in Chromium against a real HQ (SQLite): the
inspector's device syncs a hazard found with a photo and fixed on the spot with an after photo;
the workshop head's device syncs and shows the before photo on the hazard page, and a tap shows
it at full size; the safety officer's device (the verifier) shows the after photo, and with HQ
gone a tap shows the small copy with "Full size when online". Screenshots go to the test's
folder; each photo's box on screen is checked for the photo's own colour."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageStat
from playwright.sync_api import Locator

from inspect_app.core.workflow import CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.sync.client import enroll
from tests.browser import chromium
from tests.server.conftest import Hq, start_hq
from tests.services.conftest import jpeg_bytes
from tests.sync.test_sync_client import walk_with_failure
from tests.ui.harness import PHONE, AppDriver, open_app, running_app

BEFORE = (255, 165, 0)  # walk_with_failure's photo: orange
AFTER = (0, 128, 0)  # green


def enrolled(data_dir: Path, hq: Hq, person_id: str) -> None:
    ws = open_workspace(data_dir)
    try:
        enroll(ws, hq.url, hq.app.state.hq.make_code(person_id, "phone")[0])
    finally:
        ws.store.close()


def inspectors_device(data_dir: Path, hq: Hq) -> str:
    """李明's device: an electrical check failed on the RCD with a photo (a general hazard), then
    fixed on the spot with an after photo; nothing sent yet. Returns the hazard's description."""
    enrolled(data_dir, hq, "p-li")
    ws = open_workspace(data_dir)
    try:
        walk_with_failure(ws)
        hazards = HazardService(ws)
        hazard = hazards.all()[0]
        after = InspectionService(ws).process_photo(jpeg_bytes("green")).sha256
        payload = {"photos": [after], "note": "RCD replaced"}
        assert hazards.act(hazard, CommandType.FIX_ON_THE_SPOT, payload).applied
        return hazard.description
    finally:
        ws.store.close()


def sync_in_the_app(app: AppDriver) -> None:
    app.nav("Sync")
    app.tap("Sync now")
    app.see("received", timeout=60_000)
    app.see("0 items waiting")


def by_id(app: AppDriver, identifier: str) -> Locator:
    return app.page.locator(f'[flt-semantics-identifier="{identifier}"]').first


def in_view(app: AppDriver, element: Locator) -> dict[str, float]:
    """Scroll the page (mouse wheel, bounded) until ``element``'s box is inside the window."""
    element.wait_for(timeout=30_000)
    size = app.page.viewport_size
    assert size is not None
    for _ in range(20):
        box = element.bounding_box()
        assert box is not None
        if box["y"] >= 60 and box["y"] + box["height"] <= size["height"] - 100:
            return box
        app.page.mouse.move(size["width"] / 2, size["height"] / 2)
        app.page.mouse.wheel(0, box["y"] - size["height"] / 3)
        app.page.wait_for_timeout(150)
    raise AssertionError("could not scroll the photo into view")


def colour_in(app: AppDriver, element: Locator, shot: Path) -> tuple[float, ...]:
    """The mean colour of the middle of ``element``'s box in a settled screenshot (kept)."""
    in_view(app, element)
    png = app.capture()
    shot.write_bytes(png)
    box = element.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 40, box
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    middle = (int(x + w * 0.3), int(y + h * 0.3), int(x + w * 0.7), int(y + h * 0.7))
    picture = Image.open(io.BytesIO(png)).convert("RGB").crop(middle)
    return tuple(ImageStat.Stat(picture).mean)


def share_of(app: AppDriver, element: Locator, colour: tuple[int, int, int], shot: Path) -> float:
    """How much of ``element``'s box shows ``colour`` in a settled screenshot (kept)."""
    box = in_view(app, element)
    png = app.capture()
    shot.write_bytes(png)
    area = (
        int(box["x"]),
        int(box["y"]),
        int(box["x"] + box["width"]),
        int(box["y"] + box["height"]),
    )
    raw = Image.open(io.BytesIO(png)).convert("RGB").crop(area).tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    return sum(near(p, colour) for p in pixels) / max(1, len(pixels))


def near(seen: tuple[float, ...], colour: tuple[int, int, int], tolerance: float = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(seen, colour, strict=True))


def hazard_row(app: AppDriver, description: str) -> Locator:
    app.nav("Hazards")
    row = app.page.get_by_role("button", name=re.compile(re.escape(description[:24]))).first
    row.wait_for(timeout=15_000)
    return row


def open_hazard(app: AppDriver, row: Locator) -> None:
    row.click()
    app.see("Back to the list")


def test_the_head_and_the_verifier_see_the_photos_on_their_own_devices(tmp_path: Path) -> None:
    server, hq = start_hq(tmp_path / "hq")
    hq_stopped = False
    try:
        description = inspectors_device(tmp_path / "inspector", hq)
        enrolled(tmp_path / "head", hq, "p-wang")
        enrolled(tmp_path / "verifier", hq, "p-lin")
        with chromium() as browser:
            # The inspector's device sends the hazard and both photos.
            with running_app(tmp_path / "inspector", demo=False) as url:
                page = browser.new_page(viewport=PHONE)
                inspector = AppDriver(page)
                open_app(page, url)
                sync_in_the_app(inspector)
                page.close()

            # The head's device: the before photo on the hazard page, at full size on a tap.
            with running_app(tmp_path / "head", demo=False) as url:
                page = browser.new_page(viewport=PHONE)
                head = AppDriver(page)
                open_app(page, url)
                sync_in_the_app(head)
                row = hazard_row(head, description)  # the list row shows the first photo
                assert share_of(head, row, BEFORE, tmp_path / "head-list.png") > 0.05
                open_hazard(head, row)
                head.see("Before photo 1")
                before = by_id(head, "photo-before-1")
                assert near(colour_in(head, before, tmp_path / "head-hazard.png"), BEFORE)
                assert by_id(head, "photo-after-1").count() == 1
                assert not head.shows("held at HQ")
                before.click()
                full = by_id(head, "photo-full")
                assert near(colour_in(head, full, tmp_path / "head-full-size.png"), BEFORE)
                assert not head.shows("Full size when online")
                page.close()
            ws = open_workspace(tmp_path / "head")
            try:  # the full size was fetched and kept; the after photo only as a thumbnail
                hazard = HazardService(ws).all()[0]
                assert ws.store.photos.has(hazard.photos[0])
                assert not ws.store.photos.has(hazard.after_photos[0])
                assert ws.store.photos.has_thumb(hazard.after_photos[0])
            finally:
                ws.store.close()

            # The verifier's device: the after photo; with HQ gone, the small copy and a note.
            with running_app(tmp_path / "verifier", demo=False) as url:
                page = browser.new_page(viewport=PHONE)
                verifier = AppDriver(page)
                open_app(page, url)
                sync_in_the_app(verifier)
                open_hazard(verifier, hazard_row(verifier, description))
                verifier.see("After photo 1")
                after = by_id(verifier, "photo-after-1")
                assert near(colour_in(verifier, after, tmp_path / "verifier-hazard.png"), AFTER)
                server.stop()
                hq_stopped = True
                after.click()
                verifier.see("Full size when online", timeout=30_000)
                small = by_id(verifier, "photo-small")
                assert near(colour_in(verifier, small, tmp_path / "verifier-offline.png"), AFTER)
                page.close()
    finally:
        if not hq_stopped:
            server.stop()
