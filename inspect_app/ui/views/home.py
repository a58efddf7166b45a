"""Home: in progress, due checklists, open hazards by grade, sync state, certificate findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.site import CertificateStatus
from inspect_app.ui.viewmodels.home import summarize
from inspect_app.ui.views.widgets import card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def build(shell: Shell) -> ft.Control:
    t, ws = shell.t, shell.ws
    summary = summarize(ws)
    lang = shell.lang
    progress_rows = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.PLAY_CIRCLE, color=ft.Colors.INDIGO_700),
            title=ft.Text(
                ws.catalog.get(h["checklist_id"], h["checklist_version"]).title.get(lang)
            ),
            subtitle=ft.Text(h["started_at"][:16].replace("T", " ")),
            on_click=lambda _, i=h["id"]: shell.navigate("inspect", i),
        )
        for h in summary.in_progress
    ] or [ft.Text(t("home.nothing"))]
    due_rows = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.EVENT_NOTE),
            title=ft.Text(c.title.get(lang)),
            on_click=lambda _: shell.navigate("inspect"),
        )
        for c in summary.due
    ] or [ft.Text(t("home.nothing"))]
    certificates = [
        ft.ListTile(
            title=ft.Text(
                t(
                    "home.cert_expired"
                    if f.status is CertificateStatus.EXPIRED
                    else "home.cert_expiring",
                    asset=f"{f.asset.asset_id} {f.asset.name.get(lang)}",
                    days=abs(f.days_left),
                ),
                color=ft.Colors.RED_900
                if f.status is CertificateStatus.EXPIRED
                else ft.Colors.ORANGE_900,
                weight=ft.FontWeight.W_600,
            ),
            dense=True,
            content_padding=ft.Padding.all(0),
            on_click=lambda _, asset=f.asset: shell.inspect_asset(asset),
        )
        for f in summary.certificates
    ] or [ft.Text(t("home.nothing"))]
    hazards = ft.Row(
        [
            _count(summary.open_major, t("home.major"), ft.Colors.RED_800),
            _count(summary.open_general, t("home.general"), ft.Colors.BLUE_GREY_700),
        ],
        spacing=24,
    )
    sync = ft.Column(
        [
            ft.Text(t("home.pending", n=summary.pending), size=16),
            ft.Text(t("home.last_sync", at=(summary.last_sync or t("home.never"))[:16])),
        ]
    )
    user = ws.user_or_none
    return ft.ListView(
        [
            heading(t("app.title")),
            ft.Text(t("home.who", name=user.name.get(lang) if user else "—")),
            card(t("home.in_progress"), progress_rows),
            card(t("home.open_hazards"), [hazards]),
            card(t("home.sync"), [sync]),
            card(t("home.certificates"), certificates),
            card(t("home.due"), due_rows),
        ],
        spacing=12,
        expand=True,
    )


def _count(value: int, label: str, colour: str) -> ft.Control:
    return ft.Column(
        [
            ft.Text(str(value), size=36, weight=ft.FontWeight.BOLD, color=colour),
            ft.Text(label, size=16),
        ],
        spacing=0,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
