"""The Flet app shell: theme, bundled CJK font, navigation (bottom bar on phones, rail on tablets
and desktops), and the views. Views are thin: state lives in services and view-models."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from inspect_app.core.site import Equipment
from inspect_app.exports import ExportError
from inspect_app.exports.fonts import FontNotFoundError, MissingGlyphsError
from inspect_app.photos import PhotoError
from inspect_app.services.bootstrap import default_data_dir, open_workspace
from inspect_app.services.workspace import Workspace
from inspect_app.sync.background import BackgroundSync
from inspect_app.sync.client import connection
from inspect_app.sync.progress import SyncProgress
from inspect_app.ui.camera import camera_available, capture_photo
from inspect_app.ui.i18n import Translator, language_from_locale
from inspect_app.ui.viewmodels.dashboard import DashboardModel
from inspect_app.ui.viewmodels.hazards import HazardListModel, HazardScreen
from inspect_app.ui.views import hazards, home, inspect, settings, sync
from inspect_app.ui.views.widgets import FONT_FAMILY

ASSETS = Path(__file__).with_name("assets")
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
PHONE_MAX_WIDTH = 600
LANGUAGE = "language"


def prepare_assets() -> Path:
    """Bundle the CJK font so Chinese renders offline in web mode (no tofu boxes)."""
    target = ASSETS / "fonts" / CJK_FONT.name
    if not target.exists() and CJK_FONT.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CJK_FONT, target)
    return ASSETS


class Shell:
    """Owns the page layout and which view shows; views call ``render`` after changing state."""

    DESTINATIONS = (
        ("home", ft.Icons.HOME_OUTLINED, ft.Icons.HOME, "nav.home"),
        ("inspect", ft.Icons.FACT_CHECK_OUTLINED, ft.Icons.FACT_CHECK, "nav.inspect"),
        ("hazards", ft.Icons.WARNING_AMBER_OUTLINED, ft.Icons.WARNING, "nav.hazards"),
        ("sync", ft.Icons.SYNC, ft.Icons.SYNC, "nav.sync"),
        ("settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS, "nav.settings"),
    )

    def __init__(self, page: ft.Page, workspace: Workspace, default_lang: str = "en") -> None:
        self.page = page
        self.ws = workspace
        self.t = Translator(workspace.store.get_meta(LANGUAGE) or default_lang)
        self.current = "home"
        self.open_inspection: str | None = None
        self.body = ft.Container(expand=True, padding=ft.Padding.all(12))
        self.background_sync: BackgroundSync | None = None
        self.hazard_screen = HazardScreen()
        self._hazard_list: HazardListModel | None = None
        self._dashboard: DashboardModel | None = None
        self._picker: ft.FilePicker | None = None
        self.walk: inspect.WalkScreen | None = None
        #: The choices made on the start-an-inspection screen so far.
        self.start_state: dict[str, str | None] = {}
        #: What is typed into the enrolment form, kept across re-renders.
        self.enrolment_form: dict[str, str] = {}
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def wide(self) -> bool:
        return (self.page.width or 0) >= PHONE_MAX_WIDTH

    def follow_sync(self, background: BackgroundSync) -> None:
        """Show a running sync as it goes: the worker reports from its thread, and the view is
        redrawn on this session's event loop."""
        self.background_sync = background
        self._unsubscribe = background.subscribe(self._on_sync_progress)
        self.page.on_disconnect = lambda _: self.stop_following_sync()

    def stop_following_sync(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_sync_progress(self, _: SyncProgress) -> None:
        if self.current not in ("sync", "home") or connection(self.ws) is None:
            return
        try:
            self.page.run_task(self._redraw)
        except Exception:  # the session has gone away: stop reporting to it
            self.stop_following_sync()

    async def _redraw(self) -> None:
        self.render()

    def inspect_asset(self, asset: Equipment) -> None:
        """Start screen with the checklist for this kind of equipment, its workshop and it
        chosen: one tap from a certificate warning to checking the asset."""
        checklist = next(
            (c for c in self.ws.catalog.latest_checklists() if c.asset_type == asset.type), None
        )
        self.start_state.clear()
        if checklist is not None:
            self.start_state.update(
                checklist=checklist.id, workshop=asset.workshop, asset=asset.asset_id
            )
        self.open_inspection = None
        self.navigate("inspect")

    def open_hazard(self, hazard_id: str) -> None:
        self.hazard_screen.mode = "list"
        self.hazard_screen.open(hazard_id)
        self.navigate("hazards")

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
                self.toast(self.t("photo.error", reason=str(exc)), error=True)
        self.render()

    async def save_file(self, file_name: str, data: bytes) -> None:
        """Offer ``data`` for saving: a download on web, a save dialog on desktop and mobile."""
        if self._picker is None:
            self._picker = ft.FilePicker()
        await self._picker.save_file(file_name=file_name, src_bytes=data)

    async def export(self, file_name: str, make: Callable[[], bytes]) -> None:
        """Make an export off the event loop and offer it; a failure is shown, never raised."""
        try:
            data = await self.run_blocking(make)
        except (ExportError, MissingGlyphsError, FontNotFoundError, OSError) as exc:
            self.toast(self.t("export.failed", reason=str(exc)), error=True)
            return
        await self.save_file(file_name, data)
        self.toast(self.t("export.done", name=file_name))

    def set_language(self, lang: str) -> None:
        self.ws.store.set_meta(LANGUAGE, lang)
        self.t = Translator(lang)
        self.render()

    def navigate(self, destination: str, inspection_id: str | None = None) -> None:
        self.current = destination
        self.open_inspection = inspection_id
        self.render()

    def toast(self, text: str, error: bool = False) -> None:
        self.page.show_dialog(
            ft.SnackBar(
                ft.Text(text), bgcolor=ft.Colors.RED_900 if error else ft.Colors.BLUE_GREY_900
            )
        )

    def run_blocking(self, fn: Callable, *args: object):  # type: ignore[no-untyped-def]
        return asyncio.to_thread(fn, *args)

    def _view(self) -> ft.Control:
        if self.current == "inspect":
            return inspect.build(self)
        if self.current == "settings":
            return settings.build(self)
        if self.current == "hazards":
            return hazards.build(self)
        if self.current == "sync":
            return sync.build(self)
        return home.build(self)

    def render(self) -> None:
        index = [d[0] for d in self.DESTINATIONS].index(self.current)
        self.page.title = self.t("app.title")
        self.body.content = self._view()
        if self.wide:
            self.page.navigation_bar = None
            rail = ft.NavigationRail(
                selected_index=index,
                label_type=ft.NavigationRailLabelType.ALL,
                min_width=96,
                destinations=[
                    ft.NavigationRailDestination(
                        icon=icon, selected_icon=selected, label=self.t(key)
                    )
                    for _, icon, selected, key in self.DESTINATIONS
                ],
                on_change=lambda e: self.navigate(self.DESTINATIONS[e.control.selected_index][0]),
            )
            self.page.controls[:] = [
                ft.Row(
                    [rail, ft.VerticalDivider(width=1), self.body],
                    expand=True,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                )
            ]
        else:
            self.page.navigation_bar = ft.NavigationBar(
                selected_index=index,
                destinations=[
                    ft.NavigationBarDestination(
                        icon=icon, selected_icon=selected, label=self.t(key)
                    )
                    for _, icon, selected, key in self.DESTINATIONS
                ],
                on_change=lambda e: self.navigate(self.DESTINATIONS[e.control.selected_index][0]),
            )
            self.page.controls[:] = [self.body]
        self.page.update()


def make_main(data_dir: Path) -> Callable[[ft.Page], Awaitable[None]]:
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

    async def main(page: ft.Page) -> None:
        page.fonts = {FONT_FAMILY: f"fonts/{CJK_FONT.name}"}
        page.theme = ft.Theme(
            font_family=FONT_FAMILY,
            color_scheme_seed=ft.Colors.INDIGO,
            visual_density=ft.VisualDensity.COMFORTABLE,
        )
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = ft.Colors.WHITE
        page.padding = 0
        workspace, background = await opened_workspace()
        shell = Shell(page, workspace, await device_language(page))
        shell.follow_sync(background)
        if workspace.user_or_none is None:
            workspace.sign_in("p-li")
        inspection = workspace.store.get_meta("open_inspection")
        if inspection:
            shell.current, shell.open_inspection = "inspect", inspection
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
    main = make_main(data_dir or default_data_dir())
    assets = str(prepare_assets())
    if web:
        print(f"app: http://{host}:{port}/", flush=True)
        ft.run(
            main, view=ft.AppView.WEB_BROWSER, host=host, port=port, assets_dir=assets, no_cdn=True
        )
    else:
        ft.run(main, assets_dir=assets)
