"""The hazards list: filters, one page of rows in urgency order, the ledger export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from inspect_app.core.checklist import Grade, Risk
from inspect_app.ui.viewmodels.hazards import (
    HazardListModel,
    HazardRow,
)
from inspect_app.ui.widgets import (
    GRADE_COLOURS,
    MIN_TOUCH,
    RISK_COLOURS,
    big_button,
    heading,
    status,
)

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

THUMB = 64
ALL = "all"


def build_list(shell: Shell) -> ft.Control:
    t = shell.t
    model = shell.hazard_list()
    page, rows = model.load()
    controls: list[ft.Control] = [
        heading(t("hazards.title")),
        _filters(shell, model),
        status(t("hazards.count", n=page.total), bold=True),
    ]
    controls += [_row(shell, row) for row in rows]
    controls.append(_ledger_export(shell))
    if not rows:
        controls.append(ft.Text(t("hazards.none"), size=16))
    if page.pages > 1:
        controls.append(
            ft.Row(
                [
                    ft.IconButton(
                        ft.Icons.CHEVRON_LEFT,
                        tooltip=t("hazards.prev"),
                        disabled=page.page == 0,
                        icon_size=32,
                        on_click=lambda _: _go_to_page(shell, page.page - 1),
                    ),
                    ft.Text(t("hazards.page", page=page.page + 1, pages=page.pages), size=16),
                    ft.IconButton(
                        ft.Icons.CHEVRON_RIGHT,
                        tooltip=t("hazards.next"),
                        disabled=page.page + 1 >= page.pages,
                        icon_size=32,
                        on_click=lambda _: _go_to_page(shell, page.page + 1),
                    ),
                ],
                alignment=ft.MainAxisAlignment.CENTER,
            )
        )
    return ft.ListView(controls, spacing=6, expand=True)


def _ledger_export(shell: Shell) -> ft.Control:
    t = shell.t
    day = shell.ws.clock().date().isoformat()

    def export(fmt: str) -> None:
        from inspect_app.exports import documents  # heavy; only when asked for (see Shell.export)

        shell.page.run_task(
            shell.export,
            f"hazard-ledger-{day}.{fmt}",
            lambda: documents.ledger(shell.ws, fmt, shell.lang)[0],
        )

    return ft.Row(
        [
            ft.Text(t("export.ledger"), size=16),
            *(
                big_button(
                    fmt.upper(),
                    lambda _, fmt=fmt: export(fmt),
                    selected=False,
                    compact=True,
                    icon=ft.Icons.DOWNLOAD,
                )
                for fmt in ("xlsx", "csv")
            ),
        ],
        wrap=True,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def _go_to_page(shell: Shell, index: int) -> None:
    shell.hazard_list().go_to_page(index)
    shell.render()


def _filters(shell: Shell, model: HazardListModel) -> ft.Control:
    t = shell.t
    options = model.options()
    current = model.filter

    def dropdown(label: str, value: str | None, choices: list[tuple[str, str]], on_pick):  # type: ignore[no-untyped-def]
        return ft.Dropdown(
            label=label,
            value=value or ALL,
            options=[ft.DropdownOption(key=ALL, text=t("hazards.all"))]
            + [ft.DropdownOption(key=key, text=text) for key, text in choices],
            on_select=lambda e: on_pick(None if e.control.value == ALL else e.control.value),
            width=180,
            text_size=16,
            enable_search=False,
        )

    def refilter(**changes: Any) -> None:
        model.set_filter(**changes)
        shell.render()

    def toggle_closed(_: object) -> None:
        model.show_closed(not model.showing_closed)
        shell.render()

    def toggle_filters(_: object) -> None:
        shell.hazard_screen.filters_open = not shell.hazard_screen.filters_open
        shell.render()

    active = model.active_filters()
    buttons = ft.Row(
        [
            big_button(
                t("hazards.filters", n=active) if active else t("hazards.filter"),
                toggle_filters,
                selected=shell.hazard_screen.filters_open,
                compact=True,
                icon=ft.Icons.FILTER_LIST,
            ),
            big_button(
                t("hazards.show_open") if model.showing_closed else t("hazards.show_closed"),
                toggle_closed,
                selected=False,
                compact=True,
                icon=ft.Icons.SWAP_HORIZ,
            ),
        ],
        wrap=True,
    )
    if not shell.hazard_screen.filters_open:
        return buttons
    return ft.Column(
        [
            buttons,
            ft.Row(
                [
                    dropdown(
                        t("hazards.filter_workshop"),
                        current.workshop_id,
                        options.workshops,
                        lambda v: refilter(workshop_id=v),
                    ),
                    dropdown(
                        t("hazards.filter_grade"),
                        current.grade.value if current.grade else None,
                        [(g.value, t(f"grade.{g.value}")) for g in Grade],
                        lambda v: refilter(grade=Grade(v) if v else None),
                    ),
                    dropdown(
                        t("hazards.filter_risk"),
                        current.risk.value if current.risk else None,
                        [(r.value, t(f"risk.{r.value}")) for r in Risk],
                        lambda v: refilter(risk=Risk(v) if v else None),
                    ),
                    dropdown(
                        t("hazards.filter_category"),
                        current.category,
                        [(c, t(f"category.{c}")) for c in options.categories],
                        lambda v: refilter(category=v),
                    ),
                    ft.Checkbox(
                        label=t("hazards.overdue_only"),
                        value=current.overdue_only,
                        on_change=lambda e: refilter(overdue_only=bool(e.control.value)),
                    ),
                ],
                wrap=True,
                spacing=8,
            ),
        ]
    )


def _row(shell: Shell, row: HazardRow) -> ft.Control:
    t = shell.t
    if row.thumbnail:
        leading: ft.Control = ft.Image(
            src=row.thumbnail,
            width=THUMB,
            height=THUMB,
            fit=ft.BoxFit.COVER,
            border_radius=6,
        )
    else:
        leading = ft.Container(
            ft.Icon(ft.Icons.WARNING, color=ft.Colors.WHITE, size=32),
            width=THUMB,
            height=THUMB,
            bgcolor=RISK_COLOURS[row.risk],
            border_radius=6,
            alignment=ft.Alignment.CENTER,
        )
    if row.overdue:
        due = t("hazards.overdue", days=-row.days_left)
    elif row.days_left == 0:
        due = t("hazards.due_today")
    else:
        due = t("hazards.days_left", days=row.days_left)
    selected = shell.hazard_screen.open_hazard == row.id
    return ft.Container(
        ft.ListTile(
            leading=leading,
            title=ft.Text(row.description, weight=ft.FontWeight.W_600, size=16),
            subtitle=ft.Text(
                f"{row.place}\n{t('grade.' + row.grade.value)} · {t('status.' + row.status.value)}"
                f" · {t('hazards.age', days=row.age_days)} · {due}",
                color=ft.Colors.RED_900 if row.overdue else ft.Colors.BLACK,
            ),
            is_three_line=True,
            min_height=MIN_TOUCH,
            selected=selected,
            on_click=lambda _, hid=row.id: open_hazard(shell, hid),
        ),
        border=ft.Border.only(left=ft.BorderSide(6, GRADE_COLOURS[row.grade])),
        bgcolor=ft.Colors.INDIGO_50 if selected else None,
    )


def open_hazard(shell: Shell, hazard_id: str | None) -> None:
    shell.hazard_screen.open(hazard_id)
    shell.render()
