"""Small shared controls: headings, cards, big touch buttons (48 px and up, high contrast)."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

MIN_TOUCH = 56


def heading(text: str) -> ft.Control:
    return ft.Text(text, size=24, weight=ft.FontWeight.BOLD, color=ft.Colors.BLACK)


def card(title: str, rows: list[ft.Control]) -> ft.Control:
    return ft.Card(
        content=ft.Container(
            ft.Column([ft.Text(title, size=18, weight=ft.FontWeight.W_600), *rows], spacing=6),
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
) -> ft.Control:
    return ft.Button(
        label,
        icon=icon,
        on_click=on_click,
        expand=expand,
        height=MIN_TOUCH,
        style=ft.ButtonStyle(
            bgcolor=colour if selected else ft.Colors.WHITE,
            color=ft.Colors.WHITE if selected else colour,
            side=ft.BorderSide(2, colour),
            shape=ft.RoundedRectangleBorder(radius=10),
            text_style=ft.TextStyle(size=18, weight=ft.FontWeight.W_600),
        ),
    )
