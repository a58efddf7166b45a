"""Benchmark: time from process start to the home view being shown in the browser (web mode),
next to a bare Flet hello-world started and measured the same way, in the same run.

End point: Chromium (already running) has loaded the page and the Flutter semantics tree shows
the app's first control (the "Home" navigation destination; for the baseline its one text).
Run: .venv/bin/python bench/bench_startup.py
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

from tests.browser import chromium
from tests.support.services import free_port

RUNS = 5
HELLO = textwrap.dedent("""
    import sys
    import flet as ft

    def main(page):
        page.add(ft.Text("Hello inspector"))

    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(sys.argv[1]),
           no_cdn=True)
""")


def time_to_view(browser, command: list[str], port: int, ready) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(seconds until the page is served, seconds until the first view is on screen)."""
    page = browser.new_page(viewport={"width": 412, "height": 860})
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                break
            except Exception:
                time.sleep(0.02)
        served = time.perf_counter() - start
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
        page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        ready(page).first.wait_for(timeout=60_000)
        return served, time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(timeout=20)
        page.close()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    hello = workdir / "hello.py"
    hello.write_text(HELLO)
    app_times, hello_times = [], []
    with chromium() as browser:
        for run in range(RUNS):
            port = free_port()
            app_times.append(
                time_to_view(
                    browser,
                    [
                        sys.executable,
                        "-m",
                        "inspect_app",
                        "run",
                        "--web",
                        "--port",
                        str(port),
                        "--data",
                        str(workdir / f"device-{run}"),
                    ],
                    port,
                    lambda p: p.get_by_role("tab", name="Home"),
                )
            )
            port = free_port()
            hello_times.append(
                time_to_view(
                    browser,
                    [sys.executable, str(hello), str(port)],
                    port,
                    lambda p: p.get_by_text("Hello inspector"),
                )
            )
    print(f"{'process start -> (median s, max s)':<36} {'page served':>16} {'view on screen':>18}")
    for label, times in (
        ("inspect_app home (web mode)", app_times),
        ("bare Flet hello world (baseline)", hello_times),
    ):
        served = [t[0] for t in times]
        shown = [t[1] for t in times]
        print(
            f"{label:<36} {statistics.median(served):8.2f} {max(served):7.2f}"
            f" {statistics.median(shown):9.2f} {max(shown):8.2f}"
        )


if __name__ == "__main__":
    main()
