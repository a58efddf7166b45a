"""The action forms of a hazard: the workflow steps the person may take now, then the form of
the one chosen, checked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.hazard import HazardStatus
from inspect_app.core.workflow import CommandType
from inspect_app.ui.viewmodels.hazards import (
    FieldKind,
    FormError,
    HazardDetailModel,
    HazardScreen,
    form_fields,
)
from inspect_app.ui.widgets import (
    big_button,
    card,
    photo_rows,
    status,
)

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

# Actions that change nothing but add to the record sit apart from the workflow steps.
SIDE_ACTIONS = (CommandType.COMMENT, CommandType.ADD_PHOTO, CommandType.VOID)
# Steps that send something back or say no, shown in red.
NAY_ACTIONS = (CommandType.VERIFY_FAIL, CommandType.REFUSE_EXTENSION)
# Fields entered by buttons or photos rather than typed.
BUTTON_KINDS = (FieldKind.PERSON, FieldKind.CHOICE, FieldKind.PHOTOS)


def field_key(name: str) -> str:
    """The scroll key of a form field's first row: scrolled to when it must be fixed."""
    return f"field.{name}"


def actions(shell: Shell, model: HazardDetailModel, scroller: ft.ListView) -> ft.Control:
    t = shell.t
    screen = shell.hazard_screen
    if screen.form is not None:
        return _form(shell, model, screen.form, scroller)
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


@dataclass
class _FormView:
    """The controls of a form shown now that its problems are written into, in place, without
    a redraw (a redraw would take the field from under the fingers and lose the scroll)."""

    scroller: ft.ListView
    typed: dict[str, ft.TextField] = field(default_factory=dict)
    slots: dict[str, ft.Column] = field(default_factory=dict)
    #: Where HQ's or the state machine's refusal of the whole form is said, above Send.
    refusal: ft.Column = field(default_factory=lambda: ft.Column(spacing=0))

    def refuse(self, said: str) -> None:
        self.refusal.controls = _problem_line(said)
        self.refusal.update()

    def show(self, problems: dict[str, str]) -> None:
        for name, text_field in self.typed.items():
            text_field.error = problems.get(name)
            text_field.update()
        for name, slot in self.slots.items():
            slot.controls = _problem_line(problems.get(name))
            slot.update()


def _form(
    shell: Shell, model: HazardDetailModel, command_type: CommandType, scroller: ft.ListView
) -> ft.Control:
    t = shell.t
    screen = shell.hazard_screen
    values = screen.values
    view = _FormView(scroller)
    rows: list[ft.Control] = []
    for form_field in form_fields(command_type, model.hazard):
        name = form_field.name
        problem = screen.field_errors.get(name)
        first = len(rows)
        label = t(f"field.{name}")
        if form_field.kind is FieldKind.DATE:
            label = t("form.date_label", field=label)
        if not form_field.required:
            label = f"{label} {t('form.optional')}"
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

            def add(data: bytes, photos: list[str] = photos, n: str = name) -> None:
                sha = model.add_photo(data)
                if sha not in photos:
                    photos.append(sha)
                screen.field_errors.pop(n, None)

            rows += photo_rows(shell, photos, add)
        else:
            multiline = form_field.kind is FieldKind.LONG_TEXT
            text_field = ft.TextField(
                label=label,
                value=values.get(name, ""),
                multiline=multiline,
                min_lines=2 if multiline else 1,
                text_size=18,
                keyboard_type=ft.KeyboardType.DATETIME
                if form_field.kind is FieldKind.DATE
                else None,
                error=problem,
                on_change=lambda e, n=name: _typed(screen, n, e.control),
            )
            view.typed[name] = text_field
            rows.append(text_field)
        if form_field.kind in BUTTON_KINDS:
            # Under the field's label (or its add button); a typed field shows its own.
            slot = ft.Column(_problem_line(problem), spacing=0)
            view.slots[name] = slot
            rows.insert(first + 1, slot)
        rows[first].key = ft.ScrollKey(field_key(name))
    view.refusal.controls = _problem_line(screen.error)
    rows.append(view.refusal)
    rows.append(
        ft.Row(
            [
                big_button(
                    t("form.send"),
                    lambda _: shell.page.run_task(_send, shell, model, command_type, view),
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


def _typed(screen: HazardScreen, name: str, text_field: ft.TextField) -> None:
    """Keep what is typed; a field being fixed drops its error in place."""
    screen.values[name] = text_field.value
    if screen.field_errors.pop(name, None) is not None:
        text_field.error = None
        text_field.update()


def _set_value(shell: Shell, name: str, value: str) -> None:
    shell.hazard_screen.values[name] = value
    shell.hazard_screen.field_errors.pop(name, None)
    shell.render()


def _cancel(shell: Shell) -> None:
    shell.hazard_screen.close_form()
    shell.render()


async def _send(
    shell: Shell,
    model: HazardDetailModel,
    command_type: CommandType,
    view: _FormView | None = None,
) -> None:
    t = shell.t
    screen = shell.hazard_screen
    try:
        decision = await shell.run_blocking(model.perform, command_type, dict(screen.values))
    except FormError as exc:
        kinds = {f.name: f.kind for f in form_fields(command_type, model.hazard)}
        screen.field_errors = {
            name: _said_problem(shell, name, kinds.get(name), screen.values.get(name))
            for name in exc.fields
        }
        if view is not None:
            # Every problem beside its field, the first brought into view.
            view.show(screen.field_errors)
            await view.scroller.scroll_to(scroll_key=field_key(exc.field), duration=300)
        return
    if not decision.applied:
        said = t.reason(decision.reason) if decision.reason else t(f"result.{decision.result}")
        screen.error = t("form.refused", reason=said)
        if view is not None:
            view.refuse(screen.error)  # beside Send, where the person is looking
        else:
            shell.render()
        return
    screen.close_form()
    if shell.background_sync is not None:
        shell.background_sync.trigger()
    shell.toast(t("form.done", action=t(f"action.{command_type.value}")))
    shell.render()


def _problem_line(problem: str | None) -> list[ft.Control]:
    return [status(problem, colour=ft.Colors.RED_900, bold=True)] if problem else []


def _said_problem(shell: Shell, name: str, kind: FieldKind | None, value: object) -> str:
    """What is wrong with one field, in the reader's language."""
    key = "form.required"
    if kind is FieldKind.PHOTOS:
        key = "form.need_photo"
    elif kind is FieldKind.DATE and value:
        key = "form.bad_date"
    return shell.t(key, field=shell.t(f"field.{name}"))
