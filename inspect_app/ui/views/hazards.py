"""Hazards tab: the filtered list in urgency order (one page of rows at a time), the detail with
photos, five-fix plan and extensions, a major hazard's control, governance plan, report and
supervision, the timeline, and the action forms; list and detail side by side on tablets. The
rates dashboard shares the tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.hazard import ExtensionStatus, HazardStatus
from inspect_app.core.workflow import CommandType
from inspect_app.ui.viewmodels.hazards import (
    FieldKind,
    FormError,
    HazardDetailModel,
    HazardListModel,
    HazardRow,
    form_fields,
)
from inspect_app.ui.views import dashboard
from inspect_app.ui.views.inspect import RISK_COLOURS
from inspect_app.ui.views.widgets import MIN_TOUCH, big_button, card, heading, photo_rows, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

LIST_PANE_WIDTH = 440
THUMB = 64
ALL = "all"
GRADE_COLOURS = {Grade.MAJOR: ft.Colors.RED_900, Grade.GENERAL: ft.Colors.BLUE_GREY_800}
# Actions that change nothing but add to the record sit apart from the workflow steps.
SIDE_ACTIONS = (CommandType.COMMENT, CommandType.ADD_PHOTO, CommandType.VOID)
# Steps that send something back or say no, shown in red.
NAY_ACTIONS = (CommandType.VERIFY_FAIL, CommandType.REFUSE_EXTENSION)
# What a timeline entry shows of its payload: the first of these it has.
TIMELINE_DETAIL = (
    "reason",
    "opinion",
    "text",
    "note",
    "measures",
    "targets",
    "authority",
    "body",
    "signed_off_by",
)


def build(shell: Shell) -> ft.Control:
    screen = shell.hazard_screen
    t = shell.t
    tabs = ft.Row(
        [
            big_button(
                t("hazards.tab_list"),
                lambda _: _set_mode(shell, "list"),
                selected=screen.mode == "list",
                compact=True,
                icon=ft.Icons.LIST,
            ),
            big_button(
                t("hazards.tab_rates"),
                lambda _: _set_mode(shell, "rates"),
                selected=screen.mode == "rates",
                compact=True,
                icon=ft.Icons.BAR_CHART,
            ),
        ],
        wrap=True,
    )
    if screen.mode == "rates":
        return ft.Column([tabs, dashboard.build(shell)], expand=True)
    if screen.open_hazard is None:
        return ft.Column([tabs, _list(shell)], expand=True)
    detail = _detail(shell)
    if not shell.wide:
        return detail
    return ft.Row(
        [
            ft.Container(ft.Column([tabs, _list(shell)], expand=True), width=LIST_PANE_WIDTH),
            ft.VerticalDivider(width=1),
            ft.Container(detail, expand=True),
        ],
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _set_mode(shell: Shell, mode: str) -> None:
    shell.hazard_screen.mode = mode
    shell.render()


# -- list ----------------------------------------------------------------------------------------


def _list(shell: Shell) -> ft.Control:
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
    photos = shell.ws.store.photos
    if row.thumbnail:
        leading: ft.Control = ft.Image(
            src=photos.thumb_path(row.thumbnail).read_bytes(),
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
            on_click=lambda _, hid=row.id: _open(shell, hid),
        ),
        border=ft.Border.only(left=ft.BorderSide(6, GRADE_COLOURS[row.grade])),
        bgcolor=ft.Colors.INDIGO_50 if selected else None,
    )


def _open(shell: Shell, hazard_id: str | None) -> None:
    shell.hazard_screen.open(hazard_id)
    shell.render()


# -- detail --------------------------------------------------------------------------------------


def _detail(shell: Shell) -> ft.Control:
    t, lang = shell.t, shell.lang
    screen = shell.hazard_screen
    assert screen.open_hazard is not None
    model = HazardDetailModel(shell.ws, screen.open_hazard, lang)
    hazard = model.hazard
    day = shell.ws.clock().date()
    rows: list[ft.Control] = [
        ft.TextButton(
            t("detail.back"), icon=ft.Icons.ARROW_BACK, on_click=lambda _: _open(shell, None)
        ),
        heading(hazard.description),
        ft.Row(
            [
                _chip(t(f"grade.{hazard.grade.value}"), GRADE_COLOURS[hazard.grade]),
                _chip(t(f"risk.{hazard.risk.value}"), RISK_COLOURS[hazard.risk]),
                _chip(t(f"status.{hazard.status.value}"), ft.Colors.INDIGO_800),
            ],
            wrap=True,
        ),
    ]
    if hazard.is_major:
        rows.append(status(t("detail.major_flag"), colour=ft.Colors.RED_900, bold=True))
    facts = [
        ft.Text(model.place(), size=16),
        ft.Text(t("detail.found", date=hazard.found_at[:10], who=model.person(hazard.found_by))),
        ft.Text(
            t("detail.deadline", date=hazard.deadline)
            + (
                f" · {t('hazards.overdue', days=-hazard.days_to_deadline(day))}"
                if hazard.is_overdue(day)
                else ""
            ),
            color=ft.Colors.RED_900 if hazard.is_overdue(day) else ft.Colors.BLACK,
            weight=ft.FontWeight.W_600,
        ),
    ]
    origin = model.origin()
    if origin:
        facts.append(ft.Text(t("detail.origin", item=origin[0])))
        if origin[1]:
            facts.append(ft.Text(t("detail.reference", ref=origin[1]), italic=True))
    if hazard.suggested_fix:
        facts.append(ft.Text(t("finding.fix", fix=hazard.suggested_fix), italic=True))
    if hazard.on_the_spot:
        facts.append(ft.Text(t("detail.on_the_spot", who=model.person(hazard.rectified_by))))
    if hazard.funds_spent:
        facts.append(ft.Text(t("detail.funds_spent", funds=hazard.funds_spent)))
    if hazard.verification_opinion:
        facts.append(ft.Text(t("detail.opinion", opinion=hazard.verification_opinion)))
    if hazard.void_reason:
        facts.append(status(t("detail.voided", reason=hazard.void_reason), bold=True))
    rows.append(ft.Column(facts, spacing=4))
    rows += _conflicts(shell, model)
    rows.append(_actions(shell, model))
    if hazard.is_major:
        rows.append(_major(shell, model))
    rows.append(_photos(shell, t("detail.before"), hazard.photos))
    if hazard.after_photos:
        rows.append(_photos(shell, t("detail.after"), hazard.after_photos))
    rows.append(_plan(shell, model))
    rows.append(_timeline(shell, model))
    return ft.ListView(rows, spacing=10, expand=True, padding=ft.Padding.only(right=8))


def _chip(text: str, colour: str) -> ft.Control:
    return ft.Container(
        ft.Text(text, color=ft.Colors.WHITE, weight=ft.FontWeight.W_600, size=15),
        bgcolor=colour,
        border_radius=14,
        padding=ft.Padding.symmetric(horizontal=12, vertical=4),
    )


def _photos(shell: Shell, title: str, photos: tuple[str, ...]) -> ft.Control:
    store = shell.ws.store.photos
    images: list[ft.Control] = []
    elsewhere = 0
    for sha in photos:
        path = store.path(sha) if store.has(sha) else store.thumb_path(sha)
        if not path.exists():
            elsewhere += 1
            continue
        images.append(
            ft.Image(
                src=path.read_bytes(),
                width=560,
                fit=ft.BoxFit.CONTAIN,
                border_radius=8,
                semantics_label=title,
            )
        )
    if elsewhere:
        images.append(ft.Text(shell.t("detail.photo_at_hq", n=elsewhere)))
    if not images:
        images.append(ft.Text(shell.t("home.nothing")))
    return card(title, images)


def _plan(shell: Shell, model: HazardDetailModel) -> ft.Control:
    t = shell.t
    hazard = model.hazard
    if hazard.plan is None:
        rows: list[ft.Control] = [ft.Text(t("detail.no_plan"))]
    else:
        plan = hazard.plan
        rows = [
            _fact(t("field.responsible_id"), model.person(plan.responsible_id)),
            _fact(t("field.measures"), plan.measures),
            _fact(t("field.funds"), plan.funds),
            _fact(t("plan.deadline"), plan.deadline),
            _fact(t("field.contingency"), plan.contingency or "—"),
        ]
    for extension in hazard.extensions:
        decision = t(f"extension.{extension.status.value}", who=model.person(extension.decided_by))
        rows.append(
            ft.Text(
                t(
                    "detail.extension_row",
                    previous=extension.previous_deadline,
                    new=extension.new_deadline,
                    reason=extension.reason,
                    who=model.person(extension.requested_by),
                    status=decision,
                ),
                color=ft.Colors.ORANGE_900
                if extension.status is ExtensionStatus.REQUESTED
                else ft.Colors.BLACK,
            )
        )
    return card(t("detail.plan"), rows)


def _major(shell: Shell, model: HazardDetailModel) -> ft.Control:
    """A major hazard's interim control, governance plan, report and official supervision."""
    t = shell.t
    hazard = model.hazard
    rows: list[ft.Control] = []
    control = hazard.control
    if control is None:
        rows.append(ft.Text(t("detail.no_control")))
    else:
        rows.append(
            ft.Text(
                t(
                    "detail.control",
                    kind=t(f"choice.{control.kind.value}"),
                    who=model.person(control.set_by),
                    at=_when(control.set_at),
                ),
                weight=ft.FontWeight.W_600,
            )
        )
        rows.append(_photos(shell, t(f"choice.{control.kind.value}"), control.photos))
    plan = hazard.governance
    rows.append(ft.Text(t("detail.governance"), size=17, weight=ft.FontWeight.W_600))
    if plan is None:
        rows.append(ft.Text(t("detail.no_governance")))
    else:
        rows += [
            _fact(t("field.targets"), plan.targets),
            _fact(t("field.methods"), plan.methods),
            _fact(t("field.funds_materials"), plan.funds_materials),
            _fact(t("field.organisation"), plan.organisation),
            _fact(t("plan.deadline"), plan.deadline),
            _fact(t("field.safety_measures"), plan.safety_measures),
            _fact(t("field.emergency_plan"), plan.emergency_plan),
            ft.Text(
                t(
                    "detail.governance_submitted",
                    who=model.person(plan.submitted_by),
                    at=_when(plan.submitted_at),
                )
            ),
        ]
        if plan.approved_by and plan.approved_at:
            approved = t(
                "detail.governance_approved",
                who=model.person(plan.approved_by),
                at=_when(plan.approved_at),
            )
            rows.append(ft.Text(approved, weight=ft.FontWeight.W_600))
        else:
            rows.append(status(t("detail.governance_waiting"), colour=ft.Colors.ORANGE_900))
    report = hazard.report
    if report is None:
        rows.append(ft.Text(t("detail.no_report")))
    else:
        rows.append(
            ft.Text(
                t(
                    "detail.report",
                    authority=report.authority,
                    date=report.reported_on,
                    who=model.person(report.reported_by),
                )
            )
        )
    supervision = hazard.supervision
    if supervision is not None:
        rows.append(
            ft.Text(
                t("detail.supervision", body=supervision.body, date=supervision.deadline),
                weight=ft.FontWeight.W_600,
            )
        )
        if supervision.signed_off_by and supervision.signed_off_on:
            signed = t(
                "detail.signed_off", who=supervision.signed_off_by, date=supervision.signed_off_on
            )
            rows.append(ft.Text(signed))
            if supervision.sign_off_note:
                rows.append(ft.Text(supervision.sign_off_note, italic=True))
        else:
            rows.append(status(t("detail.not_signed_off"), colour=ft.Colors.ORANGE_900))
    return card(t("detail.major_path"), rows)


def _when(timestamp: str) -> str:
    return timestamp[:16].replace("T", " ")


def _fact(label: str, value: str) -> ft.Control:
    return ft.Text(
        spans=[
            ft.TextSpan(f"{label}: ", ft.TextStyle(weight=ft.FontWeight.W_600)),
            ft.TextSpan(value),
        ],
        size=16,
    )


def _timeline(shell: Shell, model: HazardDetailModel) -> ft.Control:
    t = shell.t
    rows: list[ft.Control] = []
    for entry in model.timeline():
        event = entry.event
        when = _when(event.recorded_at or event.observed_at)
        where = event.device_id if event.server_seq is not None else t("detail.not_synced")
        detail = next(
            (str(event.payload[key]) for key in TIMELINE_DETAIL if event.payload.get(key)), ""
        )
        colour = ft.Colors.BLACK if entry.applied else ft.Colors.RED_900
        lines = [
            ft.Text(
                f"{t('action.' + event.type)} · {entry.who}",
                weight=ft.FontWeight.W_600,
                color=colour,
            ),
            ft.Text(f"{when} · {where}", size=13, color=ft.Colors.BLUE_GREY_800),
        ]
        if detail:
            lines.append(ft.Text(detail))
        if not entry.applied:
            lines.append(
                ft.Text(t("detail.conflict", reason=event.reason or event.result), color=colour)
            )
        rows.append(
            ft.Container(
                ft.Column(lines, spacing=2),
                border=ft.Border.only(left=ft.BorderSide(3, colour)),
                padding=ft.Padding.only(left=10, top=2, bottom=2),
            )
        )
    return card(t("detail.timeline"), rows or [ft.Text(t("home.nothing"))])


def _conflicts(shell: Shell, model: HazardDetailModel) -> list[ft.Control]:
    t = shell.t
    shown: list[ft.Control] = []
    for mine, winner in model.conflicts():
        text = t(
            "detail.conflict_pair",
            mine=t(f"action.{mine.event.type}"),
            who=mine.who,
            winner=t(f"action.{winner.event.type}") if winner else "—",
            winner_who=winner.who if winner else "—",
        )
        shown.append(
            ft.Container(
                status(text, colour=ft.Colors.RED_900, bold=True),
                border=ft.Border.all(2, ft.Colors.RED_700),
                border_radius=8,
                padding=ft.Padding.all(10),
            )
        )
    return shown


# -- actions -------------------------------------------------------------------------------------


def _actions(shell: Shell, model: HazardDetailModel) -> ft.Control:
    t = shell.t
    screen = shell.hazard_screen
    if screen.form is not None:
        return _form(shell, model, screen.form)
    actions = model.actions()
    # Workflow steps as big filled buttons (failing a verification in red); comments, photos and
    # voiding as smaller outlined ones beneath.
    steps = [a for a in actions if a not in SIDE_ACTIONS]
    side = [a for a in actions if a in SIDE_ACTIONS]
    rows: list[ft.Control] = [
        ft.Row(
            [
                big_button(
                    t(f"action.{a.value}"),
                    lambda _, a=a: _choose_action(shell, model, a),
                    colour=ft.Colors.RED_800 if a in NAY_ACTIONS else ft.Colors.INDIGO_800,
                    selected=a in steps,
                    compact=a in side,
                )
                for a in group
            ],
            wrap=True,
        )
        for group in (steps, side)
        if group
    ]
    if model.hazard.status is HazardStatus.SUBMITTED and model.is_excluded_from_verifying():
        rows.append(status(t("detail.verify_refused"), colour=ft.Colors.ORANGE_900))
    if needs := model.closing_needs():
        what = "; ".join(t(f"detail.needs_{need}") for need in needs)
        rows.append(status(t("detail.closing_needs", what=what), colour=ft.Colors.ORANGE_900))
    if not actions:
        rows.append(ft.Text(t("detail.no_actions")))
    return card(t("detail.actions"), rows)


def _choose_action(shell: Shell, model: HazardDetailModel, command_type: CommandType) -> None:
    if form_fields(command_type, model.hazard):
        shell.hazard_screen.start_form(command_type)
        shell.render()
    else:
        shell.page.run_task(_send, shell, model, command_type)


def _form(shell: Shell, model: HazardDetailModel, command_type: CommandType) -> ft.Control:
    t = shell.t
    screen = shell.hazard_screen
    values = screen.values
    rows: list[ft.Control] = []
    for form_field in form_fields(command_type, model.hazard):
        label = t(f"field.{form_field.name}")
        if not form_field.required:
            label = f"{label} {t('form.optional')}"
        name = form_field.name
        if form_field.kind is FieldKind.PERSON:
            rows.append(ft.Text(label, size=16))
            rows.append(
                ft.Row(
                    [
                        big_button(
                            person,
                            lambda _, n=name, pid=pid: _set_value(shell, n, pid),
                            selected=values.get(name) == pid,
                            compact=True,
                        )
                        for pid, person in model.people_for_plan()
                    ],
                    wrap=True,
                )
            )
        elif form_field.kind is FieldKind.CHOICE:
            rows.append(ft.Text(label, size=16))
            rows.append(
                ft.Row(
                    [
                        big_button(
                            t(f"choice.{option}"),
                            lambda _, n=name, o=option: _set_value(shell, n, o),
                            selected=values.get(name) == option,
                            compact=True,
                        )
                        for option in form_field.options
                    ],
                    wrap=True,
                )
            )
        elif form_field.kind is FieldKind.PHOTOS:
            photos: list[str] = values.setdefault(name, [])

            def add(data: bytes, photos: list[str] = photos) -> None:
                sha = model.add_photo(data)
                if sha not in photos:
                    photos.append(sha)

            rows += photo_rows(shell, photos, add)
        else:
            multiline = form_field.kind is FieldKind.LONG_TEXT
            rows.append(
                ft.TextField(
                    label=label,
                    value=values.get(name, ""),
                    multiline=multiline,
                    min_lines=2 if multiline else 1,
                    text_size=18,
                    keyboard_type=ft.KeyboardType.DATETIME
                    if form_field.kind is FieldKind.DATE
                    else None,
                    on_change=lambda e, n=name: values.__setitem__(n, e.control.value),
                )
            )
    if screen.error:
        rows.append(status(screen.error, colour=ft.Colors.RED_900, bold=True))
    rows.append(
        ft.Row(
            [
                big_button(
                    t("form.send"),
                    lambda _: shell.page.run_task(_send, shell, model, command_type),
                    icon=ft.Icons.SEND,
                ),
                big_button(t("form.cancel"), lambda _: _cancel(shell), selected=False),
            ],
            wrap=True,
        )
    )
    return ft.Container(
        card(t(f"action.{command_type.value}"), rows, stretch=True),
        border=ft.Border.all(3, ft.Colors.INDIGO_700),
        border_radius=12,
    )


def _set_value(shell: Shell, name: str, value: str) -> None:
    shell.hazard_screen.values[name] = value
    shell.render()


def _cancel(shell: Shell) -> None:
    shell.hazard_screen.close_form()
    shell.render()


async def _send(shell: Shell, model: HazardDetailModel, command_type: CommandType) -> None:
    t = shell.t
    screen = shell.hazard_screen
    try:
        decision = await shell.run_blocking(model.perform, command_type, dict(screen.values))
    except FormError as exc:
        kind = next(f.kind for f in form_fields(command_type, model.hazard) if f.name == exc.field)
        key = {FieldKind.PHOTOS: "form.need_photo", FieldKind.DATE: "form.bad_date"}.get(
            kind, "form.required"
        )
        if kind is FieldKind.DATE and not screen.values.get(exc.field):
            key = "form.required"
        screen.error = t(key, field=t(f"field.{exc.field}"))
        shell.render()
        return
    if not decision.applied:
        screen.error = t("form.refused", reason=decision.message)
        shell.render()
        return
    screen.close_form()
    if shell.background_sync is not None:
        shell.background_sync.trigger()
    shell.toast(t("form.done", action=t(f"action.{command_type.value}")))
    shell.render()
