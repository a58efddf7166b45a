"""Make the README's screenshots of HQ's pages in docs/screenshots/, on purpose (tests never
write there): the group's overview and a plant (an HQ admin), a hazard with its photos, fix note
and forms (the safety officer who verifies it), in Chinese and English, at 1280x900 and 412x860.

HQ runs on the demo plant and the second demo plant (sites/demo-site-2.yaml), filled through the
devices' push with hazards found over the last months. Each picture is checked before it is
written (the page answered 200, its heading is on it, nothing scrolls sideways); a bad one is
named and the script exits 1.
Run: .venv/bin/python scripts/hq_screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).parents[1]))

from inspect_app.server.scope import EVERYWHERE
from tests.browser import SCREENSHOTS, chromium
from tests.server.conftest import ADMIN_PASSWORD, Device, Hq, start_hq
from tests.server.test_page_security import browser_login

ROOT = Path(__file__).parents[1]
SIZES = {"desktop": (1280, 900), "phone": (412, 860)}


def photo(colour: tuple[int, int, int], mark: str) -> bytes:
    """A picture standing for a site photo: a coloured scene with a sign on it."""
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 120, 600, 480), fill=(235, 235, 235), outline=(30, 30, 30), width=10)
    if mark == "x":
        draw.line((260, 180, 540, 420), fill=(190, 20, 20), width=30)
        draw.line((540, 180, 260, 420), fill=(190, 20, 20), width=30)
    else:
        draw.line((260, 320, 360, 420), fill=(20, 140, 40), width=30)
        draw.line((360, 420, 560, 180), fill=(20, 140, 40), width=30)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def upload(device: Device, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    device.put_blob(sha, data).raise_for_status()
    return sha


def day(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def create(
    device: Device, workshop: str, description: str, found_days_ago: int, **fields: Any
) -> str:
    """A hazard the device registers, found ``found_days_ago`` (its observation time)."""
    hazard_id = str(uuid.uuid4())
    payload = {
        "workshop_id": workshop,
        "description": description,
        "grade": "general",
        "risk": "yellow",
        "deadline": day(-found_days_ago + 10),
        "photos": [],
        **fields,
    }
    command = device.command(hazard_id, "create", None, payload)
    command["observed_at"] = f"{day(-found_days_ago)}T09:30:00+08:00"
    step(device, command)
    return hazard_id


def step(device: Device, command: dict[str, Any]) -> None:
    answer = device.push([command]).json()["commands"][0]
    if answer["status"] != "applied":
        raise RuntimeError(f"{command['type']} was not applied: {answer}")


def act(device: Device, hazard_id: str, type_: str, status: str, **payload: Any) -> None:
    version = device.hq.app.state.pages.reads.one(hazard_id, EVERYWHERE).hazard.version
    step(device, device.command(hazard_id, type_, status, payload, base_version=version))


def seed(hq: Hq) -> str:
    """The demo group's hazards; answers the hazard the screenshots show."""
    hq.app.state.hq.publish_site((ROOT / "sites" / "demo-site-2.yaml").read_text("utf-8"))
    accounts = hq.app.state.accounts
    accounts.create_user("chen", ADMIN_PASSWORD, is_admin=True, person_id="p-chen")
    accounts.create_user("lin", ADMIN_PASSWORD, is_admin=False, person_id="p-lin")
    li, xu, huang, tang = (hq.enroll(p) for p in ("p-li", "p-xu", "p-huang", "p2-tang"))
    wang, lin, qian = (hq.enroll(p) for p in ("p-wang", "p-lin", "p2-qian"))
    before = upload(li, photo((150, 40, 40), "x"))
    after = upload(wang, photo((40, 110, 60), "v"))
    shown = create(
        li,
        "ws-stamping",
        "1号冲压线光幕被短接，双手按钮失效 / Press 1 light curtain bypassed",
        12,
        risk="orange",
        photos=[before],
        checklist_id="press-safety",
        item_id="light-curtain",
        reference="GB 27607 §5.2",
    )
    act(
        wang,
        shown,
        "assign_five_fixes",
        "open",
        responsible_id="p-wang",
        measures="拆除短接线，恢复光幕与双手按钮联锁；班前点检表增加光幕测试",
        funds="800 元",
        deadline=day(3),
    )
    act(wang, shown, "start_rectification", "assigned")
    act(
        wang,
        shown,
        "submit_rectified",
        "rectifying",
        photos=[after],
        note="已拆除短接线并恢复联锁，试车 20 次光幕均能停机。",
        funds_spent="650 元",
    )
    for ago in (150, 95, 40):
        hazard = create(
            li,
            "ws-stamping",
            "光幕遮挡后压机未停 / Light curtain did not stop the press",
            ago,
            checklist_id="press-safety",
            item_id="light-curtain",
            reference="GB 27607 §5.2",
        )
        act(
            wang,
            hazard,
            "assign_five_fixes",
            "open",
            responsible_id="p-wang",
            measures="更换光幕接收器",
            funds="1200 元",
            deadline=day(-ago + 7),
        )
        act(wang, hazard, "start_rectification", "assigned")
        act(wang, hazard, "submit_rectified", "rectifying", photos=[after], note="已更换")
        act(lin, hazard, "verify_pass", "submitted", opinion="复测合格")
    create(
        xu,
        "ws-logistics",
        "成品仓库消防通道被托盘占用 / Fire lane blocked by pallets",
        20,
        grade="major",
        risk="red",
        photos=[before],
        major_rule="GB 55037 §2.0.7",
    )
    create(xu, "ws-logistics", "叉车充电区缺少洗眼器 / No eyewash at charging area", 60)
    create(
        huang,
        "ws-painting",
        "调漆间防爆灯罩破损 / Ex lamp cover cracked in mixing room",
        8,
        risk="orange",
    )
    create(huang, "ws-assembly", "总装线急停按钮标识缺失 / E-stop labels missing", 3, risk="blue")
    create(
        li,
        "ws-welding",
        "气瓶间乙炔瓶未固定 / Acetylene cylinders not chained",
        33,
        risk="orange",
        photos=[before],
    )
    for workshop, text, ago in (
        ("ws2-foundry", "中频炉冷却水流量报警失效 / Furnace cooling-water alarm dead", 25),
        ("ws2-heat", "淬火槽无防溢油挡板 / Quench tank lacks an overflow guard", 70),
        ("ws2-machining", "数控加工区地面油污 / Oil on the floor of the CNC cells", 5),
    ):
        hazard = create(tang, workshop, text, ago)
        if workshop == "ws2-foundry":
            act(
                qian,
                hazard,
                "assign_five_fixes",
                "open",
                responsible_id="p2-qian",
                measures="更换流量开关",
                funds="2000 元",
                deadline=day(-ago + 12),
            )
    return shown


def check(page: Any, width: int, heading: str) -> str | None:
    if heading not in page.content():
        return f"“{heading}” is not on the page"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    return f"it is {scroll} px wide" if scroll > width else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SCREENSHOTS)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        server, hq = start_hq(Path(tmp) / "hq")
        try:
            shown = seed(hq)
            screens = [
                ("group", "chen", "/group", {"zh": "集团总览", "en": "Group overview"}),
                (
                    "plant",
                    "chen",
                    "/plants/plant-suzhou-01",
                    {"zh": "苏州精密零部件厂", "en": "Suzhou Precision Components Plant"},
                ),
                (
                    "hazard",
                    "lin",
                    f"/hazards/{shown}",
                    {"zh": "验收通过并销号", "en": "Verify: pass and close"},
                ),
            ]
            with chromium() as browser:
                for name, user, path, headings in screens:
                    session, _ = browser_login(hq, user)
                    for lang, heading in headings.items():
                        for size, (width, height) in SIZES.items():
                            context = browser.new_context(
                                viewport={"width": width, "height": height}
                            )
                            context.add_cookies(
                                [
                                    {"name": c.name, "value": c.value or "", "url": hq.url}
                                    for c in session.cookies
                                ]
                                + [{"name": "hq_lang", "value": lang, "url": hq.url}]
                            )
                            page = context.new_page()
                            answer = page.goto(f"{hq.url}{path}")
                            if name == "hazard":
                                page.locator("details.action summary").first.click()
                            file = out / f"hq-{name}-{lang}-{size}.png"
                            problem = (
                                f"answered {answer.status}"
                                if answer is None or answer.status != 200
                                else check(page, width, heading)
                            )
                            if problem:
                                refused.append(f"{file.name}: {problem}")
                            else:
                                page.screenshot(path=str(file), full_page=True)
                                print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
                            context.close()
        finally:
            server.stop()
    for line in refused:
        print(f"refused {line}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
