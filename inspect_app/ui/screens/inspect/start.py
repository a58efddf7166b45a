"""Inspect, first screen: pick a checklist, workshop, area and equipment, then begin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.services.inspections import InspectionError, InspectionService
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


def build(shell: Shell) -> ft.Control:
    t, ws, lang = shell.t, shell.ws, shell.lang
    state = shell.start_state
    user = ws.user
    rows: list[ft.Control] = [heading(t("start.title"))]
    chosen = state.get("checklist")
    # Once a checklist is picked only it stays (tap it to change), so the next choices are in view.
    shown = [ws.catalog.latest(chosen)] if chosen else ws.catalog.latest_checklists()
    checklists = [
        ft.ListTile(
            leading=ft.Icon(
                CATEGORY_ICONS.get(c.category.value, ft.Icons.CHECKLIST),
                color=ft.Colors.INDIGO_800,
                size=32,
            ),
            title=ft.Text(c.title.get(lang), weight=ft.FontWeight.W_600),
            subtitle=ft.Text(f"v{c.version} · {c.item_count}"),
            selected=chosen == c.id,
            min_height=MIN_TOUCH,
            on_click=lambda _, cid=c.id: _choose(
                shell, checklist=None if chosen else cid, workshop=None, area=None, asset=None
            ),
        )
        for c in shown
    ]
    rows.append(card(t("start.checklist"), checklists))
    if chosen:
        checklist = ws.catalog.latest(chosen)
        workshops = [w for w in ws.catalog.site.workshops if user.can_act_in(w.id)]
        rows.append(
            card(
                t("start.workshop"),
                [
                    ft.Row(
                        [
                            big_button(
                                w.name.get(lang),
                                lambda _, wid=w.id: _choose(
                                    shell, workshop=wid, area=None, asset=None
                                ),
                                selected=state.get("workshop") == w.id,
                            )
                            for w in workshops
                        ],
                        wrap=True,
                    )
                ],
            )
        )
        workshop = ws.catalog.site.workshop(state.get("workshop") or "")
        if workshop:
            rows.append(
                card(
                    t("start.area"),
                    [
                        ft.Row(
                            [
                                big_button(
                                    a.name.get(lang),
                                    lambda _, aid=a.id: _choose(shell, area=aid),
                                    selected=state.get("area") == a.id,
                                )
                                for a in workshop.areas
                            ],
                            wrap=True,
                        )
                    ],
                )
            )
            if checklist.asset_type:
                assets = ws.catalog.site.equipment_of_type(checklist.asset_type)
                rows.append(
                    card(
                        t("start.asset"),
                        [
                            ft.Row(
                                [
                                    big_button(
                                        f"{e.asset_id} {e.name.get(lang)}",
                                        lambda _, aid=e.asset_id: _choose(shell, asset=aid),
                                        selected=state.get("asset") == e.asset_id,
                                    )
                                    for e in assets
                                ],
                                wrap=True,
                            )
                        ],
                    )
                )
            ready = not checklist.asset_type or state.get("asset")
            if state.get("error"):  # why Begin did not start, in place above it
                rows.append(status(state["error"] or "", colour=ft.Colors.RED_900, bold=True))
            rows.append(
                big_button(
                    t("start.begin"),
                    lambda _: _begin(shell),
                    selected=bool(ready),
                    icon=ft.Icons.PLAY_ARROW,
                )
            )
    return ft.ListView(rows, spacing=12, expand=True)


def _choose(shell: Shell, **changes: str | None) -> None:
    shell.start_state.update(changes, error=None)
    shell.render()


def _begin(shell: Shell) -> None:
    state = shell.start_state
    service = InspectionService(shell.ws)
    try:
        inspection = service.start(
            shell.ws.catalog.latest(state["checklist"]),
            state["workshop"],
            state.get("area"),
            state.get("asset"),
        )
    except InspectionError as exc:
        state["error"] = shell.t.error(exc)
        shell.render()
        return
    shell.start_state.clear()
    shell.settings.open_inspection = inspection.id
    shell.go(f"/inspect/{inspection.id}")
