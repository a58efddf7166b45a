"""Home: in progress (each opens its walk, or is discarded after a confirm), due checklists (each
starts that checklist there), open hazards by grade, sync state, certificate findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.site import CertificateStatus
from inspect_app.services.inspections import InspectionService
from inspect_app.ui.viewmodels.home import Draft, age, summarize
from inspect_app.ui.widgets import MIN_TOUCH, card, heading

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def build(shell: Shell) -> ft.Control:
    t, ws = shell.t, shell.ws
    summary = summarize(ws)
    lang = shell.lang
    now = ws.clock()
    site = ws.catalog.site
    progress_rows = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.PLAY_CIRCLE, color=ft.Colors.INDIGO_700),
            title=ft.Text(d.checklist.title.get(lang), weight=ft.FontWeight.W_600),
            subtitle=ft.Text(
                "\n".join(
                    (
                        site.place_name(d.workshop_id, d.area_id, d.asset_id, lang),
                        t("home.draft_progress", done=d.answered, total=d.total)
                        + " · "
                        + t(f"home.started_{unit}", n=n),
                    )
                )
            ),
            trailing=ft.IconButton(
                ft.Icon(ft.Icons.DELETE_OUTLINE, semantics_label=t("home.discard")),
                tooltip=t("home.discard"),
                icon_color=ft.Colors.RED_800,
                on_click=lambda _, d=d: _discard(shell, d),
            ),
            min_height=MIN_TOUCH,
            on_click=lambda _, i=d.id: shell.go(f"/inspect/{i}"),
        )
        for d in summary.in_progress
        for unit, n in [age(d.started_at, now)]
    ] or [ft.Text(t("home.nothing"))]
    due_rows = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.EVENT_NOTE),
            title=ft.Text(d.checklist.title.get(lang)),
            subtitle=ft.Text(site.place_name(d.workshop_id, None, d.asset_id, lang)),
            min_height=MIN_TOUCH,
            on_click=lambda _, d=d: shell.start_checklist(
                d.checklist.id, d.workshop_id, d.asset_id
            ),
        )
        for d in summary.due
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
            ft.Text(
                t(
                    "home.last_sync",
                    at=t.when(summary.last_sync),
                )
            ),
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


def _discard(shell: Shell, draft: Draft) -> None:
    """Throw a draft away after a confirm; it was never queued, so HQ never hears of it."""
    t = shell.t

    def discard() -> None:
        InspectionService(shell.ws).discard_draft(draft.id)
        shell.toast(t("home.discarded"))
        shell.render()

    shell.confirm(
        t("home.discard_title"),
        t("home.discard_body", checklist=draft.checklist.title.get(shell.lang)),
        t("home.keep"),
        t("home.discard"),
        discard,
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
