"""The Flet app shell: theme, bundled CJK font, routes (Back goes to the screen before),
navigation (bottom bar on phones, rail on tablets and desktops), the first run, and the views.
Views are thin: state lives in services and view-models."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from inspect_app.core.site import Equipment
from inspect_app.exports import ExportError
from inspect_app.exports.fonts import FontNotFoundError, MissingGlyphsError
from inspect_app.photos import PhotoError
from inspect_app.services.bootstrap import default_data_dir, open_workspace
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.background import BackgroundSync
from inspect_app.sync.client import connection
from inspect_app.sync.progress import SyncProgress
from inspect_app.ui.camera import camera_available, capture_photo
from inspect_app.ui.flet_compat import keep_sessions_on_late_method_answers
from inspect_app.ui.font import CjkFont
from inspect_app.ui.frame import Frame
from inspect_app.ui.i18n import STRINGS, Translator, language_from_locale
from inspect_app.ui.screens import first_run, home, settings, sync
from inspect_app.ui.screens.hazards import tab as hazards
from inspect_app.ui.screens.inspect import walk as inspect
from inspect_app.ui.viewmodels.dashboard import DashboardModel
from inspect_app.ui.viewmodels.hazards import HazardListModel, HazardScreen
from inspect_app.ui.viewmodels.start import StartModel
from inspect_app.ui.viewmodels.walk import WalkViewModel
from inspect_app.ui.widgets import FONT_FAMILY, big_button

log = logging.getLogger(__name__)
ASSETS = Path(__file__).with_name("assets")
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
PHONE_MAX_WIDTH = 600
#: Screens remembered for Back.
MAX_HISTORY = 50


def prepare_assets(font: CjkFont | None = None) -> Path:
    """Bundle the CJK font so Chinese renders offline in web mode (no tofu boxes); a font
    missing now is looked for again while the app runs."""
    (font or CjkFont(CJK_FONT, ASSETS)).check()
    return ASSETS


class Shell:
    """Owns the page layout, the route and which screen shows; screens call ``go`` to move to
    another route and ``render`` after changing state.

    Routes: ``/``, ``/inspect`` (start), ``/inspect/<id>`` (the walk), ``/inspect/<id>/summary``,
    ``/hazards``, ``/hazards/<id>``, ``/sync``, ``/settings``. The shell keeps the screens
    visited; the one before is a view under the current one, so browser Back, Android Back and
    the app bar's arrow all go back to it."""

    DESTINATIONS = (
        ("/", ft.Icons.HOME_OUTLINED, ft.Icons.HOME, "nav.home"),
        ("/inspect", ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK, "nav.inspect"),
        ("/hazards", ft.Icons.WARNING_AMBER_OUTLINED, ft.Icons.WARNING, "nav.hazards"),
        ("/sync", ft.Icons.SYNC, ft.Icons.SYNC, "nav.sync"),
        ("/settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS, "nav.settings"),
    )

    def __init__(
        self,
        page: ft.Page,
        workspace: Workspace,
        default_lang: str = "en",
        font: CjkFont | None = None,
    ) -> None:
        self.page = page
        self.ws = workspace
        self.font = font or CjkFont(CJK_FONT, ASSETS)
        #: Whether the page has been told where the CJK font is (only once it is there).
        self._font_given = False
        self.settings = workspace.settings
        self.t = Translator(self.settings.language or default_lang)
        self.route = "/"
        #: The routes visited, oldest first; the last is the one shown.
        self.history: list[str] = ["/"]
        self.body = ft.Container(expand=True, padding=ft.Padding.all(12))
        # Kept across renders: a new View each time would rebuild the screen on the device and
        # take the focus from the field being typed in.
        self._top = ft.View(route="/", padding=0, bgcolor=ft.Colors.WHITE)
        self._below = ft.View(route="/", padding=0, bgcolor=ft.Colors.WHITE)
        self.frame = Frame(self.DESTINATIONS, self._tab, self.back)
        self.background_sync: BackgroundSync | None = None
        #: The sync runs finished when Sync now was tapped; until one more has, it is running.
        self.sync_asked: int | None = None
        self.hazard_screen = HazardScreen()
        self._hazard_list: HazardListModel | None = None
        self._dashboard: DashboardModel | None = None
        self._picker: ft.FilePicker | None = None
        self.walk: inspect.WalkScreen | None = None
        #: The choices made on the start-an-inspection screen so far.
        self.start_model = StartModel(workspace)
        #: What is typed into the enrolment form, kept across re-renders.
        self.enrolment_form: dict[str, str] = {}
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def wide(self) -> bool:
        return (self.page.width or 0) >= PHONE_MAX_WIDTH

    @property
    def first_run(self) -> bool:
        """Neither enrolled with HQ nor trying the demo: the person chooses first."""
        return connection(self.ws) is None and not self.settings.demo

    @property
    def demo(self) -> bool:
        return self.settings.demo and connection(self.ws) is None

    # -- routes --------------------------------------------------------------------------------

    @property
    def section(self) -> str:
        """The destination the route belongs to: "/", "/inspect", "/hazards", ..."""
        parts = _parts(self.route)
        return f"/{parts[0]}" if parts else "/"

    @property
    def open_inspection(self) -> str | None:
        """The inspection the route shows (``/inspect/<id>``)."""
        parts = _parts(self.route)
        return parts[1] if len(parts) > 1 and parts[0] == "inspect" else None

    def start(self, route: str) -> None:
        """The session's first route (the address typed, or reloaded): the screens above it are
        put under it, so Back leads up; Home resumes the inspection left open."""
        route = _known(route)
        open_one = self.settings.open_inspection
        if route == "/" and open_one and self.ws.store.get_inspection(open_one):
            route = f"/inspect/{open_one}"
        self.history = [*_ancestors(route), route]
        self.route = route
        self._enter(route)
        self.page.on_route_change = self._route_changed
        self.page.on_view_pop = lambda _: self.back()

    def go(self, route: str, back: bool = False) -> None:
        """Show ``route``: the screen changes now, the address bar follows."""
        self._arrive(_known(route), back)
        self.render()
        self.page.run_task(self.page.push_route, self.route)

    def back(self) -> None:
        if len(self.history) > 1:
            self.go(self.history[-2], back=True)

    def _route_changed(self, e: ft.RouteChangeEvent) -> None:
        # The address bar's Back or Forward (taken for Back when it leads to the screen
        # before), or the echo of ``go``.
        if _known(e.route) != self.route:
            self._arrive(_known(e.route), back=True)
            self.render()

    def _arrive(self, route: str, back: bool) -> None:
        """Record the move to ``route``: a step back when ``back`` and it is the screen before,
        else a step forward."""
        if back and len(self.history) > 1 and self.history[-2] == route:
            self.history.pop()
        elif self.history[-1] != route:
            self.history = [*self.history, route][-MAX_HISTORY:]
        self.route = route
        self._enter(route)

    def _enter(self, route: str) -> None:
        """Make the state match a route arrived at (the route wins over what was shown)."""
        parts = _parts(route)
        if parts[:1] == ["hazards"]:
            wanted = parts[1] if len(parts) > 1 else None
            if self.hazard_screen.open_hazard != wanted:
                self.hazard_screen.open(wanted)
        elif parts[:1] == ["inspect"] and len(parts) > 1:
            screen = self.walk_screen(parts[1])
            if screen is not None:
                screen.show_summary(parts[2:] == ["summary"])

    def walk_screen(self, inspection_id: str) -> inspect.WalkScreen | None:
        """The walk through ``inspection_id``, kept while it shows; None if there is none."""
        screen = self.walk
        if (
            screen is None
            or screen.vm.inspection.id != inspection_id
            or screen.vm.lang != self.lang
        ):
            try:
                vm = WalkViewModel(InspectionService(self.ws), inspection_id, self.lang)
            except InspectionError:
                return None
            screen = self.walk = inspect.WalkScreen(self, vm)
            if not vm.inspection.is_submitted:
                self.settings.open_inspection = inspection_id
        return screen

    def _shown_route(self) -> str:
        """The route of what the screen shows now (a hazard opened, the walk at its summary)."""
        if self.section == "/hazards":
            hazard = self.hazard_screen.open_hazard
            return f"/hazards/{hazard}" if hazard else "/hazards"
        inspection = self.open_inspection
        if inspection and self.walk is not None and self.walk.vm.inspection.id == inspection:
            summary = self.walk.vm.step.kind == "summary"
            return f"/inspect/{inspection}" + ("/summary" if summary else "")
        return self.route

    # -- sync ----------------------------------------------------------------------------------

    def follow_sync(self, background: BackgroundSync) -> None:
        """Show a running sync as it goes: the worker reports from its thread, and the view is
        redrawn on this session's event loop. A browser that loses its connection and comes
        back (Flet resumes the session) is followed again and shown what happened meanwhile."""
        self.background_sync = background
        self._follow()
        self.page.on_disconnect = lambda _: self.stop_following_sync()
        self.page.on_connect = lambda _: self._reconnected()

    def _follow(self) -> None:
        if self._unsubscribe is None and self.background_sync is not None:
            self._unsubscribe = self.background_sync.subscribe(self._on_sync_progress)

    def _reconnected(self) -> None:
        self._follow()
        self.render()

    def stop_following_sync(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_sync_progress(self, _: SyncProgress) -> None:
        if self.section not in ("/sync", "/") or connection(self.ws) is None:
            return
        try:
            self.page.run_task(self._redraw)
        except Exception:
            # No connection to redraw on (between a disconnect and its handler, or a resume):
            # this report is skipped, and a resumed session is redrawn whole.
            log.debug("sync progress not shown: no connection", exc_info=True)

    async def _redraw(self) -> None:
        self.render()

    def sync_now(self) -> None:
        if self.background_sync is not None:
            self.sync_asked = self.background_sync.trigger()
        self.render()

    @property
    def syncing(self) -> bool:
        """A sync runs, or one was asked for and has not finished yet."""
        background = self.background_sync
        if background is None:
            return False
        asked = self.sync_asked is not None and not background.wait_for(self.sync_asked, 0)
        return background.running or asked

    # -- moving between screens ----------------------------------------------------------------

    def start_checklist(
        self, checklist_id: str, workshop: str | None, asset: str | None = None
    ) -> None:
        """The start screen with this checklist, workshop and equipment chosen."""
        self.start_model.preset(checklist_id, workshop, asset)
        self.go("/inspect")

    def inspect_asset(self, asset: Equipment) -> None:
        """Start screen with the checklist for this kind of equipment, its workshop and it
        chosen: one tap from a certificate warning to checking the asset."""
        checklist = next(
            (c for c in self.ws.catalog.latest_checklists() if c.asset_type == asset.type), None
        )
        self.start_model.clear()
        if checklist is not None:
            self.start_checklist(checklist.id, asset.workshop, asset.asset_id)
        else:
            self.go("/inspect")

    def open_inspection_tab(self) -> None:
        """The Inspect tab: back to the inspection left open, else the start screen."""
        open_one = self.settings.open_inspection
        if open_one and self.ws.store.get_inspection(open_one):
            self.go(f"/inspect/{open_one}")
        else:
            self.go("/inspect")

    def open_hazard(self, hazard_id: str) -> None:
        self.hazard_screen.mode = "list"
        self.go(f"/hazards/{hazard_id}")

    def sign_in(self, person_id: str) -> None:
        """Another person takes the device: their own view of the hazards starts afresh. An
        enrolled device stays with the person it was enrolled for (HQ judges its commands as
        theirs); handing it over means enrolling it again with the new person's code."""
        if connection(self.ws) is not None:
            return
        person = self.ws.sign_in(person_id)
        self.hazard_screen = HazardScreen(mode=self.hazard_screen.mode)
        self.render()
        self.toast(self.t("home.who", name=person.name.get(self.lang)))

    def try_demo(self) -> None:
        self.ws.try_demo()
        self.go("/")

    def hazard_list(self) -> HazardListModel:
        """The hazards list with its filters, kept while the same person uses the app."""
        model = self._hazard_list
        if model is None or model.user_id != self.ws.user.id or model.lang != self.lang:
            model = self._hazard_list = HazardListModel(self.ws, self.lang)
        return model

    def dashboard(self) -> DashboardModel:
        model = self._dashboard
        if model is None or model.lang != self.lang:
            model = self._dashboard = DashboardModel(self.ws, self.lang)
        return model

    async def pick_images(self) -> list[bytes]:
        """A photo from the camera on Android/iOS builds, else (or when the person prefers the
        gallery) photos chosen with the system picker (bytes on web, a path on desktop)."""
        if camera_available(self.page):
            taken = await capture_photo(self)
            if taken:
                return [taken]
        if self._picker is None:
            self._picker = ft.FilePicker()
        files = await self._picker.pick_files(
            with_data=True, file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True
        )
        picked = []
        for file in files or []:
            data = file.bytes
            if data is None and file.path:
                data = await self.run_blocking(Path(file.path).read_bytes)
            picked.append(data or b"")
        return picked

    async def add_photos(self, add: Callable[[bytes], object]) -> None:
        """Pick photos and hand each to ``add`` (the photo pipeline, off the event loop); a file
        that is not a usable photo is reported and the others still go in."""
        for data in await self.pick_images():
            try:
                await self.run_blocking(add, data)
            except PhotoError as exc:
                self.toast(self.t("photo.error", reason=self.t.error(exc)), error=True)
        self.render()

    async def save_file(self, file_name: str, data: bytes) -> None:
        """Offer ``data`` for saving: a download on web, a save dialog on desktop and mobile."""
        if self._picker is None:
            self._picker = ft.FilePicker()
        await self._picker.save_file(file_name=file_name, src_bytes=data)

    async def export(self, file_name: str, make: Callable[[], bytes]) -> None:
        """Make an export off the event loop and offer it; a failure is shown in words, never
        raised; its details (a path, the system's English) go to the log."""
        try:
            data = await self.run_blocking(make)
        except (ExportError, MissingGlyphsError, FontNotFoundError) as exc:
            log.warning("export %s failed: %s", file_name, exc)
            self.toast(self.t("export.failed", reason=self.t.error(exc)), error=True)
            return
        except OSError:
            log.exception("export %s failed", file_name)
            reason = self.t("export_error.write_failed")
            self.toast(self.t("export.failed", reason=reason), error=True)
            return
        await self.save_file(file_name, data)
        self.toast(self.t("export.done", name=file_name))

    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        self.t = Translator(lang)
        self.render()

    def toast(self, text: str, error: bool = False) -> None:
        self.page.show_dialog(
            ft.SnackBar(
                ft.Text(text), bgcolor=ft.Colors.RED_900 if error else ft.Colors.BLUE_GREY_900
            )
        )

    def confirm(
        self, title: str, body: str, keep: str, act: str, on_act: Callable[[], None]
    ) -> None:
        """Ask before something that cannot be undone; ``on_act`` runs only on ``act``."""

        def acted(_: ft.Event) -> None:
            self.page.pop_dialog()
            on_act()

        self.page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(title),
                content=ft.Text(body, size=16),
                actions=[
                    big_button(keep, lambda _: self.page.pop_dialog(), selected=False),
                    big_button(act, acted, colour=ft.Colors.RED_800),
                ],
            )
        )

    def run_blocking(self, fn: Callable, *args: object):  # type: ignore[no-untyped-def]
        return asyncio.to_thread(fn, *args)

    # -- drawing -------------------------------------------------------------------------------

    def _screen(self) -> ft.Control:
        if self.first_run:
            return first_run.build(self)
        section = self.section
        if section == "/inspect":
            return inspect.build(self)
        if section == "/settings":
            return settings.build(self)
        if section == "/hazards":
            return hazards.build(self)
        if section == "/sync":
            return sync.build(self)
        return home.build(self)

    def _tab(self, index: int) -> None:
        route = self.DESTINATIONS[index][0]
        if route == "/inspect":
            self.open_inspection_tab()
        else:
            self.go(route)

    def render(self) -> None:
        self.page.title = self.t("app.title")
        self.body.content = self._screen()
        shown = self._shown_route()
        if shown != self.route:  # a hazard opened or closed, the walk reached its summary
            self._arrive(shown, back=True)
            self.page.run_task(self.page.push_route, shown)
        first_run = self.first_run  # read from the store once per render
        can_go_back = len(self.history) > 1 and not first_run
        frame = self.frame
        frame.show(self.t, self.section, can_go_back, self.t("demo.label") if self.demo else None)
        self._top.route = self.route
        self._top.appbar = frame.app_bar
        self._top.navigation_bar = None if first_run or self.wide else frame.bar
        self._top.controls = [self.body if first_run or not self.wide else frame.around(self.body)]
        if not self._font_ready():
            self._top.controls.insert(0, _font_banner())
        views = [self._top]
        if can_go_back:
            self._below.route = self.history[-2]
            views.insert(0, self._below)
        if list(self.page.views) != views:
            self.page.views[:] = views
        self.page.update()

    def _font_ready(self) -> bool:
        """Whether Chinese can be drawn; the moment the font is there, the page loads it."""
        if not self.font.check():
            return False
        if not self._font_given:
            self.page.fonts = {FONT_FAMILY: self.font.url}
            self._font_given = True
        return True


def _font_banner() -> ft.Control:
    """Said in both languages: without the font the Chinese line is boxes."""
    text = f"{STRINGS['en']['font.missing']}\n{STRINGS['zh']['font.missing']}"
    return ft.Row(
        [
            ft.Container(
                ft.Text(text, color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD, size=15),
                bgcolor=ft.Colors.RED_900,
                padding=ft.Padding.symmetric(horizontal=12, vertical=8),
                expand=True,
            )
        ]
    )


def _parts(route: str) -> list[str]:
    return [p for p in route.split("?")[0].split("/") if p]


def _known(route: str) -> str:
    """``route`` when the app has such a screen, else Home."""
    parts = _parts(route)
    if not parts:
        return "/"
    if parts[0] in ("sync", "settings") and len(parts) == 1:
        return route
    if parts[0] == "hazards" and len(parts) <= 2:
        return "/" + "/".join(parts)
    if parts[0] == "inspect" and (len(parts) <= 2 or parts[2:] == ["summary"]):
        return "/" + "/".join(parts)
    return "/"


def _ancestors(route: str) -> list[str]:
    """The screens above ``route``, outermost first: where Back leads from it."""
    parts = _parts(route)
    if not parts:
        return []
    if parts[0] == "hazards" and len(parts) > 1:
        return ["/", "/hazards"]
    if parts[0] == "inspect" and len(parts) > 2:
        return ["/", f"/inspect/{parts[1]}"]
    return ["/"]


def make_main(data_dir: Path, font: CjkFont | None = None) -> Callable[[ft.Page], Awaitable[None]]:
    cjk_font = font or CjkFont(CJK_FONT, ASSETS)
    # The workspace (store, checklists, site) opens when the first browser connects, off the
    # event loop: opened earlier, it competes with Flet's server start-up for the interpreter and
    # the page is served later.
    opened: list[tuple[Workspace, BackgroundSync]] = []
    opening = asyncio.Lock()

    async def opened_workspace() -> tuple[Workspace, BackgroundSync]:
        async with opening:
            if not opened:
                ws = await asyncio.to_thread(open_workspace, data_dir)
                # Enrolled devices sync every minute, right after a submit or an action, and on
                # demand; a device not enrolled yet skips the runs until it is.
                opened.append((ws, BackgroundSync(ws, interval_s=60).start()))
        return opened[0]

    keep_sessions_on_late_method_answers()

    async def main(page: ft.Page) -> None:
        page.theme = ft.Theme(
            font_family=FONT_FAMILY,
            color_scheme_seed=ft.Colors.INDIGO,
            visual_density=ft.VisualDensity.COMFORTABLE,
        )
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = ft.Colors.WHITE
        page.padding = 0
        workspace, background = await opened_workspace()
        shell = Shell(page, workspace, await device_language(page), cjk_font)
        shell.follow_sync(background)
        shell.start(page.route)
        page.on_resize = lambda _: shell.render()
        shell.render()

    return main


async def device_language(page: ft.Page) -> str:
    """The language of the device (the browser's on web) when the app has it, else English;
    the person's choice in Settings wins over it."""
    try:
        info = await asyncio.wait_for(page.get_device_info(), timeout=5)
    except Exception:  # an old client or no answer: fall back to the process's locale
        info = None
    locales = getattr(info, "locales", None) or []
    if locales:
        return language_from_locale(locales[0].language_code)
    return language_from_locale(os.environ.get("LANG"))


def run(data_dir: Path | None, web: bool, host: str, port: int) -> None:
    font = CjkFont(CJK_FONT, ASSETS)
    main = make_main(data_dir or default_data_dir(), font)
    assets = str(prepare_assets(font))
    if web:
        print(f"app: http://{host}:{port}/", flush=True)
        ft.run(
            main, view=ft.AppView.WEB_BROWSER, host=host, port=port, assets_dir=assets, no_cdn=True
        )
    else:
        ft.run(main, assets_dir=assets)
