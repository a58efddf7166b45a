"""Hazards list (open hazards, most urgent first) and the sync state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.services.hazards import HazardService
from inspect_app.ui.views.widgets import card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

GRADE_COLOURS = {"major": ft.Colors.RED_900, "general": ft.Colors.BLUE_GREY_700}


def hazards(shell: Shell) -> ft.Control:
    t = shell.t
    service = HazardService(shell.ws)
    today = shell.ws.clock().date()
    page = service.page(service.default_filter(), page_size=50)
    rows: list[ft.Control] = [heading(t("hazards.title"))]
    for hazard in page.hazards:
        days = hazard.days_to_deadline(today)
        due = (
            t("hazards.overdue", days=-days) if days < 0 else t("hazards.due", date=hazard.deadline)
        )
        rows.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.WARNING, color=GRADE_COLOURS[hazard.grade.value], size=32),
                title=ft.Text(hazard.description, weight=ft.FontWeight.W_600),
                subtitle=ft.Text(
                    f"{t('grade.' + hazard.grade.value)} · {hazard.status.value} · {due}"
                ),
            )
        )
    if not page.hazards:
        rows.append(ft.Text(t("hazards.none")))
    return ft.ListView(rows, spacing=6, expand=True)


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
