"""The sync state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.ui.views.widgets import card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def sync(shell: Shell) -> ft.Control:
    t, ws = shell.t, shell.ws
    pending = len(ws.store.pending_outbox())
    last = ws.store.get_meta("last_sync_at")
    rows = [
        ft.Text(t("sync.pending", n=pending), size=18),
        ft.Text(t("home.last_sync", at=(last or t("home.never"))[:16])),
    ]
    if not ws.store.get_meta("token"):
        rows.append(ft.Text(t("sync.not_enrolled"), color=ft.Colors.ORANGE_900))
    return ft.ListView([heading(t("sync.title")), card(t("sync.title"), rows)], expand=True)
