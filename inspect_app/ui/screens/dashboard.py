"""Rates for a chosen month as numbers and bar charts composed of core controls (extension chart
packages are not in Flet's prebuilt web client), plus equipment certificates as hazards-to-be."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.rates import Rate
from inspect_app.core.site import CertificateStatus
from inspect_app.ui.viewmodels.dashboard import Bar, DashboardModel
from inspect_app.ui.widgets import card, heading, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

BAR_WIDTH = {True: 240, False: 96}  # tablet or desktop: phone
LABEL_WIDTH = 104
BAR_HEIGHT = 24


def build(shell: Shell) -> ft.Control:
    t = shell.t
    model = shell.dashboard()
    board = model.load()
    year, month = board.month
    figures = board.figures
    month_row = ft.Row(
        [
            ft.IconButton(
                ft.Icons.CHEVRON_LEFT,
                tooltip=t("dash.prev"),
                icon_size=32,
                on_click=lambda _: _shift(shell, model, -1),
            ),
            heading(t("dash.title", month=f"{year}-{month:02d}")),
            ft.IconButton(
                ft.Icons.CHEVRON_RIGHT,
                tooltip=t("dash.next"),
                icon_size=32,
                on_click=lambda _: _shift(shell, model, 1),
            ),
        ],
        wrap=True,
    )
    rates = [
        _rate_bar(shell, t("hazards.all"), figures.overall),
        _rate_bar(shell, t("dash.general"), figures.general),
        _rate_bar(shell, t("dash.major"), figures.major, colour=ft.Colors.RED_800),
        _rate_bar(shell, t("dash.on_time"), figures.on_time, colour=ft.Colors.TEAL_800),
        ft.Text(t("dash.found_closed", found=figures.found, closed=figures.rectified), size=16),
    ]
    if board.at_month_end is not None:
        rates.append(
            ft.Text(t("dash.at_month_end", rate=board.at_month_end.overall.percent()), size=15)
        )
    overdue = ft.Row(
        [
            status(
                str(figures.overdue),
                colour=ft.Colors.RED_900 if figures.overdue else ft.Colors.GREEN_900,
                size=40,
                bold=True,
            ),
            ft.Text(t("dash.overdue_major", n=figures.overdue_major), size=16),
        ],
        vertical_alignment=ft.CrossAxisAlignment.END,
    )
    certificates = [
        ft.ListTile(
            leading=ft.Icon(
                ft.Icons.PRECISION_MANUFACTURING,
                color=ft.Colors.RED_800
                if f.status is CertificateStatus.EXPIRED
                else ft.Colors.ORANGE_900,
                size=32,
            ),
            title=ft.Text(
                t(
                    "home.cert_expired"
                    if f.status is CertificateStatus.EXPIRED
                    else "home.cert_expiring",
                    asset=f"{f.asset.asset_id} {f.asset.name.get(shell.lang)}",
                    days=abs(f.days_left),
                ),
                weight=ft.FontWeight.W_600,
            ),
            subtitle=ft.Text(
                f"{f.asset.location.get(shell.lang)} · {f.asset.certificate_expiry.isoformat()}"
                + (f" · {f.asset.registration_no}" if f.asset.registration_no else "")
            ),
            on_click=lambda _, asset=f.asset: shell.inspect_asset(asset),
        )
        for f in board.hazards_to_be
    ] or [ft.Text(t("home.nothing"))]
    category_bars = [Bar(t(f"category.{b.label}"), b.value) for b in board.by_category]
    return ft.ListView(
        [
            month_row,
            card(t("dash.rate"), rates),
            card(t("dash.overdue"), [overdue]),
            card(t("dash.by_workshop"), _count_bars(shell, board.by_workshop)),
            card(t("dash.by_category"), _count_bars(shell, category_bars)),
            card(t("dash.hazards_to_be"), certificates),
        ],
        spacing=12,
        expand=True,
    )


def _shift(shell: Shell, model: DashboardModel, delta: int) -> None:
    if delta < 0:
        model.previous_month()
    else:
        model.next_month()
    shell.render()


def _bar(width: int, fraction: float, colour: str) -> ft.Control:
    filled = round(width * max(0.0, min(1.0, fraction)))
    return ft.Container(
        ft.Container(width=filled, height=BAR_HEIGHT, bgcolor=colour, border_radius=4),
        width=width,
        height=BAR_HEIGHT,
        bgcolor=ft.Colors.GREY_200,
        border_radius=4,
        alignment=ft.Alignment.CENTER_LEFT,
    )


def _rate_bar(
    shell: Shell, label: str, rate: Rate, colour: str = ft.Colors.INDIGO_700
) -> ft.Control:
    text = f"{rate.percent()} ({rate.numerator}/{rate.denominator})"
    return ft.Semantics(
        label=f"{label} {text}",
        container=True,
        content=ft.Row(
            [
                ft.Text(label, size=16, width=LABEL_WIDTH),
                _bar(BAR_WIDTH[shell.wide], rate.value or 0.0, colour),
                ft.Text(text, size=15, weight=ft.FontWeight.W_600),
            ],
            wrap=True,
        ),
    )


def _count_bars(shell: Shell, bars: list[Bar]) -> list[ft.Control]:
    if not bars:
        return [ft.Text(shell.t("dash.none"))]
    most = max(bar.value for bar in bars)
    return [
        ft.Semantics(
            label=f"{bar.label} {bar.value}",
            container=True,
            content=ft.Row(
                [
                    ft.Text(bar.label, size=16, width=LABEL_WIDTH),
                    _bar(BAR_WIDTH[shell.wide], bar.value / most, ft.Colors.ORANGE_800),
                    ft.Text(str(bar.value), size=16, weight=ft.FontWeight.W_600),
                ],
                wrap=True,
            ),
        )
        for bar in bars
    ]
