"""Every HQ page on a 360 px phone, in Chinese and in English, for an HQ admin who acts as a
person (so the hazard page shows its forms): nothing scrolls sideways, and workshop names in the
rate charts are shown whole."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.server.conftest import ADMIN_PASSWORD, Hq, days_from_today, hazard_payload, start_hq
from tests.server.test_hq_pages import console_errors, evidence_photo
from tests.server.test_page_security import browser_login

LONG = "安全出口3号门被锁闭且通道堆放大量纸箱 / Emergency exit door 3 chained shut, boxes piled"


@pytest.fixture
def filled_hq(tmp_path: Path) -> Iterator[tuple[Hq, str]]:
    server, hq = start_hq(tmp_path / "hq")
    hq.app.state.accounts.create_user("chen", ADMIN_PASSWORD, is_admin=True, person_id="p-chen")
    device = hq.enroll("p-xu")
    photo = evidence_photo()
    sha = hashlib.sha256(photo).hexdigest()
    assert device.put_blob(sha, photo).status_code == 201
    major = str(uuid.uuid4())
    commands = [
        device.command(
            major,
            "create",
            None,
            hazard_payload(
                workshop="ws-logistics",
                grade="major",
                risk="red",
                description=LONG,
                photos=[sha],
                deadline=days_from_today(-1),
            ),
        ),
        *(
            device.command(
                str(uuid.uuid4()),
                "create",
                None,
                hazard_payload(workshop="ws-logistics", description=LONG),
            )
            for _ in range(3)
        ),
    ]
    assert {r["status"] for r in device.push(commands).json()["commands"]} == {"applied"}
    yield hq, major
    server.stop()


def test_no_page_scrolls_sideways_at_360_px(filled_hq: tuple[Hq, str]) -> None:
    hq, major = filled_hq
    session, _ = browser_login(hq, "chen")
    paths = [
        "/hazards",
        "/group",
        "/plants/plant-suzhou-01",
        "/plants/plant-suzhou-01/summary",
        "/workshops/ws-logistics",
        f"/hazards/{major}",
        "/devices",
        "/master",
        "/audit",
        "/workshops",  # a 403 page for an admin who heads no workshop
    ]
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        context.add_cookies(
            [{"name": c.name, "value": c.value or "", "url": hq.url} for c in session.cookies]
        )
        page = context.new_page()
        errors = console_errors(page)
        for lang in ("zh", "en"):
            context.add_cookies([{"name": "hq_lang", "value": lang, "url": hq.url}])
            for path in paths:
                page.goto(f"{hq.url}{path}")
                assert page.evaluate("document.documentElement.lang").startswith(lang)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 360, f"{path} in {lang} is {width} px wide"
            page.goto(f"{hq.url}/hazards")
            chart = "".join((page.locator("svg.chart").first.text_content() or "").split())
            name = "物流仓储部" if lang == "zh" else "Logisticsandwarehouse"
            assert name in chart, chart
        context.close()
    assert errors == [], errors
