"""The Hazards tab: the list or the rates dashboard; on tablets the list and an open hazard
side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.ui.screens import dashboard
from inspect_app.ui.screens.hazards.detail import build_detail
from inspect_app.ui.screens.hazards.list import build_list
from inspect_app.ui.widgets import (
    big_button,
)

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

LIST_PANE_WIDTH = 440


def build(shell: Shell) -> ft.Control:
    screen = shell.hazard_screen
    t = shell.t
    tabs = ft.Row(
        [
            big_button(
                t("hazards.tab_list"),
                lambda _: _set_mode(shell, "list"),
                selected=screen.mode == "list",
                compact=True,
                icon=ft.Icons.LIST,
            ),
            big_button(
                t("hazards.tab_rates"),
                lambda _: _set_mode(shell, "rates"),
                selected=screen.mode == "rates",
                compact=True,
                icon=ft.Icons.BAR_CHART,
            ),
        ],
        wrap=True,
    )
    if screen.mode == "rates":
        return ft.Column([tabs, dashboard.build(shell)], expand=True)
    if screen.open_hazard is None:
        return ft.Column([tabs, build_list(shell)], expand=True)
    detail = build_detail(shell)
    if not shell.wide:
        return detail
    return ft.Row(
        [
            ft.Container(ft.Column([tabs, build_list(shell)], expand=True), width=LIST_PANE_WIDTH),
            ft.VerticalDivider(width=1),
            ft.Container(detail, expand=True),
        ],
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _set_mode(shell: Shell, mode: str) -> None:
    shell.hazard_screen.mode = mode
    shell.render()
