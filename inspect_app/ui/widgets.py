"""Small shared controls: headings, cards, big touch buttons (48 px and up, high contrast)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.checklist import Grade, Risk
from inspect_app.services.photos import PhotoService

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

MIN_TOUCH = 56
#: The bundled font with CJK glyphs; styles that set their own text style must name it again.
FONT_FAMILY = "CJK"
RISK_COLOURS = {
    Risk.RED: ft.Colors.RED_800,
    Risk.ORANGE: ft.Colors.ORANGE_900,
    Risk.YELLOW: ft.Colors.AMBER_900,
    Risk.BLUE: ft.Colors.BLUE_800,
}
GRADE_COLOURS = {Grade.MAJOR: ft.Colors.RED_900, Grade.GENERAL: ft.Colors.BLUE_GREY_800}


def heading(text: str) -> ft.Control:
    return ft.Text(text, size=24, weight=ft.FontWeight.BOLD, color=ft.Colors.BLACK)


def card(title: str, rows: list[ft.Control], *, stretch: bool = False) -> ft.Control:
    """A titled card; ``stretch`` makes inputs inside take the card's full width."""
    return ft.Card(
        content=ft.Container(
            ft.Column(
                [ft.Text(title, size=18, weight=ft.FontWeight.W_600), *rows],
                spacing=6,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH
                if stretch
                else ft.CrossAxisAlignment.START,
            ),
            padding=ft.Padding.all(14),
        )
    )


def big_button(
    label: str,
    on_click: Callable,
    *,
    colour: str = ft.Colors.INDIGO_800,
    selected: bool = True,
    expand: bool = False,
    icon: str | None = None,
    compact: bool = False,
    key: str | None = None,
) -> ft.Control:
    """A tall, bold button; ``key`` names it across redraws (a tap on it while the screen
    redraws reaches the button drawn in its place)."""
    # Only set expand when wanted: an explicit expand=False breaks a Row(wrap=True) in Flet 1.0.
    extra: dict[str, object] = {"expand": True} if expand else {}
    if icon:
        extra["icon"] = icon
    return ft.Button(
        label,
        on_click=on_click,
        height=MIN_TOUCH,
        key=key,
        **extra,
        style=ft.ButtonStyle(
            bgcolor=colour if selected else ft.Colors.WHITE,
            color=ft.Colors.WHITE if selected else colour,
            side=ft.BorderSide(2, colour),
            shape=ft.RoundedRectangleBorder(radius=10),
            text_style=ft.TextStyle(
                size=16 if compact else 18, weight=ft.FontWeight.W_600, font_family=FONT_FAMILY
            ),
            padding=ft.Padding.symmetric(horizontal=12 if compact else 20),
        ),
    )


def list_button(
    label: str, on_click: Callable, *, colour: str = ft.Colors.INDIGO_800, icon: str | None = None
) -> ft.Control:
    """A full-width outlined button whose label may take several lines (a blocker to go and fix,
    a way back): at least ``MIN_TOUCH`` high, unlike a text link."""
    return ft.Button(
        content=ft.Row(
            [
                *([ft.Icon(icon, color=colour)] if icon else []),
                ft.Text(label, size=17, color=colour, weight=ft.FontWeight.W_600, expand=True),
            ]
        ),
        on_click=on_click,
        style=ft.ButtonStyle(
            bgcolor=ft.Colors.WHITE,
            side=ft.BorderSide(2, colour),
            shape=ft.RoundedRectangleBorder(radius=10),
            padding=ft.Padding.symmetric(horizontal=16, vertical=(MIN_TOUCH - 24) // 2),
        ),
    )


def status(
    text: str, *, colour: str = ft.Colors.BLACK, size: int = 16, bold: bool = False
) -> ft.Control:
    """A status line screen readers announce when it changes (and tests can find by label)."""
    return ft.Semantics(
        label=text,
        container=True,
        live_region=True,
        content=ft.Text(
            text, color=colour, size=size, weight=ft.FontWeight.W_600 if bold else None
        ),
    )


def photo_rows(
    shell: Shell, photos: Sequence[str], add: Callable[[bytes], object]
) -> list[ft.Control]:
    """The add-photo button with the count so far, then the thumbnails; ``add`` takes each picked
    photo's bytes (run off the event loop)."""
    t = shell.t
    rows: list[ft.Control] = [
        ft.Row(
            [
                big_button(
                    t("finding.photo"),
                    lambda _: shell.page.run_task(shell.add_photos, add),
                    icon=ft.Icons.PHOTO_CAMERA,
                ),
                status(t("finding.photos", n=len(photos))),
            ],
            wrap=True,
        )
    ]
    if photos:
        rows.append(
            ft.Row(
                [
                    ft.Image(
                        src=PhotoService(shell.ws).thumbnail(sha) or b"",
                        width=96,
                        height=96,
                        fit=ft.BoxFit.COVER,
                        border_radius=8,
                    )
                    for sha in photos
                ],
                wrap=True,
            )
        )
    return rows


def photo_thumb(
    data: bytes | None,
    label: str,
    identifier: str,
    on_open: Callable[[], object] | None = None,
    size: int = 120,
) -> ft.Control:
    """A photo's thumbnail (an image icon while the device has none), named for screen readers
    and with a stable semantics identifier; tapping it calls ``on_open``."""
    picture: ft.Control = (
        ft.Image(src=data, width=size, height=size, fit=ft.BoxFit.COVER, border_radius=8)
        if data
        else ft.Icon(ft.Icons.IMAGE_OUTLINED, size=size // 2, color=ft.Colors.BLUE_GREY_400)
    )
    return ft.Semantics(
        identifier=identifier,
        label=label,
        button=on_open is not None,
        container=True,
        content=ft.Container(
            picture,
            width=size,
            height=size,
            border_radius=8,
            bgcolor=ft.Colors.BLUE_GREY_50,
            alignment=ft.Alignment.CENTER,
            on_click=(lambda _: on_open()) if on_open else None,
        ),
    )
