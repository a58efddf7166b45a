"""The first run: a device neither enrolled with HQ nor trying the demo asks which it is to be.
Enrolment is the Sync tab's form (address and code, or the link in HQ's QR code); the demo is
chosen explicitly, and labelled as such on every screen afterwards. Nobody is signed in until
then."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.ui.screens.sync import enrolment_card
from inspect_app.ui.viewmodels.sync import SyncModel
from inspect_app.ui.widgets import big_button, card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def build(shell: Shell) -> ft.Control:
    t = shell.t
    return ft.ListView(
        [
            heading(t("first.title")),
            ft.Text(t("first.intro"), size=16),
            enrolment_card(shell, SyncModel(shell.ws, shell.lang)),
            card(
                t("first.demo_title"),
                [
                    ft.Text(t("first.demo_body"), size=15),
                    big_button(
                        t("first.demo"),
                        lambda _: shell.try_demo(),
                        selected=False,
                        icon=ft.Icons.FACTORY_OUTLINED,
                    ),
                ],
            ),
        ],
        spacing=12,
        expand=True,
    )
