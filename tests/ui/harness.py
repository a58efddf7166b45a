"""Start the app in web mode on loopback and drive it in Debian's Chromium with the Flutter
semantics tree switched on, so tests find controls by role and name like a screen reader."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.services import free_port, wait_until

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
        [
            sys.executable,
            "-m",
            "inspect_app",
            "run",
            "--web",
            "--port",
            str(port),
            "--data",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
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
    home = page.get_by_role("tab", name="Home").or_(page.get_by_role("tab", name="首页"))
    home = home.or_(page.get_by_role("button", name="Home Tab")).or_(
        page.get_by_role("button", name="首页 Tab")
    )
    home.first.wait_for(timeout=60_000)


class AppDriver:
    """Small verbs over Playwright for the app: tap, type into a field, wait for text."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def tap(self, name: str, role: str = "button", exact: bool = True) -> None:
        self.page.get_by_role(role, name=name, exact=exact).first.click()

    def type_into(self, label: str, text: str) -> None:
        # Flutter web only takes keyboard input once its own text field has focus; the first
        # click on a freshly built screen sometimes only wakes the semantics layer, and keys
        # typed then are lost: so check the field holds the text, and try again if not.
        field = self.page.get_by_role("textbox", name=label).first
        tries = 3
        for _ in range(tries):
            field.click()
            try:
                self.page.wait_for_function(
                    "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)",
                    timeout=5_000,
                )
            except PlaywrightTimeout:
                continue
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
            typed = self.page.evaluate("() => document.activeElement?.value ?? ''")
            if typed == text:
                return
        raise AssertionError(f"could not type into {label!r} in {tries} tries")

    def see(self, text: str, timeout: float = 15_000) -> None:
        """Wait for text, shown as text or (inside cards, merged by Flutter) as a label."""
        quoted = text.replace('"', '\\"')
        try:
            self.page.get_by_text(text, exact=False).or_(
                self.page.locator(f'flt-semantics[aria-label*="{quoted}"]')
            ).first.wait_for(timeout=timeout)
        except PlaywrightTimeout:
            # Keep what the screen showed for whoever reads the failure.
            self.page.screenshot(path=str(Path(tempfile.gettempdir()) / "ui-failure.png"))
            raise

    def nav(self, name: str) -> None:
        """A destination of the bottom bar (phones) or the navigation rail (tablets)."""
        self.page.get_by_role("tab", name=name, exact=True).or_(
            self.page.get_by_role("button", name=f"{name} Tab")
        ).first.click()

    def progress(self) -> str:
        """The walk's "answered / total" counter as shown."""
        counter = self.page.get_by_text(re.compile(r"^\d+ / \d+$")).first
        return counter.inner_text() if counter.count() else ""

    def until(self, condition: Callable[[], bool], what: str, timeout_ms: int = 15_000) -> None:
        """Poll a condition of the page (bounded), for changes no single element announces."""
        for _ in range(timeout_ms // 50):
            if condition():
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"timed out waiting for {what}")

    def sees_button(self, name: str) -> bool:
        return self.page.get_by_role("button", name=name, exact=True).count() > 0

    def shot(self, path: Path) -> None:
        """Screenshot once the picture has settled: two consecutive captures are identical
        (Flutter paints the frame after it updates the semantics tree)."""
        previous = b""
        for _ in range(40):
            current = self.page.screenshot(animations="disabled")
            if current == previous:
                break
            previous = current
            self.page.wait_for_timeout(100)
        path.write_bytes(previous)
