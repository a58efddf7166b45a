"""Chinese, one language at a time: every screen walked in zh in Chromium (home, the inspect
picker, an item, its finding card, the summary, the hazards list and a hazard, the rates, sync,
settings), failing on any English word left over. Data is not language: ids, tags, standards'
references and what people typed are taken out first; codes and units are allowed."""

from __future__ import annotations

import re
from pathlib import Path

from inspect_app.services.bootstrap import open_workspace
from tests.browser import chromium
from tests.ui.harness import PHONE, AppDriver, open_app, running_app
from tests.ui.test_hazard_loop_e2e import seed

#: Codes and units that read the same in Chinese, and English offered by its own name.
ALLOWED = {"MPa", "mA", "lx", "MB", "PDF", "CSV", "XLSX", "dB", "mmol", "YYYY", "MM", "DD"}
ALLOWED |= {"English"}
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z]+")


def data_values(data_dir: Path) -> list[str]:
    """What the device holds as data rather than words of the app: ids and tags, references,
    what was typed into findings and notes; longest first, so a value inside another goes
    with it."""
    ws = open_workspace(data_dir)
    try:
        values = {h["description"] for h in ws.store.list_hazards()}
        values |= {h["id"] for h in ws.store.list_hazards()}
        site = ws.catalog.site
        values |= {w.id for w in site.workshops} | {e.asset_id for e in site.equipment}
        values |= {area.id for w in site.workshops for area in w.areas}
        values |= {e.registration_no for e in site.equipment if e.registration_no}
        for checklist in ws.catalog.latest_checklists():
            values |= {i.reference for i in checklist.items() if i.reference}
        for header in ws.store.list_inspections():
            for answer in ws.store.answers(header["id"]).values():
                values.add(answer.get("note") or "")
                values.add((answer.get("finding") or {}).get("description") or "")
                values.add(answer.get("tag") or "")
        values.add("F-12")
    finally:
        ws.store.close()
    return sorted((v for v in values if v), key=len, reverse=True)


def english_left(app: AppDriver, data: list[str]) -> list[str]:
    """The English words on the screen now, outside data and the allowed codes."""
    texts = app.page.evaluate(
        "() => Array.from(document.querySelectorAll('flt-semantics, input, textarea'))"
        ".map(e => [e.getAttribute('aria-label') || '', e.innerText || '', e.value || ''])"
        ".flat()"
    )
    found = set()
    for text in texts:
        for value in data:
            text = text.replace(value, " ")
        found |= {w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED}
    return sorted(found)


def test_every_screen_in_chinese_has_no_english_left(tmp_path: Path) -> None:
    data_dir = tmp_path / "device"
    ws = open_workspace(data_dir)
    ws.settings.language = "zh"  # a Chinese plant: the hazards are registered in Chinese too
    ws.store.close()
    seed(data_dir)
    data = data_values(data_dir)
    with running_app(data_dir) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        app = AppDriver(page)
        open_app(page, url)
        leftovers: dict[str, list[str]] = {}

        def check(screen: str, shown: str) -> None:
            app.see(shown)
            app.capture()  # settled
            words = english_left(app, data)
            if words:
                leftovers[screen] = words

        check("home", "未整改隐患")
        app.nav("检查")
        check("inspect picker", "开始检查")
        app.tap("消防安全月度检查", exact=False)
        app.tap("冲压车间")
        app.tap("1号冲压线")
        app.tap("开始检查")
        app.type_here("编号", "F-12")
        check("walk item", "压力表指针在绿区")
        app.tap("不合格")
        check("finding card", "此隐患必须拍照")
        app.tap("汇总", exact=False)
        check("summary", "暂不能提交")
        app.nav("隐患")
        check("hazards list", "项")
        app.page.get_by_role("button", name=re.compile("Door 3 chained")).first.click()
        check("hazard detail", "返回清单")
        app.tap("返回清单")
        app.tap("整改率")
        check("rates", "整改率")
        app.nav("同步")
        check("sync", "同步")
        app.nav("设置")
        check("settings", "使用本设备的人")
    assert leftovers == {}, leftovers
