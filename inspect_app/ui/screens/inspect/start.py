"""Inspect, first screen: pick a checklist, workshop, area and equipment, then begin.

Each choice redraws the screen. The screen and its buttons carry keys, so Flet matches the
redrawn controls to the ones shown and a tap made meanwhile (Begin straight after the area)
reaches the button drawn in its place instead of being dropped as aimed at nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import flet as ft

from inspect_app.ui.viewmodels.start import Choice
from inspect_app.ui.widgets import MIN_TOUCH, big_button, card, heading, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

CATEGORY_ICONS = {
    "fire": ft.Icons.LOCAL_FIRE_DEPARTMENT,
    "electrical": ft.Icons.BOLT,
    "special_equipment": ft.Icons.PRECISION_MANUFACTURING,
    "flood_season": ft.Icons.WATER_DROP,
    "environment": ft.Icons.ENGINEERING,
    "other": ft.Icons.CHECKLIST,
}
#: The start screen's own key: its redraws are matched to what is shown, control by control.
SCREEN_KEY = "start"


def build(shell: Shell) -> ft.Control:
    t, lang, model = shell.t, shell.lang, shell.start_model
    rows: list[ft.Control] = [heading(t("start.title"))]
    checklists = [
        ft.ListTile(
            leading=ft.Icon(
                CATEGORY_ICONS.get(c.category, ft.Icons.CHECKLIST),
                color=ft.Colors.INDIGO_800,
                size=32,
            ),
            title=ft.Text(c.title, weight=ft.FontWeight.W_600),
            subtitle=ft.Text(f"v{c.version} · {c.items}"),
            selected=c.selected,
            min_height=MIN_TOUCH,
            key=f"checklist:{c.id}",
            on_click=lambda _, cid=c.id: _then_render(shell, model.toggle_checklist, cid),
        )
        for c in model.checklists(lang)
    ]
    rows.append(card(t("start.checklist"), checklists))
    if model.chosen is None:
        return ft.ListView(rows, spacing=12, expand=True, key=SCREEN_KEY)
    rows.append(
        _choices(
            shell, "workshop", t("start.workshop"), model.workshops(lang), model.choose_workshop
        )
    )
    if model.workshop:
        rows.append(_choices(shell, "area", t("start.area"), model.areas(lang), model.choose_area))
        if model.needs_asset:
            rows.append(
                _choices(shell, "asset", t("start.asset"), model.assets(lang), model.choose_asset)
            )
        if model.error is not None:  # why Begin did not start, in place above it
            rows.append(status(t.error(model.error), colour=ft.Colors.RED_900, bold=True))
        rows.append(
            big_button(
                t("start.begin"),
                lambda _: _begin(shell),
                selected=model.ready,
                icon=ft.Icons.PLAY_ARROW,
                key="begin",
            )
        )
    return ft.ListView(rows, spacing=12, expand=True, key=SCREEN_KEY)


def _choices(
    shell: Shell, kind: str, title: str, choices: list[Choice], choose: Callable[[str], None]
) -> ft.Control:
    return card(
        title,
        [
            ft.Row(
                [
                    big_button(
                        c.label,
                        lambda _, cid=c.id: _then_render(shell, choose, cid),
                        selected=c.selected,
                        key=f"{kind}:{c.id}",
                    )
                    for c in choices
                ],
                wrap=True,
            )
        ],
    )


def _then_render(shell: Shell, change: Callable[[str], None], value: str) -> None:
    change(value)
    shell.render()


def _begin(shell: Shell) -> None:
    inspection_id = shell.start_model.begin()
    if inspection_id is None:
        shell.render()
        return
    shell.settings.open_inspection = inspection_id
    shell.go(f"/inspect/{inspection_id}")
