"""Started without the CJK font, the app says so on every screen (in both languages) and in the
log once; once the font is installed it is copied, loaded and the banner goes, without a restart.

The app runs as in ``running_app``, with the system font path and the assets folder pointed at
temp paths: the font "appears" mid-test when the test copies it there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspect_app.services.bootstrap import open_workspace
from tests.browser import chromium
from tests.support.services import free_port, wait_until
from tests.ui.harness import PHONE, AppDriver, choose_demo, open_app, serving

SYSTEM_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
BANNER = "Chinese font missing: install fonts-droid-fallback"
WARNING = "no CJK font at"

#: Runs the app like ``inspect-app run --web``, with the font and assets paths given.
LAUNCH = """
import sys
from pathlib import Path
import inspect_app.ui.app as app
app.CJK_FONT = Path(sys.argv[1])
app.ASSETS = Path(sys.argv[2])
app.run(Path(sys.argv[3]), True, "127.0.0.1", int(sys.argv[4]))
"""


@contextmanager
def app_without_font(font: Path, assets: Path, data_dir: Path, log: Path) -> Iterator[str]:
    port = free_port()
    command = ["-c", LAUNCH, str(font), str(assets), str(data_dir), str(port)]
    with serving(command, port, {**os.environ, "PYTHONUNBUFFERED": "1"}, log) as url:
        yield url


def banner_shown(app: AppDriver) -> bool:
    return app.page.get_by_text(BANNER, exact=False).count() > 0


def test_missing_font_is_said_then_picked_up_once_installed(tmp_path: Path) -> None:
    data_dir = tmp_path / "device"
    ws = open_workspace(data_dir)
    ws.settings.language = "zh"
    ws.store.close()
    choose_demo(data_dir)
    font = tmp_path / "system-fonts" / SYSTEM_FONT.name
    assets = tmp_path / "assets"
    assets.mkdir()
    log = tmp_path / "app.log"
    with app_without_font(font, assets, data_dir, log) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        app = AppDriver(page)
        open_app(page, url)
        app.see(BANNER)
        app.see("缺少中文字体")
        (tmp_path / "font-missing.png").write_bytes(app.capture())
        app.nav("隐患")
        app.see("隐患清单")
        assert banner_shown(app), "the banner is on every screen"
        assert log.read_text().count(WARNING) == 1

        font.parent.mkdir()
        partial = font.with_suffix(".part")
        shutil.copyfile(SYSTEM_FONT, partial)
        partial.replace(font)  # the package manager's rename: the font appears whole
        app.nav("首页")  # any render looks again
        wait_until(lambda: not banner_shown(app), 15, "the banner to go")
        assert (assets / "fonts" / SYSTEM_FONT.name).read_bytes() == SYSTEM_FONT.read_bytes()
        app.see("未整改隐患")
        page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            f".some(e => e.name.endsWith('fonts/{SYSTEM_FONT.name}'))",
            timeout=15_000,
        )
        (tmp_path / "font-installed.png").write_bytes(app.capture())
        assert log.read_text().count(WARNING) == 1
