"""Settings: language (Chinese or English), who uses this device (fixed once it is enrolled with
HQ, which answers for that person), whether photos keep where they were taken."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.sync.client import connection
from inspect_app.ui.widgets import big_button, card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def build(shell: Shell) -> ft.Control:
    t, ws, lang = shell.t, shell.ws, shell.lang
    user = ws.user_or_none
    languages = ft.Row(
        [
            big_button("中文", lambda _: shell.set_language("zh"), selected=lang == "zh"),
            big_button("English", lambda _: shell.set_language("en"), selected=lang == "en"),
        ],
        wrap=True,
    )

    if connection(ws) is not None and user is not None:
        # HQ judges every command by the person the device was enrolled for.
        people: list[ft.Control] = [
            ft.Text(
                t("settings.enrolled_as", name=user.name.get(lang)),
                size=16,
                weight=ft.FontWeight.W_600,
            ),
            ft.Text(t("settings.hand_over"), size=15),
        ]
        return _page(shell, languages, people)
    people = [
        ft.ListTile(
            title=ft.Text(p.name.get(lang)),
            subtitle=ft.Text(", ".join(sorted(t(f"role.{r.value}") for r in p.roles))),
            selected=user is not None and user.id == p.id,
            on_click=lambda _, pid=p.id: shell.sign_in(pid),
        )
        for p in ws.catalog.site.people
    ]
    return _page(shell, languages, people)


def _page(shell: Shell, languages: ft.Control, people: list[ft.Control]) -> ft.Control:
    t = shell.t
    return ft.ListView(
        [
            heading(t("settings.title")),
            card(t("settings.language"), [languages]),
            card(t("settings.who"), people),
            card(t("settings.photo_places"), _photo_places(shell)),
        ],
        spacing=12,
        expand=True,
    )


def _photo_places(shell: Shell) -> list[ft.Control]:
    def toggled(e: ft.Event) -> None:
        shell.settings.keep_photo_places = bool(e.control.value)
        shell.render()

    return [
        ft.Switch(
            label=shell.t("settings.keep_places"),
            value=shell.settings.keep_photo_places,
            on_change=toggled,
            height=48,
        ),
        ft.Text(shell.t("settings.places_help"), size=14),
    ]
