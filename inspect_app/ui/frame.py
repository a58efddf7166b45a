"""The frame around every screen: the app bar (Back, title, the demo badge) and the navigation
(bottom bar on phones, rail on tablets). Its controls are made once and changed in place on
each render: a control made anew gets a new id, and a tap the person made on the old one (say
on Home while the walk moved on by itself) would be dropped by Flet as aimed at nothing."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from inspect_app.ui.widgets import MIN_TOUCH

#: Each destination: its route, icon, selected icon and label key.
Destination = tuple[str, ft.IconData, ft.IconData, str]


class Frame:
    """The app bar, the bottom bar and the rail, kept for the session."""

    def __init__(
        self,
        destinations: tuple[Destination, ...],
        on_tab: Callable[[int], None],
        on_back: Callable[[], None],
    ) -> None:
        self.destinations = destinations
        self._back_icon = ft.Icon(ft.Icons.ARROW_BACK)
        self.back = ft.IconButton(self._back_icon, on_click=lambda _: on_back())
        self.title = ft.Text(size=18)
        self._badge_text = ft.Text(color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD)
        self.badge = ft.Container(
            self._badge_text,
            bgcolor=ft.Colors.DEEP_ORANGE_800,
            border_radius=14,
            padding=ft.Padding.symmetric(horizontal=12, vertical=4),
            margin=ft.Margin.only(right=12),
        )
        self.app_bar = ft.AppBar(
            automatically_imply_leading=False,
            title=self.title,
            toolbar_height=MIN_TOUCH,
            bgcolor=ft.Colors.INDIGO_50,
        )
        self.bar = ft.NavigationBar(
            destinations=[
                ft.NavigationBarDestination(icon=icon, selected_icon=selected)
                for _, icon, selected, _ in destinations
            ],
            on_change=lambda e: on_tab(e.control.selected_index),
        )
        self.rail = ft.NavigationRail(
            label_type=ft.NavigationRailLabelType.ALL,
            min_width=96,
            destinations=[
                ft.NavigationRailDestination(icon=icon, selected_icon=selected)
                for _, icon, selected, _ in destinations
            ],
            on_change=lambda e: on_tab(e.control.selected_index),
        )
        self._divider = ft.VerticalDivider(width=1)
        self._beside_rail = ft.Row(expand=True, vertical_alignment=ft.CrossAxisAlignment.START)

    def show(
        self,
        t: Callable[[str], str],
        section: str,
        can_go_back: bool,
        badge: str | None,
    ) -> None:
        """Point the frame at ``section`` in the language of ``t``: Back when there is a screen
        before, the badge when given (the demo plant)."""
        label = t("nav.previous")
        self._back_icon.semantics_label = label
        self.back.tooltip = label
        self.app_bar.leading = self.back if can_go_back else None
        self.title.value = t("app.title")
        self._badge_text.value = badge
        self.app_bar.actions = [self.badge] if badge is not None else []
        index = [d[0] for d in self.destinations].index(section)
        for navigation in (self.bar, self.rail):
            navigation.selected_index = index
            for destination, (_, _, _, key) in zip(
                navigation.destinations, self.destinations, strict=True
            ):
                destination.label = t(key)

    def around(self, body: ft.Control) -> ft.Control:
        """``body`` with the rail on its left (wide screens)."""
        self._beside_rail.controls = [self.rail, self._divider, body]
        return self._beside_rail
