"""Benchmark: the inspector's walk in Chromium against the app in web mode (phone, 412x860).

- Taps and seconds for a clean 15-item check (workplace environment: 13 pass/fail items, two
  readings typed and confirmed with Enter), from the first tap (Inspect, on Home) to the
  summary saying the inspection is submitted; median of 5 runs on one app process.
- Tap-to-settled latency (median, p90) of Pass (the answer shown, then the next item's prompt
  on screen: it includes the app's deliberate confirmation pause, CONFIRM_S), Next (the next
  item's prompt) and Fail (the finding card's description field).
- Baseline, same run, measured the same way: a bare Flet page showing the count of clicks on
  its one button (click to the new count on screen).

"On screen" means in the Flutter semantics tree, which Flutter updates with the frame.
Run: .venv/bin/python bench/bench_walk_taps.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from playwright.sync_api import Browser

from inspect_app.ui.screens.inspect.walk import CONFIRM_S
from tests.browser import chromium
from tests.support.services import free_port
from tests.ui.harness import PHONE, AppDriver, open_app, running_app

RUNS = 5
CLICKS = 30
CHECKLIST = "Workplace environment - monthly"
#: The clean walk: each item's prompt, and the button that answers it or a reading to type.
WALK: list[tuple[str, str | tuple[str, str, str]]] = [
    ("Noise level at the work position (8 h equivalent)", ("type", "dB(A)", "80")),
    ("Hearing protection worn in posted noise areas", "Pass"),
    ("Local exhaust ventilation running at welding/painting stations", "Pass"),
    ("Illuminance at the work surface", ("type", "lx", "300")),
    ("Occupational hazard notice board and warning signs posted", "Pass"),
    ("Aisles marked and clear; nothing stored in walkways", "Pass"),
    ("Floors free of oil, water and trip hazards", "Pass"),
    ("Materials stacked stable and within height limits", "Pass"),
    ("Machine guards and interlocks in place on moving parts", "Pass"),
    ("Chemical containers labelled; SDS available at the point of use", "Pass"),
    ("Flammables in a ventilated cabinet, incompatible chemicals apart", "Pass"),
    ("Required PPE worn (helmets, glasses, safety shoes, gloves)", "Pass"),
    ("First aid kit stocked and in date", "Pass"),
    ("Eyewash station flows clean water, access clear", "Pass"),
    ("Safety signs present and legible at hazards", "Pass"),
]
SUMMARY = "0 failure(s)"
CLICKER = textwrap.dedent("""
    import sys
    import flet as ft

    def main(page):
        count = ft.Text("Clicks: 0")

        def clicked(_):
            count.value = f"Clicks: {int(count.value.split()[-1]) + 1}"

        page.add(ft.Button("Click me", on_click=clicked), count)

    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(sys.argv[1]),
           no_cdn=True)
""")


def timed(action, settled) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds from ``action`` (a tap) until ``settled`` returns."""
    start = time.perf_counter()
    action()
    settled()
    return (time.perf_counter() - start) * 1000


def begin(app: AppDriver) -> None:
    app.nav("Inspect")
    app.tap(CHECKLIST, exact=False)
    app.tap("Stamping workshop")
    app.tap("Press line 1")
    app.tap("Begin inspection")


def clean_check(app: AppDriver, pass_ms: list[float]) -> tuple[int, float]:
    """One clean check from Home to submitted: (taps, seconds); each Pass's latency is added
    to ``pass_ms``."""
    taps_before = app.taps
    start = time.perf_counter()
    begin(app)
    for index, (prompt, action) in enumerate(WALK):
        app.see(prompt)
        following = WALK[index + 1][0] if index + 1 < len(WALK) else SUMMARY
        if isinstance(action, tuple):
            app.type_here(action[1], action[2])
        else:
            pass_ms.append(timed(lambda a=action: app.tap(a), lambda f=following: app.see(f)))
    app.see(SUMMARY)
    app.tap("Submit inspection")
    app.see("This inspection is submitted and read-only.")
    return app.taps - taps_before, time.perf_counter() - start


def next_and_fail(app: AppDriver) -> tuple[list[float], list[float]]:
    """A fresh check: Next through every item, then back at the start, Fail on each pass/fail
    item (the finding card) and Next on."""
    begin(app)
    next_ms, fail_ms = [], []
    for index, (prompt, _) in enumerate(WALK[:-1]):
        app.see(prompt)
        next_ms.append(timed(lambda: app.tap("Next"), lambda i=index: app.see(WALK[i + 1][0])))
    app.tap("Summary")
    app.tap(f"Not answered: {WALK[0][0]}", exact=False)
    finding = app.page.get_by_role("textbox", name="What is wrong").first
    for index, (prompt, action) in enumerate(WALK[:-1]):
        app.see(prompt)
        if action == "Pass":
            fail_ms.append(timed(lambda: app.tap("Fail"), lambda: finding.wait_for()))
        app.tap("Next")
        app.see(WALK[index + 1][0])
    return next_ms, fail_ms


def baseline(browser: Browser, workdir: Path) -> list[float]:
    script = workdir / "clicker.py"
    script.write_text(CLICKER)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = browser.new_page(viewport=PHONE)
    try:
        for _ in range(600):  # until it serves, up to about a minute
            try:
                page.goto(url, timeout=2000)
                break
            except Exception:
                time.sleep(0.1)
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
        page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        button = page.get_by_role("button", name="Click me")
        button.wait_for(timeout=60_000)
        return [
            timed(button.click, lambda n=n: page.get_by_text(f"Clicks: {n}").wait_for())
            for n in range(1, CLICKS + 1)
        ]
    finally:
        page.close()
        process.terminate()
        process.wait(timeout=20)


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[8]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-walk-"))
    pass_ms: list[float] = []
    checks: list[tuple[int, float]] = []
    with chromium() as browser:
        with running_app(workdir / "device") as url:
            page = browser.new_page(viewport=PHONE)
            app = AppDriver(page)
            open_app(page, url)
            for _ in range(RUNS):
                checks.append(clean_check(app, pass_ms))
            next_ms, fail_ms = next_and_fail(app)
        click_ms = baseline(browser, workdir)
    taps = [c[0] for c in checks]
    seconds = [c[1] for c in checks]
    print(f"clean {len(WALK)}-item check ({CHECKLIST}), {RUNS} runs, Home -> submitted:")
    print(
        f"  taps {statistics.median(taps):.0f} (items + {statistics.median(taps) - len(WALK):.0f});"
        f" seconds median {statistics.median(seconds):.1f}"
        f" (min {min(seconds):.1f}, max {max(seconds):.1f})"
    )
    print(f"{'tap -> settled (ms)':<52} {'median':>7} {'p90':>7} {'n':>4}")
    for label, values in (
        (f"Pass: answer shown, next item (incl. {CONFIRM_S * 1000:.0f} ms pause)", pass_ms),
        ("Next: next item", next_ms),
        ("Fail: finding card", fail_ms),
        ("bare Flet page: click -> new count (baseline)", click_ms),
    ):
        print(f"{label:<52} {statistics.median(values):7.0f} {p90(values):7.0f} {len(values):4d}")


if __name__ == "__main__":
    main()
