"""Inspect: pick a checklist, workshop, area and equipment; then walk the items, with a finding
card right under a failed item, and finish on a summary that names what still blocks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.checklist import Grade, ItemType, Risk
from inspect_app.core.evaluation import BlockReason, Outcome, evaluate
from inspect_app.core.inspection import Finding, PassFail
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.ui.viewmodels.walk import WalkViewModel
from inspect_app.ui.views.widgets import MIN_TOUCH, big_button, card, heading, photo_rows, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

OPEN_INSPECTION = "open_inspection"
RISK_COLOURS = {
    Risk.RED: ft.Colors.RED_800,
    Risk.ORANGE: ft.Colors.ORANGE_900,
    Risk.YELLOW: ft.Colors.AMBER_900,
    Risk.BLUE: ft.Colors.BLUE_800,
}
CATEGORY_ICONS = {
    "fire": ft.Icons.LOCAL_FIRE_DEPARTMENT,
    "electrical": ft.Icons.BOLT,
    "special_equipment": ft.Icons.PRECISION_MANUFACTURING,
    "flood_season": ft.Icons.WATER_DROP,
    "environment": ft.Icons.ENGINEERING,
    "other": ft.Icons.CHECKLIST,
}


def build(shell: Shell) -> ft.Control:
    if shell.open_inspection:
        return _walk(shell)
    return _start(shell)


# -- start ---------------------------------------------------------------------------------------


def _start(shell: Shell) -> ft.Control:
    t, ws, lang = shell.t, shell.ws, shell.lang
    state = shell.start_state
    user = ws.user
    rows: list[ft.Control] = [heading(t("start.title"))]
    chosen = state.get("checklist")
    # Once a checklist is picked only it stays (tap it to change), so the next choices are in view.
    shown = [ws.catalog.latest(chosen)] if chosen else ws.catalog.latest_checklists()
    checklists = [
        ft.ListTile(
            leading=ft.Icon(
                CATEGORY_ICONS.get(c.category.value, ft.Icons.CHECKLIST),
                color=ft.Colors.INDIGO_800,
                size=32,
            ),
            title=ft.Text(c.title.get(lang), weight=ft.FontWeight.W_600),
            subtitle=ft.Text(f"v{c.version} · {c.item_count}"),
            selected=chosen == c.id,
            min_height=MIN_TOUCH,
            on_click=lambda _, cid=c.id: _choose(
                shell, checklist=None if chosen else cid, workshop=None, area=None, asset=None
            ),
        )
        for c in shown
    ]
    rows.append(card(t("start.checklist"), checklists))
    if chosen:
        checklist = ws.catalog.latest(chosen)
        workshops = [w for w in ws.catalog.site.workshops if user.can_act_in(w.id)]
        rows.append(
            card(
                t("start.workshop"),
                [
                    ft.Row(
                        [
                            big_button(
                                w.name.get(lang),
                                lambda _, wid=w.id: _choose(
                                    shell, workshop=wid, area=None, asset=None
                                ),
                                selected=state.get("workshop") == w.id,
                            )
                            for w in workshops
                        ],
                        wrap=True,
                    )
                ],
            )
        )
        workshop = ws.catalog.site.workshop(state.get("workshop") or "")
        if workshop:
            rows.append(
                card(
                    t("start.area"),
                    [
                        ft.Row(
                            [
                                big_button(
                                    a.name.get(lang),
                                    lambda _, aid=a.id: _choose(shell, area=aid),
                                    selected=state.get("area") == a.id,
                                )
                                for a in workshop.areas
                            ],
                            wrap=True,
                        )
                    ],
                )
            )
            if checklist.asset_type:
                assets = ws.catalog.site.equipment_of_type(checklist.asset_type)
                rows.append(
                    card(
                        t("start.asset"),
                        [
                            ft.Row(
                                [
                                    big_button(
                                        f"{e.asset_id} {e.name.get(lang)}",
                                        lambda _, aid=e.asset_id: _choose(shell, asset=aid),
                                        selected=state.get("asset") == e.asset_id,
                                    )
                                    for e in assets
                                ],
                                wrap=True,
                            )
                        ],
                    )
                )
            ready = not checklist.asset_type or state.get("asset")
            rows.append(
                big_button(
                    t("start.begin"),
                    lambda _: _begin(shell),
                    selected=bool(ready),
                    icon=ft.Icons.PLAY_ARROW,
                )
            )
    return ft.ListView(rows, spacing=12, expand=True)


def _choose(shell: Shell, **changes: str | None) -> None:
    shell.start_state.update(changes)
    shell.render()


def _begin(shell: Shell) -> None:
    state = shell.start_state
    service = InspectionService(shell.ws)
    try:
        inspection = service.start(
            shell.ws.catalog.latest(state["checklist"]),
            state["workshop"],
            state.get("area"),
            state.get("asset"),
        )
    except InspectionError as exc:
        shell.toast(str(exc), error=True)
        return
    shell.start_state.clear()
    _open(shell, inspection.id)


def _open(shell: Shell, inspection_id: str) -> None:
    shell.ws.store.set_meta(OPEN_INSPECTION, inspection_id)
    shell.navigate("inspect", inspection_id)


# -- walk ----------------------------------------------------------------------------------------


def _vm(shell: Shell) -> WalkViewModel:
    vm = shell.walk_vm
    if vm is None or vm.inspection.id != shell.open_inspection or vm.lang != shell.lang:
        vm = WalkViewModel(InspectionService(shell.ws), shell.open_inspection or "", shell.lang)
        shell.walk_vm = vm
    return vm


def _walk(shell: Shell) -> ft.Control:
    t, lang = shell.t, shell.lang
    vm = _vm(shell)
    step = vm.step
    progress = vm.progress()
    header = ft.Column(
        [
            ft.Row(
                [
                    ft.Text(
                        vm.checklist.title.get(lang),
                        size=16,
                        color=ft.Colors.BLUE_GREY_800,
                        expand=True,
                    ),
                    ft.TextButton(
                        t("summary.title"),
                        icon=ft.Icons.LIST_ALT,
                        on_click=lambda _: _to_summary(shell, vm),
                    ),
                ]
            ),
            ft.Row(
                [
                    ft.ProgressBar(
                        value=progress.answered / max(progress.total, 1),
                        expand=True,
                        color=ft.Colors.INDIGO_700,
                    ),
                    ft.Text(
                        t("walk.progress", done=progress.answered, total=progress.total),
                        size=18,
                        weight=ft.FontWeight.BOLD,
                    ),
                ]
            ),
        ],
        spacing=4,
    )
    if step.kind == "units":
        body = _units(shell, vm)
    elif step.kind == "item":
        body = _item(shell, vm)
    else:
        body = _summary(shell, vm)
    nav = (
        ft.Row(
            [
                big_button(
                    t("walk.back"),
                    lambda _: _move(shell, vm, -1),
                    selected=False,
                    expand=True,
                    icon=ft.Icons.ARROW_BACK,
                ),
                big_button(
                    t("walk.finish") if vm.index == len(vm.steps()) - 2 else t("walk.next"),
                    lambda _: _move(shell, vm, 1),
                    expand=True,
                    icon=ft.Icons.ARROW_FORWARD,
                ),
            ]
        )
        if step.kind != "summary"
        else ft.Row(
            [
                big_button(
                    t("walk.back"),
                    lambda _: _move(shell, vm, -1),
                    selected=False,
                    expand=True,
                    icon=ft.Icons.ARROW_BACK,
                )
            ]
        )
    )
    if vm.inspection.is_submitted:
        nav = ft.Row([])
    main = ft.Column([header, ft.Container(body, expand=True), nav], expand=True)
    if not shell.wide:
        return main
    # Tablets and desktops: the list of steps beside the current one (list/detail).
    return ft.Row(
        [ft.Container(_step_list(shell, vm), width=320), ft.VerticalDivider(width=1), main],
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


STEP_ICONS = {
    Outcome.PASS: (ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_800),
    Outcome.FAIL: (ft.Icons.CANCEL, ft.Colors.RED_800),
    Outcome.NA: (ft.Icons.REMOVE_CIRCLE_OUTLINE, ft.Colors.BLUE_GREY_600),
    Outcome.RECORDED: (ft.Icons.CHECK_CIRCLE_OUTLINE, ft.Colors.GREEN_800),
}


def _step_list(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t, lang = shell.t, shell.lang
    today = vm.today()
    tiles = []
    for index, step in enumerate(vm.steps()):
        if step.kind == "item" and step.slot:
            answer = vm.inspection.answer(step.slot.item.id, step.slot.tag)
            icon, colour = STEP_ICONS.get(
                evaluate(step.slot.item, answer, today),
                (ft.Icons.RADIO_BUTTON_UNCHECKED, ft.Colors.BLUE_GREY_400),
            )
            tag = f"[{step.slot.tag}] " if step.slot.tag else ""
            title = tag + step.slot.item.prompt.get(lang)
        elif step.kind == "units" and step.section:
            icon, colour = ft.Icons.ADD_BOX_OUTLINED, ft.Colors.INDIGO_800
            title = step.section.title.get(lang)
        else:
            icon, colour = ft.Icons.LIST_ALT, ft.Colors.INDIGO_800
            title = t("summary.title")
        tiles.append(
            ft.ListTile(
                leading=ft.Icon(icon, color=colour),
                title=ft.Text(title, size=14, max_lines=2),
                selected=index == vm.index,
                dense=True,
                on_click=lambda _, i=index: _move(shell, vm, i - vm.index),
            )
        )
    return ft.ListView(tiles, spacing=0)


def _to_summary(shell: Shell, vm: WalkViewModel) -> None:
    vm.go_to_summary()
    shell.render()


def _move(shell: Shell, vm: WalkViewModel, delta: int) -> None:
    vm.go(delta)
    shell.render()


def _units(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t, lang = shell.t, shell.lang
    section = vm.step.section
    assert section is not None and section.repeat is not None
    unit = section.repeat.unit.get(lang)
    tag_field = ft.TextField(
        label=section.repeat.tag_prompt.get(lang),
        text_size=18,
        on_submit=lambda e: _add_unit(shell, vm, e.control.value),
    )
    tags = ", ".join(vm.units()) or t("walk.none_yet")
    return ft.ListView(
        [
            heading(section.title.get(lang)),
            ft.Text(t("walk.units", unit=unit, tags=tags), size=16),
            tag_field,
            big_button(
                t("walk.add_unit", unit=unit),
                lambda _: _add_unit(shell, vm, tag_field.value),
                icon=ft.Icons.ADD,
            ),
        ],
        spacing=12,
    )


def _add_unit(shell: Shell, vm: WalkViewModel, tag: str) -> None:
    try:
        vm.add_unit(tag or "")
    except InspectionError as exc:
        shell.toast(str(exc), error=True)
        return
    vm.go(1)
    shell.render()


def _item(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t, lang = shell.t, shell.lang
    slot = vm.step.slot
    assert slot is not None
    item = slot.item
    title = slot.section.title.get(lang) + (f" · {slot.tag}" if slot.tag else "")
    rows: list[ft.Control] = [
        ft.Text(title, size=15, color=ft.Colors.BLUE_GREY_800),
        ft.Text(item.prompt.get(lang), size=22, weight=ft.FontWeight.BOLD, color=ft.Colors.BLACK),
    ]
    if item.guidance:
        rows.append(ft.Text(f"{t('walk.guidance')}: {item.guidance.get(lang)}", size=15))
    if item.reference:
        rows.append(
            ft.Text(t("walk.reference", ref=item.reference), size=13, color=ft.Colors.BLUE_GREY_700)
        )
    rows.append(_input(shell, vm))
    if vm.outcome() is Outcome.FAIL:
        rows.append(_finding(shell, vm))
    if item.type is not ItemType.TEXT:
        note = vm.answer.note if vm.answer else ""
        rows.append(
            ft.TextField(
                label=t("walk.note"),
                value=note,
                multiline=True,
                on_blur=lambda e: vm.set_note(e.control.value or "", slot),
            )
        )
    return ft.ListView(rows, spacing=10)


def _answer(shell: Shell, vm: WalkViewModel, value: str | None) -> None:
    vm.set_value(value)
    shell.render()


def _input(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t, lang = shell.t, shell.lang
    item = vm.item
    value = vm.answer.value if vm.answer else None
    if item.type is ItemType.PASS_FAIL:
        choices = [
            (PassFail.PASS, t("walk.pass"), ft.Colors.GREEN_800),
            (PassFail.FAIL, t("walk.fail"), ft.Colors.RED_800),
        ]
        if item.allow_na:
            choices.append((PassFail.NA, t("walk.na"), ft.Colors.BLUE_GREY_700))
        return ft.Row(
            [
                big_button(
                    label,
                    lambda _, v=v.value: _answer(shell, vm, v),
                    colour=colour,
                    selected=value == v.value,
                    expand=True,
                )
                for v, label, colour in choices
            ]
        )
    if item.type is ItemType.CHOICE:
        return ft.Row(
            [
                big_button(
                    o.label.get(lang),
                    lambda _, v=o.value: _answer(shell, vm, v),
                    colour=ft.Colors.RED_800 if o.value in item.fail_on else ft.Colors.INDIGO_800,
                    selected=value == o.value,
                )
                for o in item.options
            ],
            wrap=True,
        )
    if item.type is ItemType.READING:
        return _reading(shell, vm)
    if item.type is ItemType.DATE:
        field = ft.TextField(
            label=t("walk.date_hint"),
            value=str(value or ""),
            text_size=18,
            on_blur=lambda e: _answer(shell, vm, e.control.value or None),
            on_submit=lambda e: _answer(shell, vm, e.control.value or None),
        )
        today = vm.today().isoformat()
        extra = (
            [big_button(t("walk.na"), lambda _: _answer(shell, vm, "na"), selected=False)]
            if item.allow_na
            else []
        )
        return ft.Row(
            [
                field,
                big_button(t("walk.today"), lambda _: _answer(shell, vm, today), selected=False),
                *extra,
            ],
            wrap=True,
        )
    if item.type is ItemType.PHOTO:
        return _photo_row(shell, vm)
    return ft.TextField(
        label=t("walk.note"),
        value=str(value or ""),
        multiline=True,
        on_blur=lambda e: _answer(shell, vm, e.control.value or None),
    )


def _reading(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t = shell.t
    item = vm.item
    assert item.pass_if is not None
    limits = " ".join(
        part
        for part in (
            f"≥ {item.pass_if.min:g}" if item.pass_if.min is not None else "",
            f"≤ {item.pass_if.max:g}" if item.pass_if.max is not None else "",
        )
        if part
    )
    badge = ft.Text(size=18, weight=ft.FontWeight.BOLD)
    announced = ft.Semantics(content=badge, container=True, live_region=True)

    def show(outcome: Outcome) -> None:
        badge.value = {
            Outcome.PASS: t("walk.reading_pass"),
            Outcome.FAIL: t("walk.reading_fail"),
        }.get(outcome, "")
        announced.label = badge.value
        badge.color = ft.Colors.GREEN_800 if outcome is Outcome.PASS else ft.Colors.RED_800

    def changed(e: ft.ControlEvent) -> None:
        outcome = vm.set_value(e.control.value or None)
        show(outcome)
        # A reading that flips to fail opens the finding card right away.
        if (outcome is Outcome.FAIL) != shell.reading_failed:
            shell.reading_failed = outcome is Outcome.FAIL
            shell.render()
        else:
            announced.update()

    show(vm.outcome())
    shell.reading_failed = vm.outcome() is Outcome.FAIL
    value = vm.answer.value if vm.answer else ""
    field = ft.TextField(
        label=f"{item.unit}",
        value=str(value or ""),
        suffix=item.unit,
        keyboard_type=ft.KeyboardType.NUMBER,
        text_size=22,
        width=220,
        on_change=changed,
    )
    return ft.Column(
        [
            ft.Row([field, announced], wrap=True),
            ft.Text(t("walk.limit", limit=f"{limits} {item.unit}"), size=15),
        ]
    )


def _finding(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t = shell.t
    finding = vm.finding()

    def save(**changes: object) -> None:
        current = vm.finding()
        vm.save_finding(
            Finding(
                **{
                    "description": current.description,
                    "grade": current.grade,
                    "risk": current.risk,
                    **changes,
                }
            )
        )
        shell.render()

    description = ft.TextField(
        label=t("finding.description"),
        value=finding.description,
        multiline=True,
        text_size=17,
        on_blur=lambda e: save(description=e.control.value),
    )
    grades = ft.Row(
        [
            big_button(
                t(f"grade.{g.value}"),
                lambda _, g=g: save(grade=g),
                colour=ft.Colors.RED_900 if g is Grade.MAJOR else ft.Colors.BLUE_GREY_800,
                selected=finding.grade is g,
            )
            for g in Grade
        ],
        wrap=True,
    )
    risks = ft.Row(
        [
            big_button(
                t(f"risk.{r.value}"),
                lambda _, r=r: save(risk=r),
                colour=RISK_COLOURS[r],
                selected=finding.risk is r,
                compact=True,
            )
            for r in Risk
        ],
        wrap=True,
    )
    rows: list[ft.Control] = [
        # Evidence first: with gloves on, the photo button should be the first thing in reach.
        _photo_row(shell, vm),
        description,
        ft.Text(t("finding.grade")),
        grades,
        ft.Text(t("finding.risk")),
        risks,
    ]
    fix = vm.suggested_fix()
    if fix:
        rows.append(ft.Text(t("finding.fix", fix=fix), size=15, italic=True))
    return ft.Container(
        card(t("finding.title"), rows), border=ft.Border.all(3, ft.Colors.RED_700), border_radius=12
    )


def _photo_row(shell: Shell, vm: WalkViewModel) -> ft.Control:
    photos = vm.answer.photos if vm.answer else ()
    rows = photo_rows(shell, photos, vm.add_photo)
    if not photos and vm.photo_required():
        rows.append(status(shell.t("finding.photo_required"), colour=ft.Colors.RED_900, bold=True))
    return ft.Column(rows)


def _summary(shell: Shell, vm: WalkViewModel) -> ft.Control:
    t, lang = shell.t, shell.lang
    rows: list[ft.Control] = [heading(t("summary.title"))]
    failures = vm.failures()
    rows.append(
        status(t("summary.failures", n=len(failures)), colour=ft.Colors.RED_900, size=18, bold=True)
    )
    for failure in failures:
        tag = f"[{failure.slot.tag}] " if failure.slot.tag else ""
        finding = failure.answer.finding
        text = (finding.description if finding else "") or failure.slot.item.prompt.get(lang)
        rows.append(ft.Text(f"• {tag}{text}", size=16))
    if vm.inspection.is_submitted:
        rows.append(status(t("summary.readonly"), bold=True))
        rows.append(
            big_button(
                t("export.report"),
                lambda _: _export_report(shell, vm.inspection.id),
                icon=ft.Icons.PICTURE_AS_PDF,
                selected=False,
            )
        )
        return ft.ListView(rows, spacing=8)
    blockers = vm.blockers()
    if blockers:
        rows.append(ft.Text(t("summary.blocked"), size=18, weight=ft.FontWeight.W_600))
        for blocker in blockers:
            rows.append(
                ft.TextButton(
                    _blocker_text(shell, vm, blocker),
                    on_click=lambda _, b=blocker: _jump(shell, vm, b),
                )
            )
    signature = ft.TextField(
        label=t("summary.sign"), text_size=18, value=shell.ws.user.name.get(lang)
    )
    rows.append(signature)
    rows.append(
        big_button(
            t("summary.submit"),
            lambda _: _submit(shell, vm, signature.value),
            selected=not blockers,
            icon=ft.Icons.SEND,
        )
    )
    return ft.ListView(rows, spacing=8)


def _export_report(shell: Shell, inspection_id: str) -> None:
    from inspect_app.exports import documents  # heavy; only when asked for (see Shell.export)

    shell.page.run_task(
        shell.export,
        f"inspection-{inspection_id[:8]}.pdf",
        lambda: documents.inspection_report(shell.ws, inspection_id, shell.lang),
    )


def _blocker_text(shell: Shell, vm: WalkViewModel, blocker) -> str:  # type: ignore[no-untyped-def]
    t, lang = shell.t, shell.lang
    if blocker.reason is BlockReason.TOO_FEW_INSTANCES:
        section = next(s for s in vm.checklist.sections if s.id == blocker.section_id)
        return t("block.too_few_instances", unit=section.repeat.unit.get(lang))
    item = vm.checklist.item(blocker.item_id).prompt.get(lang)
    label = f"[{blocker.tag}] {item}" if blocker.tag else item
    return t(f"block.{blocker.reason.value}", item=label)


def _jump(shell: Shell, vm: WalkViewModel, blocker) -> None:  # type: ignore[no-untyped-def]
    vm.go_to_blocker(blocker)
    shell.render()


def _submit(shell: Shell, vm: WalkViewModel, name: str | None) -> None:
    if vm.blockers():
        shell.toast(shell.t("summary.blocked"), error=True)
        return
    try:
        submission = vm.submit(name or "")
    except InspectionError as exc:
        shell.toast(str(exc), error=True)
        return
    shell.ws.store.set_meta(OPEN_INSPECTION, None)
    if shell.background_sync is not None:
        shell.background_sync.trigger()
    shell.toast(shell.t("summary.submitted", n=len(submission.hazards)))
    shell.render()
