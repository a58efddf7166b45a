"""Start the app in web mode on loopback and drive it in Debian's Chromium with the Flutter
semantics tree switched on, so tests find controls by role and name like a screen reader."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page

from inspect_app.server.testing import free_port, wait_until

PHONE = {"width": 412, "height": 860}
TABLET = {"width": 1024, "height": 1366}


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


@contextmanager
def running_app(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "run", "--web", "--port", str(port),
         "--data", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: _serving(url), 60, "the app")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


def open_app(page: Page, url: str) -> None:
    """Load the app and switch on the semantics tree (Flutter builds it on request)."""
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    page.get_by_role("tab", name="Home").or_(page.get_by_role("tab", name="首页")).first.wait_for(
        timeout=60_000
    )
