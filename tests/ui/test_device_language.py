"""The app speaks the device's language until the person picks one in Settings, and the camera
path is only taken where the camera extension exists (Android/iOS builds)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from inspect_app.ui.camera import camera_available
from tests.browser import chromium
from tests.ui.harness import PHONE, AppDriver, open_app, running_app


def test_a_chinese_browser_gets_chinese_until_english_is_chosen(tmp_path: Path) -> None:
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        app = AppDriver(page)
        open_app(page, url)
        app.see("未整改隐患")  # home, in Chinese
        app.nav("设置")
        app.tap("English")
        app.see("Who is using this device")
        page.close()
        # The choice is kept for this device, whatever the next browser's language.
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        open_app(page, url)
        AppDriver(page).see("Open hazards")


def test_no_camera_path_on_web_or_desktop() -> None:
    web = SimpleNamespace(web=True, platform=None)
    desktop = SimpleNamespace(web=False, platform=SimpleNamespace(is_mobile=lambda: False))
    assert not camera_available(web)  # type: ignore[arg-type]
    assert not camera_available(desktop)  # type: ignore[arg-type]


def test_a_certificate_warning_leads_to_inspecting_that_asset(tmp_path: Path) -> None:
    with running_app(tmp_path / "device") as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        app = AppDriver(page)
        open_app(page, url)
        app.page.get_by_text("CR-101", exact=False).first.click()
        app.see("Overhead crane / hoist - frequent inspection")
        app.tap("Begin inspection")
        app.see("Inspection certificate in date and displayed", timeout=20_000)
