"""Start the app in web mode on loopback and drive it in Debian's Chromium with the Flutter
semantics tree switched on, so tests find controls by role and name like a screen reader."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO

from PIL import Image, ImageStat
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from inspect_app.core.checklist import Checklist, Item, ItemType, LimitRef
from inspect_app.core.evaluation import slots
from inspect_app.core.inspection import Answer, Inspection, PassFail
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.catalog import Catalog
from tests.support.services import free_port, wait_until

PHONE = {"width": 412, "height": 860}
TABLET = {"width": 1024, "height": 1366}
#: What answers one item of a walk: the name of the button to tap, or ("type", field, value) for
#: a reading entered and confirmed with Enter.
Action = str | tuple[str, str, str]


def clean_walk(checklist: Checklist, tag: str | None = None) -> list[tuple[str, Action]]:
    """Every item the walk shows when each is answered within its limits, with the action that
    answers it in English: Pass, the first choice that does not fail, Today for a date, a value
    inside its limits for a reading. ``tag`` is the one unit of a repeated section; the
    checklist's named limits must be resolved."""
    inspection = Inspection(
        "clean",
        checklist.id,
        checklist.version,
        "",
        "ws",
        "p",
        "",
        instances={s.id: (tag,) for s in checklist.sections if s.repeat and tag},
    )
    steps: list[tuple[str, Action]] = []
    for _ in range(checklist.item_count * 2):
        slot = next(
            (s for s in slots(checklist, inspection) if not inspection.answer(s.item.id, s.tag)),
            None,
        )
        if slot is None:
            return steps
        value, action = clean_answer(slot.item, date(2026, 1, 1))  # no item shows by a date
        steps.append((slot.item.prompt.get("en"), action))
        inspection = inspection.with_answer(Answer(slot.item.id, value, tag=slot.tag))
    raise AssertionError(f"{checklist.id}: the walk does not end")


def clean_answer(item: Item, today: date) -> tuple[str, Action]:
    """A value that passes ``item`` (resolved limits) and the English action that answers it."""
    if item.type is ItemType.CHOICE:
        option = next(o for o in item.options if o.value not in item.fail_on)
        return option.value, option.label.get("en")
    if item.type is ItemType.DATE:
        return today.isoformat(), "Today"
    if item.type is ItemType.READING:
        assert item.pass_if is not None and item.unit
        low, high = item.pass_if.min, item.pass_if.max
        assert not isinstance(low, LimitRef) and not isinstance(high, LimitRef), item.id
        number = (
            (low + high) / 2
            if low is not None and high is not None
            else (low * 2.5 if low is not None else (high or 0) / 2)
        )
        return f"{number:g}", ("type", item.unit, f"{number:g}")
    return PassFail.PASS.value, "Pass"


def shipped_checklist(checklist_id: str) -> Checklist:
    """The newest shipped version of a checklist, as the demo device loads it."""
    return Catalog.from_files(demo_site_path(), [shipped_checklists_dir()]).latest(checklist_id)


#: A clean fire check with one extinguisher, F-12, item by item.
CLEAN_FIRE_WALK = clean_walk(shipped_checklist("fire-monthly"), "F-12")


def is_blank(png: bytes, least_spread: float = 8.0) -> bool:
    """Whether a screenshot is (nearly) one colour: a page that has not drawn, a white screen.
    ``least_spread`` is the standard deviation of grey levels a drawn screen exceeds."""
    grey = Image.open(io.BytesIO(png)).convert("L")
    return ImageStat.Stat(grey).stddev[0] < least_spread


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def choose_demo(data_dir: Path) -> None:
    """Put the device in demo mode, as "Try the demo plant" on the first run does (p-li signed
    in unless someone is already)."""
    ws = open_workspace(data_dir)
    try:
        ws.try_demo()
    finally:
        ws.store.close()


@contextmanager
def running_app(
    data_dir: Path, env: dict[str, str] | None = None, demo: bool = True
) -> Iterator[str]:
    """The app in web mode on ``data_dir``; in demo mode unless ``demo`` is False (then a device
    not enrolled opens on the first-run screen)."""
    if demo:
        choose_demo(data_dir)
    port = free_port()
    command = ["-m", "inspect_app", "run", "--web", "--port", str(port), "--data", str(data_dir)]
    with serving(command, port, env) as url:
        yield url


#: What Flet logs when its receive loop stops, followed by the traceback.
RECEIVE_LOOP_ERROR = "Receive loop error"


def sessions_dropped(output: str) -> list[str]:
    """The receive-loop failures in an app's ``output`` that dropped a browser still connected:
    those raised while handling one of the browser's messages (an answer for a control no longer
    on the page). A browser that reloads or closes ends its socket too, and Flet logs that as a
    receive-loop error when the socket's send side noticed first; that loses nothing."""
    dropped = []
    for part in output.split(RECEIVE_LOOP_ERROR)[1:]:
        traceback = _traceback(part.splitlines())
        if any("in __on_message" in line for line in traceback):
            dropped.append(RECEIVE_LOOP_ERROR + "\n".join(traceback))
    return dropped


_CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


def _traceback(lines: list[str]) -> list[str]:
    """The log line and the traceback printed after it (chained exceptions included), up to the
    next line logged."""
    taken = lines[:1]
    for index, line in enumerate(lines[1:], start=1):
        taken.append(line)
        if line and not line.startswith((" ", "Traceback", *_CHAINED)):
            following = next((later for later in lines[index + 1 :] if later), "")
            if not following.startswith(_CHAINED):
                break  # the last exception's own line
    return taken


@contextmanager
def serving(
    args: list[str], port: int, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[str]:
    """``python args...`` serving the app on ``port``: its address once it answers; stopped on
    the way out. Its output goes to ``log`` when given, else to a temporary file whose end is
    printed if the test fails (never to a pipe nobody reads: a full pipe would stall the app)."""
    with open(log, "w+b") if log else tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=subprocess.STDOUT, env=env
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_until(lambda: _serving(url), 60, "the app")
            yield url
        except BaseException:
            print(f"--- the app's output, last part ---\n{_tail(out)}", file=sys.stderr)
            raise
        else:
            # Flet drops a browser's connection when its receive loop fails on a message (an
            # answer for a control no longer on the page): the screen reloads under the person.
            dropped = sessions_dropped(_tail(out, 1_000_000))
            assert not dropped, "the app dropped a session:\n" + "\n".join(dropped)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _tail(out: IO[bytes], size: int = 6_000) -> str:
    out.flush()
    out.seek(0)
    return out.read()[-size:].decode(errors="replace")


def open_app(page: Page, url: str | None) -> None:
    """Load the app (``url``; None reloads the address shown) and switch on the semantics tree
    (Flutter builds it on request)."""
    if url is None:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    home = page.get_by_role("tab", name="Home").or_(page.get_by_role("tab", name="首页"))
    home = home.or_(page.get_by_role("button", name="Home Tab")).or_(
        page.get_by_role("button", name="首页 Tab")
    )
    first_run = page.get_by_role("button", name="Try the demo plant").or_(
        page.get_by_role("button", name="试用演示工厂")
    )
    home.or_(first_run).first.wait_for(timeout=60_000)


class AppDriver:
    """Small verbs over Playwright for the app: tap, type into a field, wait for text."""

    def __init__(self, page: Page) -> None:
        self.page = page
        #: Every click this driver made (a double click counts two): the person's taps.
        self.taps = 0

    def tap(self, name: str, role: str = "button", exact: bool = True) -> None:
        self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.taps += 1

    def double_tap(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).first.dblclick()
        self.taps += 2

    def type_into(self, label: str, text: str) -> None:
        # Flutter web only takes keyboard input once its own text field has focus; the first
        # click on a freshly built screen sometimes only wakes the semantics layer, and keys
        # typed then are lost; and a click while the list still scrolls the field into view
        # can land on the field beside it. So type only once this very field has focus, check
        # that it holds the text, and try again if not.
        field = self.page.get_by_role("textbox", name=label).first
        tries = 3
        for _ in range(tries):
            with self._screen_kept_on_timeout():
                field.click()
            self.taps += 1
            try:
                self.page.wait_for_function(
                    "e => e === document.activeElement", arg=field.element_handle(), timeout=5_000
                )
            except PlaywrightTimeout:
                continue
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
            if field.evaluate("e => e.value") == text:
                return
        raise AssertionError(f"could not type into {label!r} in {tries} tries")

    def type_slowly(self, label: str, text: str, delay: float = 40) -> str:
        """Tap the field, select what it holds and type ``text`` key by key, ``delay`` ms apart,
        as a person does; returns what the focused field holds afterwards."""
        self.page.get_by_role("textbox", name=label).first.click()
        self.taps += 1
        self.page.wait_for_function(
            "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)",
            timeout=5_000,
        )
        self.page.keyboard.press("Control+A")
        self.page.locator("input:focus, textarea:focus").press_sequentially(text, delay=delay)
        return self.focused_value()

    def focused_value(self) -> str | None:
        """What the text field with the keyboard focus holds; None when no field has it."""
        return self.page.evaluate(
            "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)"
            " ? document.activeElement.value : null"
        )

    def small_targets(self, least: int = 48) -> list[str]:
        """Buttons, tabs and text fields smaller than ``least`` px either way. Measured with the
        window made tall enough that nothing scrolls (a control half scrolled out of a list
        would measure short), once two measurements agree; the window is then put back."""
        size = self.page.viewport_size
        assert size is not None
        self.page.set_viewport_size({"width": size["width"], "height": 4000})
        try:
            previous: list[str] | None = None
            for _ in range(40):
                self.page.wait_for_timeout(100)
                current = self._measure_targets(least)
                if current == previous:
                    return current
                previous = current
            raise AssertionError("the screen did not settle after growing the window")
        finally:
            self.page.set_viewport_size(size)

    def _measure_targets(self, least: int) -> list[str]:
        small = []
        for role in ("button", "tab", "textbox"):
            for control in self.page.get_by_role(role).all():
                box = control.bounding_box()
                if box and box["width"] > 0 and min(box["width"], box["height"]) < least:
                    name = control.get_attribute("aria-label") or control.inner_text()
                    small.append(f"{role} {name!r} {box['width']:.0f}x{box['height']:.0f}")
        return small

    def type_here(self, label: str, text: str) -> None:
        """Type into the field that took the focus by itself (autofocus), else tap it first;
        then Enter, the keyboard's Done."""
        try:
            # The field focuses itself once drawn: on a loaded machine that can take a while,
            # and a tap meanwhile would race the autofocus.
            self.page.wait_for_function(
                "() => document.activeElement?.tagName === 'INPUT'", timeout=30_000
            )
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        except PlaywrightTimeout:
            self.type_into(label, text)
        self.page.keyboard.press("Enter")

    def start_fire_check(self) -> None:
        """From Home: the fire checklist in the stamping workshop's press line 1, one
        extinguisher F-12; ends on its first item."""
        self.nav("Inspect")
        self.tap("Fire safety - monthly", exact=False)
        self.tap("Stamping workshop")
        self.tap("Press line 1")
        self.tap("Begin inspection")
        self.see("Extinguishers checked")
        self.type_here("Tag number", "F-12")

    def walk(self, steps: list[tuple[str, Action]]) -> None:
        """Answer each item with one tap (or a typed reading and Enter), waiting for each
        item to appear before touching it: the answer itself moves the walk on."""
        for prompt, action in steps:
            self.see(prompt)
            if isinstance(action, tuple):
                _, label, value = action
                self.type_here(label, value)
            else:
                self.tap(action)

    def draw(self, label: str, strokes: list[list[tuple[float, float]]]) -> None:
        """Draw on the pad named ``label`` with the mouse, each stroke from press to release;
        points are fractions of the pad's width and height."""
        pad = self.page.get_by_text(label, exact=True).first
        pad.wait_for()
        box = pad.bounding_box()
        assert box is not None
        for stroke in strokes:
            (x, y), *rest = stroke
            self.page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
            self.page.mouse.down()
            for x, y in rest:
                self.page.mouse.move(
                    box["x"] + x * box["width"], box["y"] + y * box["height"], steps=4
                )
            self.page.mouse.up()

    def see(self, text: str, timeout: float = 30_000) -> None:
        """Wait for text, shown as text or (inside cards, merged by Flutter) as a label."""
        quoted = text.replace('"', '\\"')
        with self._screen_kept_on_timeout():
            self.page.get_by_text(text, exact=False).or_(
                self.page.locator(f'flt-semantics[aria-label*="{quoted}"]')
            ).first.wait_for(timeout=timeout)

    @contextmanager
    def _screen_kept_on_timeout(self) -> Iterator[None]:
        """Keep what the screen showed, in ``ui-failure.png`` in the temporary folder, for
        whoever reads a wait that timed out."""
        try:
            yield
        except PlaywrightTimeout:
            self.page.screenshot(path=str(Path(tempfile.gettempdir()) / "ui-failure.png"))
            raise

    def nav(self, name: str) -> None:
        """A destination of the bottom bar (phones) or the navigation rail (tablets)."""
        self.page.get_by_role("tab", name=name, exact=True).or_(
            self.page.get_by_role("button", name=f"{name} Tab")
        ).first.click()
        self.taps += 1

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
        path.write_bytes(self.capture())

    def capture(self) -> bytes:
        """A screenshot once the picture has settled: two consecutive captures are identical
        and drawn (Flutter paints the frame after it updates the semantics tree; on a loaded
        machine a white frame can hold for a moment)."""
        previous = b""
        for _ in range(100):
            current = self.page.screenshot(animations="disabled")
            if current == previous and not is_blank(current):
                break
            previous = current
            self.page.wait_for_timeout(100)
        return previous

    def shows(self, text: str) -> bool:
        """Whether ``text`` is on screen now, as text or as a label (no waiting)."""
        quoted = text.replace('"', '\\"')
        return (
            self.page.get_by_text(text, exact=False)
            .or_(self.page.locator(f'flt-semantics[aria-label*="{quoted}"]'))
            .count()
            > 0
        )
