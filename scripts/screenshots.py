"""Make the README's screenshots of the app in docs/screenshots/, on purpose (tests never write
there): phone (412x860) and tablet (1024x1366), English and Chinese, on a demo device holding one
submitted fire inspection (hazards on Home) and one open on its first item: the inspector's walk
and Home, then the workshop head's hazards list, five-fix form, rates and Sync tab.

Each picture is checked before it is written: not blank (grey levels spread), and the screen's
own title in the semantics tree when it was taken. A bad one is refused: nothing is written for
it, the script carries on with the others, names the refused ones and exits 1 (a run that fails
partway names all its screens).
Run: scripts/screenshots.sh [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.browser import SCREENSHOTS, chromium
from tests.ui.harness import PHONE, TABLET, AppDriver, is_blank, open_app, running_app
from tests.ui.test_hazard_loop_e2e import seed, sign_in_as
from tests.ui.test_inspection_e2e import open_at

PAINT_TRIES = 40
STILL, STILL_MS = 3, 350


@dataclass(frozen=True)
class Screen:
    name: str
    #: The screen's title, looked for in the semantics tree before and after the capture.
    title: str
    #: Taps (button names) or a ("nav", destination) that lead to it from the screen before.
    taps: tuple[str, ...] = ()
    nav: str | None = None
    #: Signs this person in (Settings, in the demo) before going there.
    person: str | None = None


EN = [
    Screen("item", "Pressure gauge needle in the green zone"),
    Screen("finding", "A photo is required for this finding", taps=("Fail",)),
    Screen("summary", "Cannot submit yet:", taps=("Summary",)),
    Screen("home", "Equipment certificates", nav="Home"),
    # The workshop head takes the device (the inspector walked the checks).
    Screen("hazards", "2 hazard(s)", nav="Hazards", person="王建国"),
    Screen("five-fixes", "Responsible person", taps=("Gauge in red", "Assign five fixes")),
    Screen("rates", "Rectification rate", nav="Hazards", taps=("Rates",)),
    Screen("sync", "Enrol this device", nav="Sync"),
]
#: The tablet shows the list and the open hazard side by side.
TABLET_EN = [
    *EN[:4],
    Screen("hazards", "Back to the list", nav="Hazards", taps=("Door 3 chained",), person="王建国"),
]
ZH = [
    Screen("item", "压力表指针在绿区"),
    Screen("home", "特种设备检验证书", nav="首页"),
]
RUNS = [
    ("phone", PHONE, "en-US", "", EN),
    ("tablet", TABLET, "en-US", "", TABLET_EN),
    ("phone", PHONE, "zh-CN", "-zh", ZH),
    ("tablet", TABLET, "zh-CN", "-zh", ZH),
]


def settled(page: Page) -> bytes:
    """A screenshot once the picture stayed the same over ``STILL`` captures ``STILL_MS`` apart."""
    previous, same = b"", 0
    for _ in range(PAINT_TRIES):
        current = page.screenshot(animations="disabled")
        same = same + 1 if current == previous else 0
        if same >= STILL:
            break
        previous = current
        page.wait_for_timeout(STILL_MS)
    return previous


def take(app: AppDriver, screen: Screen, before: bytes) -> bytes | str:
    """The checked picture of ``screen``, reached from the screen pictured in ``before``; or
    why it was refused."""
    if screen.person:
        sign_in_as(app, screen.person)
    if screen.nav:
        app.nav(screen.nav)
    for name in screen.taps:
        app.tap(name, exact=False)
    size = app.page.viewport_size or PHONE
    app.page.mouse.move(size["width"] - 2, size["height"] // 2)  # no hover tooltip in the way
    try:
        app.see(screen.title, timeout=30_000)
    except Exception:  # the screen never came: refuse, and say what was missing
        return f"{screen.title!r} never appeared"
    # The semantics tree can be ready before the frame is painted (the first frame, new CJK
    # glyphs, a ripple): wait, bounded, for a picture that shows something new and has not
    # changed for a second.
    png = b""
    for _ in range(PAINT_TRIES):
        png = settled(app.page)
        if not is_blank(png) and png != before:
            break
    if not app.shows(screen.title):
        return f"{screen.title!r} was gone by the time the picture settled"
    if is_blank(png):
        return "the picture is blank"
    if png == before:
        return "the picture still shows the screen before"
    return png


def shoot(
    browser: Browser,
    out: Path,
    viewport: dict[str, int],
    locale: str,
    screens: list[Screen],
    names: list[str],
) -> list[str]:
    """Take ``screens`` in order on a fresh demo device, writing the good ones to ``out``;
    returns the refused ones, each with its reason."""
    refused = []
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "device"
        seed(data)
        open_at(data, "fire-monthly", "ext-gauge", "F-12")
        with running_app(data) as url:
            page = browser.new_page(viewport=viewport, locale=locale)
            app = AppDriver(page)
            open_app(page, url)
            before = b""
            for screen, name in zip(screens, names, strict=True):
                result = take(app, screen, before)
                if isinstance(result, str):
                    refused.append(f"{name}: {result}")
                    continue
                (out / name).write_bytes(result)
                print(f"wrote {out / name}", flush=True)
                before = result
            page.close()
    return refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SCREENSHOTS)
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    with chromium() as browser:
        for device, viewport, locale, suffix, screens in RUNS:
            names = [f"{device}-{screen.name}{suffix}.png" for screen in screens]
            try:
                refused += shoot(browser, out, viewport, locale, screens, names)
            except Exception as exc:  # the app or the browser failed partway through the run
                refused += [f"{name}: {type(exc).__name__}: {exc}" for name in names]
    if refused:
        print(f"{len(refused)} screenshot(s) refused:", *refused, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
