"""The HQ pages in Chromium: log in, see a hazard a device pushed (major first), open its photo,
make an enrolment code with its QR code, log out; the stylesheet applies and the browser reports
no Content-Security-Policy violation (or any other console error). Screenshots go to the test's
temporary directory."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import ConsoleMessage, Page

from tests.browser import chromium
from tests.server.conftest import ADMIN_PASSWORD, Hq, days_from_today, hazard_payload, start_hq


def evidence_photo() -> bytes:
    image = Image.new("RGB", (800, 600), (200, 40, 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle((250, 150, 550, 450), fill=(240, 240, 240))
    draw.ellipse((320, 220, 480, 380), outline=(20, 20, 20), width=12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def console_errors(page: Page) -> list[str]:
    """Errors the page logs from now on, CSP violations among them. A document answered with a
    4xx status (a refused login, a site file refused) is logged too; that is not an error of
    the page, the test checks what the page says instead."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        url = message.location["url"]
        if message.type == "error" and not (
            message.text.startswith("Failed to load resource") and url == page.url
        ):
            errors.append(f"{message.text} at {url}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def in_english(page: Page, url: str) -> Page:
    """The page's browser reads HQ in English (the words these tests look for)."""
    page.context.add_cookies([{"name": "hq_lang", "value": "en", "url": url}])
    return page


def header_colour(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")


@pytest.fixture
def hq_with_hazards(tmp_path: Path) -> Iterator[tuple[Hq, str]]:
    server, hq = start_hq(tmp_path / "hq")
    hq.app.state.accounts.create_user("admin", ADMIN_PASSWORD, is_admin=True)
    device = hq.enroll("p-li")
    photo = evidence_photo()
    sha = hashlib.sha256(photo).hexdigest()
    assert device.put_blob(sha, photo).status_code == 201
    major = str(uuid.uuid4())
    commands = [
        device.command(
            str(uuid.uuid4()),
            "create",
            None,
            hazard_payload(description="Hydrant cabinet F-3 hose missing"),
        ),
        device.command(
            major,
            "create",
            None,
            hazard_payload(
                grade="major",
                risk="red",
                description="安全出口3号门被锁闭 / Exit door 3 chained",
                photos=[sha],
                deadline=days_from_today(-1),
            ),
        ),
    ]
    assert [r["status"] for r in device.push(commands).json()["commands"]] == ["applied"] * 2
    yield hq, major
    server.stop()


def test_log_in_see_the_pushed_hazard_and_open_its_photo(hq_with_hazards, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hq, major = hq_with_hazards
    assert hq.app.state.hq.directory().person("p-li") is not None
    with chromium() as browser:
        page = in_english(browser.new_page(viewport={"width": 1280, "height": 900}), hq.url)
        errors = console_errors(page)
        page.goto(f"{hq.url}/")
        assert page.url.endswith("/login")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill("wrong password!")
        page.get_by_role("button", name="Log in").click()
        assert page.get_by_text("wrong username or password").is_visible()
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{hq.url}/group")  # an HQ admin lands on the group's overview
        page.get_by_role("link", name="Hazards", exact=True).click()
        page.get_by_role("heading", name="Open hazards (2)").wait_for()
        rows = page.locator("table").first.locator("tr")
        assert "Exit door 3 chained" in rows.nth(1).inner_text()  # major first
        assert header_colour(page) == "rgb(13, 59, 102)"  # /static/hq.css applied
        page.screenshot(path=str(tmp_path / "hq-hazards.png"), full_page=True)
        # The major hazard is overdue, so it is listed under "Overdue" too.
        page.get_by_role("link", name="安全出口3号门被锁闭 / Exit door 3 chained").first.click()
        assert page.url.endswith(f"/hazards/{major}")
        photo = page.get_by_role("img", name="photo before")
        photo.wait_for()
        assert page.evaluate("img => img.naturalWidth", photo.element_handle()) == 800
        assert "Stamping workshop" in page.content()
        assert header_colour(page) == "rgb(13, 59, 102)"
        page.screenshot(path=str(tmp_path / "hq-hazard-detail.png"), full_page=True)
        page.goto(f"{hq.url}/devices")
        page.get_by_label("person").select_option("p-zhao")
        page.get_by_role("button", name="Make code").click()
        page.get_by_text("Valid 24 hours, once.").wait_for()
        assert page.locator("svg path").count() >= 1
        phone = browser.new_page(viewport={"width": 412, "height": 860})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{hq.url}/")
        phone.screenshot(path=str(tmp_path / "hq-phone.png"), full_page=False)
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("heading", name="HQ log in").wait_for()
        page.goto(f"{hq.url}/devices")
        assert page.url.endswith("/login?after=%2Fdevices")  # the session ended
        assert errors == [], errors


def test_master_data_page_publishes_and_shows_errors(hq_with_hazards) -> None:  # type: ignore[no-untyped-def]
    hq, _ = hq_with_hazards
    with chromium() as browser:
        page = in_english(browser.new_page(viewport={"width": 1280, "height": 900}), hq.url)
        errors = console_errors(page)
        page.goto(f"{hq.url}/login")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Master data").click()
        # The demo is two plants, a site form each: the first plant's.
        form = page.locator("form", has_text="id: plant-suzhou-01")
        site = form.get_by_label("site file")
        text = site.input_value()
        site.fill(
            text.replace("name: 赵磊, roles: [inspector]", "name: 赵磊, roles: [inspector, boss]")
        )
        form.get_by_role("button", name="Publish site").click()
        page.get_by_text(
            "roles entry must be one of inspector, workshop_head, hq_admin, safety_officer, principal, "
            "not 'boss'",
            exact=False,
        ).wait_for()
        form.get_by_label("site file").fill(text.replace("name: 赵磊", "name: 赵磊磊"))
        form.get_by_role("button", name="Publish site").click()
        page.get_by_text("Published the site of plant-suzhou-01").wait_for()
        assert errors == [], errors
    assert hq.app.state.hq.directory().person("p-zhao").name.get("zh") == "赵磊磊"
