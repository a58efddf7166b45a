"""Inspect: the start screen, then the walk through an inspection one step at a time, with the
finding card in place under a failed item, ending on the summary.

The walk's controls are built once per step and kept across the shell's redraws (a resize, a sync
report): a field being typed in is never replaced, so it keeps its focus and every key, and
leaving it never eats the next tap. What an answer changes (the verdict, the finding card, the
progress) is updated in place. Pass and N/A answer and move on; Fail opens the finding."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.checklist import Grade, ItemType, Risk
from inspect_app.core.evaluation import Blocker, Outcome, Slot, evaluate
from inspect_app.core.inspection import PassFail
from inspect_app.photos import PhotoError
from inspect_app.services.inspections import InspectionError
from inspect_app.ui.i18n import local_time
from inspect_app.ui.screens.inspect import start, summary
from inspect_app.ui.viewmodels.walk import WalkViewModel
from inspect_app.ui.widgets import MIN_TOUCH, RISK_COLOURS, big_button, card, heading, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

#: How long a tapped Pass or N/A shows as chosen before the next item appears.
CONFIRM_S = 0.25
STEP_ICONS = {
    Outcome.PASS: (ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_800),
    Outcome.FAIL: (ft.Icons.CANCEL, ft.Colors.RED_800),
    Outcome.NA: (ft.Icons.REMOVE_CIRCLE_OUTLINE, ft.Colors.BLUE_GREY_600),
    Outcome.RECORDED: (ft.Icons.CHECK_CIRCLE_OUTLINE, ft.Colors.GREEN_800),
}
#: Outcomes after which an item is done and the walk moves on by itself.
DONE = (Outcome.PASS, Outcome.NA, Outcome.RECORDED)
#: What a reading may hold as it is typed: a leading minus, digits, one decimal point. A key that
#: would make the field not match is refused (the pattern must match the whole field).
NUMBER_FILTER = ft.InputFilter(regex_string=r"^-?\d*\.?\d*$", allow=True)
#: How far back the date picker goes for an item with no age limit.
OLDEST_DATE_DAYS = 10 * 365


def build(shell: Shell) -> ft.Control:
    """The walk through the inspection the route names, else the start screen."""
    inspection_id = shell.open_inspection
    screen = shell.walk_screen(inspection_id) if inspection_id else None
    if screen is None:
        return start.build(shell)
    return screen.control()


class WalkScreen:
    """The controls of the step on screen. Every handler carries the step it was built for
    (``origin``) and the item (``slot``): a tap or a key that arrives after the walk moved on acts
    on what the person saw, and a second tap of a double tap does not move again."""

    def __init__(self, shell: Shell, vm: WalkViewModel) -> None:
        self.shell = shell
        self.vm = vm
        self._built_for: tuple[object, ...] | None = None
        self._root: ft.Control = ft.Container()
        self._taps = 0
        # The parts of the step on screen that change in place.
        self._bar = ft.ProgressBar()
        self._counter = ft.Text()
        self._steps = ft.Container()
        self._answers: ft.Row | None = None
        self._date: ft.TextField | None = None
        self._verdict: ft.Semantics | None = None
        self._finding = ft.Container()
        self._grades = ft.Row()
        self._risks = ft.Row()

    def control(self) -> ft.Control:
        """The step's controls: the same ones until the step, its photos, the language or the
        layout change."""
        answer = self.vm.answer
        key = (
            self.vm.index,
            self.shell.lang,
            self.shell.wide,
            self.vm.inspection.is_submitted,
            answer.photos if answer else (),
        )
        if key != self._built_for:
            self._built_for = key
            self._root = self._build()
        return self._root

    # -- moving ------------------------------------------------------------------------------

    def show_summary(self, wanted: bool) -> None:
        """Follow the route: to the summary, or from it to the last item (browser Back)."""
        at_summary = self.vm.step.kind == "summary"
        if wanted and not at_summary:
            self.vm.go(len(self.vm.steps()))
        elif not wanted and at_summary and not self.vm.inspection.is_submitted:
            self.vm.go(-1)

    def move(self, origin: int, delta: int) -> None:
        before = self.vm.index
        self.vm.go(delta, origin)
        if self.vm.index != before:
            self.shell.render()

    def jump_to(self, blocker: Blocker, origin: int) -> None:
        if self.vm.index == origin:
            self.vm.go_to_blocker(blocker)
            self.shell.render()

    # -- the frame: header, progress, step list, Back and Next --------------------------------

    def _build(self) -> ft.Control:
        t, vm = self.shell.t, self.vm
        origin, step = vm.index, vm.step
        self._answers = self._date = self._verdict = None
        self._finding = ft.Container()
        self._bar = ft.ProgressBar(expand=True, color=ft.Colors.INDIGO_700)
        self._counter = ft.Text(size=18, weight=ft.FontWeight.BOLD)
        self._steps = ft.Container(width=320)
        self._show_progress(update=False)
        top: list[ft.Control] = [
            ft.Text(
                vm.checklist.title.get(self.shell.lang),
                size=16,
                color=ft.Colors.BLUE_GREY_800,
                expand=True,
            )
        ]
        if step.kind != "summary":
            top.append(
                big_button(
                    t("summary.title"),
                    lambda _: self.move(origin, len(vm.steps())),
                    selected=False,
                    icon=ft.Icons.LIST_ALT,
                    compact=True,
                )
            )
        header = ft.Column([ft.Row(top), ft.Row([self._bar, self._counter])], spacing=4)
        if step.kind == "units":
            body = self._units(origin)
        elif step.kind == "item":
            body = self._item(origin)
        else:
            body = summary.build(self)
        back = big_button(
            t("walk.back"),
            lambda _: self.move(origin, -1),
            selected=False,
            expand=True,
            icon=ft.Icons.ARROW_BACK,
        )
        if vm.inspection.is_submitted:
            nav = ft.Row([])
        elif step.kind == "summary":
            nav = ft.Row([back])
        else:
            last = origin == len(vm.steps()) - 2
            nav = ft.Row(
                [
                    back,
                    big_button(
                        t("walk.finish") if last else t("walk.next"),
                        lambda _: self.move(origin, 1),
                        expand=True,
                        icon=ft.Icons.ARROW_FORWARD,
                    ),
                ]
            )
        main = ft.Column([header, ft.Container(body, expand=True), nav], expand=True)
        if not self.shell.wide:
            return main
        # Tablets and desktops: the list of steps beside the current one (list/detail).
        return ft.Row(
            [self._steps, ft.VerticalDivider(width=1), main],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )

    def _show_progress(self, update: bool = True) -> None:
        progress = self.vm.progress()
        self._bar.value = progress.answered / max(progress.total, 1)
        self._counter.value = self.shell.t(
            "walk.progress", done=progress.answered, total=progress.total
        )
        shown: list[ft.Control] = [self._bar, self._counter]
        if self.shell.wide:
            self._steps.content = self._step_list()
            shown.append(self._steps)
        if update:
            for control in shown:
                control.update()

    def _step_list(self) -> ft.Control:
        t, lang, vm = self.shell.t, self.shell.lang, self.vm
        today, origin = vm.today(), vm.index
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
                    selected=index == origin,
                    min_height=MIN_TOUCH,
                    on_click=lambda _, i=index: self.move(origin, i - origin),
                )
            )
        return ft.ListView(tiles, spacing=0)

    # -- repeated units ------------------------------------------------------------------------

    def _units(self, origin: int) -> ft.Control:
        t, lang = self.shell.t, self.shell.lang
        section = self.vm.step.section
        assert section is not None and section.repeat is not None
        unit = section.repeat.unit.get(lang)
        tag_field = ft.TextField(
            label=section.repeat.tag_prompt.get(lang),
            text_size=18,
            autofocus=True,
            on_submit=lambda e: self._add_unit(origin, e.control.value),
        )
        tags = ", ".join(self.vm.units()) or t("walk.none_yet")
        return ft.ListView(
            [
                heading(section.title.get(lang)),
                ft.Text(t("walk.units", unit=unit, tags=tags), size=16),
                tag_field,
                big_button(
                    t("walk.add_unit", unit=unit),
                    lambda _: self._add_unit(origin, tag_field.value),
                    icon=ft.Icons.ADD,
                ),
            ],
            spacing=12,
        )

    def _add_unit(self, origin: int, tag: str | None) -> None:
        if self.vm.index != origin:
            return
        try:
            self.vm.add_unit(tag or "")
        except InspectionError as exc:
            self.shell.toast(self.shell.t.error(exc), error=True)
            return
        self.move(origin, 1)

    # -- an item -------------------------------------------------------------------------------

    def _item(self, origin: int) -> ft.Control:
        t, lang, vm = self.shell.t, self.shell.lang, self.vm
        slot = vm.step.slot
        assert slot is not None
        item = slot.item
        title = slot.section.title.get(lang) + (f" · {slot.tag}" if slot.tag else "")
        rows: list[ft.Control] = [
            ft.Text(title, size=15, color=ft.Colors.BLUE_GREY_800),
            ft.Text(
                item.prompt.get(lang), size=22, weight=ft.FontWeight.BOLD, color=ft.Colors.BLACK
            ),
        ]
        if item.guidance:
            rows.append(ft.Text(f"{t('walk.guidance')}: {item.guidance.get(lang)}", size=15))
        if item.reference:
            rows.append(
                ft.Text(
                    t("walk.reference", ref=item.reference), size=13, color=ft.Colors.BLUE_GREY_700
                )
            )
        rows.append(self._input(slot, origin))
        if vm.outcome(slot) is Outcome.FAIL:
            self._finding.content = self._finding_card(slot, origin)
        rows.append(self._finding)
        if item.type is not ItemType.TEXT:
            answer = vm.answer
            rows.append(
                ft.TextField(
                    label=t("walk.note"),
                    value=answer.note if answer else "",
                    multiline=True,
                    on_change=lambda e: vm.set_note(e.control.value or "", slot),
                )
            )
        return ft.ListView(rows, spacing=10)

    def _input(self, slot: Slot, origin: int) -> ft.Control:
        t, vm, item = self.shell.t, self.vm, slot.item
        value = vm.answer.value if vm.answer else None
        if item.type in (ItemType.PASS_FAIL, ItemType.CHOICE):
            self._answers = ft.Row(
                self._answer_buttons(slot, origin), wrap=item.type is ItemType.CHOICE
            )
            return self._answers
        if item.type is ItemType.READING:
            return self._reading(slot, origin)
        if item.type is ItemType.DATE:
            return self._date_input(slot, origin, value)
        if item.type is ItemType.PHOTO:
            return self._photos(slot)
        return ft.TextField(
            label=t("walk.note"),
            value=str(value or ""),
            multiline=True,
            on_change=lambda e: vm.set_value(e.control.value or None, slot),
        )

    def _answer_buttons(self, slot: Slot, origin: int) -> list[ft.Control]:
        t, lang, item = self.shell.t, self.shell.lang, slot.item
        answer = self.vm.inspection.answer(item.id, slot.tag)
        value = answer.value if answer else None
        if item.type is ItemType.CHOICE:
            return [
                big_button(
                    o.label.get(lang),
                    self._on_answer(slot, origin, o.value),
                    colour=ft.Colors.RED_800 if o.value in item.fail_on else ft.Colors.INDIGO_800,
                    selected=value == o.value,
                )
                for o in item.options
            ]
        choices = [
            (PassFail.PASS, t("outcome.pass"), ft.Colors.GREEN_800),
            (PassFail.FAIL, t("outcome.fail"), ft.Colors.RED_800),
        ]
        if item.allow_na:
            choices.append((PassFail.NA, t("outcome.na"), ft.Colors.BLUE_GREY_700))
        return [
            big_button(
                label,
                self._on_answer(slot, origin, v.value),
                colour=colour,
                selected=value == v.value,
                expand=True,
            )
            for v, label, colour in choices
        ]

    def _on_answer(self, slot: Slot, origin: int, value: str) -> Callable[[ft.Event], object]:
        return lambda _: self.shell.page.run_task(self._answer_tapped, slot, origin, value)

    async def _answer_tapped(self, slot: Slot, origin: int, value: str) -> None:
        if self.vm.index != origin:  # a tap on a screen already left
            return
        if self.vm.drops_finding(value, slot):
            self._confirm_drop(slot, origin, value)
            return
        await self._answered(slot, origin, value)

    async def _answered(
        self, slot: Slot, origin: int, value: str, drop_finding: bool = False
    ) -> None:
        outcome = self.vm.set_value(value, slot, drop_finding)
        self._taps += 1
        tap = self._taps
        if self._answers is not None:
            self._answers.controls = self._answer_buttons(slot, origin)
            self._answers.update()
        if self._date is not None:
            self._date.value = "" if value == PassFail.NA.value else value
            self._date.update()
        self._show_verdict(outcome)
        self._show_finding(slot, origin, outcome)
        self._show_progress()
        if outcome not in DONE:
            return
        # Show the answer as chosen for a moment, then the next item; unless another answer
        # was tapped meanwhile (the person changed their mind).
        await asyncio.sleep(CONFIRM_S)
        if tap == self._taps:
            self.move(origin, 1)

    def _confirm_drop(self, slot: Slot, origin: int, value: str) -> None:
        t, page = self.shell.t, self.shell.page
        answer = self.vm.inspection.answer(slot.item.id, slot.tag)
        photos = len(answer.photos) if answer else 0

        def drop(_: ft.Event) -> None:
            page.pop_dialog()
            page.run_task(self._answered, slot, origin, value, True)

        page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(t("walk.drop_title")),
                content=ft.Text(t("walk.drop_body", n=photos), size=16),
                actions=[
                    big_button(t("walk.keep_fail"), lambda _: page.pop_dialog(), selected=False),
                    big_button(t("walk.drop_confirm"), drop, colour=ft.Colors.RED_800),
                ],
            )
        )

    # -- typed values: readings, dates, text ---------------------------------------------------

    def _reading(self, slot: Slot, origin: int) -> ft.Control:
        t, item = self.shell.t, slot.item
        assert item.pass_if is not None
        limits = " ".join(
            part
            for part in (
                f"≥ {item.pass_if.min:g}" if item.pass_if.min is not None else "",
                f"≤ {item.pass_if.max:g}" if item.pass_if.max is not None else "",
            )
            if part
        )
        answer = self.vm.answer
        self._verdict = self._verdict_badge(self.vm.outcome(slot))
        field = ft.TextField(
            label=t.unit(item.unit),
            value=str(answer.value if answer and answer.value is not None else ""),
            suffix=t.unit(item.unit),
            keyboard_type=ft.KeyboardType.NUMBER,
            input_filter=NUMBER_FILTER,
            text_size=22,
            width=220,
            # The field is the only way to answer: the keyboard is up as the item appears.
            autofocus=True,
            on_change=lambda e: self._typed(slot, origin, e.control.value),
            on_submit=lambda _: self._submitted(slot, origin),
        )
        return ft.Column(
            [
                ft.Row([field, self._verdict], wrap=True),
                ft.Text(t("walk.limit", limit=f"{limits} {t.unit(item.unit)}"), size=15),
            ]
        )

    def _typed(self, slot: Slot, origin: int, value: str | None) -> None:
        """Every key is saved; only the verdict, the finding card and the progress change on
        screen, never the field being typed in."""
        outcome = self.vm.set_value(value or None, slot)
        if self.vm.index == origin:
            self._show_verdict(outcome)
            self._show_finding(slot, origin, outcome)
            self._show_progress()

    def _date_input(self, slot: Slot, origin: int, value: object) -> ft.Control:
        """A read-only field with the date, the calendar to pick one within the allowed range
        (shown beside it), Today and N/A."""
        t, vm, item = self.shell.t, self.vm, slot.item
        today = vm.today()
        first = today - timedelta(days=item.within_days or OLDEST_DATE_DAYS)
        self._date = ft.TextField(
            label=t("walk.date"),
            value="" if value in (None, PassFail.NA.value) else str(value),
            read_only=True,
            text_size=18,
            width=180,
        )
        picker = ft.DatePicker(
            first_date=datetime.combine(today - timedelta(days=OLDEST_DATE_DAYS), time()),
            last_date=datetime.combine(today, time()),
            current_date=datetime.combine(today, time()),
            help_text=item.prompt.get(self.shell.lang),
            on_change=lambda e: self._picked(slot, origin, e.control.value),
        )
        buttons = [
            big_button(
                t("walk.pick_date"),
                lambda _: self.shell.page.show_dialog(picker),
                selected=False,
                icon=ft.Icons.CALENDAR_MONTH,
            ),
            big_button(
                t("walk.today"), self._on_answer(slot, origin, today.isoformat()), selected=False
            ),
        ]
        if item.allow_na:
            buttons.append(
                big_button(
                    t("outcome.na"),
                    self._on_answer(slot, origin, PassFail.NA.value),
                    selected=False,
                )
            )
        self._verdict = self._verdict_badge(vm.outcome(slot))
        range_key = "walk.date_range" if item.within_days else "walk.date_until"
        return ft.Column(
            [
                ft.Row([self._date, self._verdict], wrap=True),
                ft.Text(
                    t(range_key, first=first.isoformat(), last=today.isoformat()),
                    size=15,
                ),
                ft.Row(buttons, wrap=True),
            ]
        )

    def _picked(self, slot: Slot, origin: int, value: datetime | None) -> None:
        if value is not None:
            # The picker answers midnight of the day picked, as UTC on some platforms.
            day = value.astimezone().date() if value.tzinfo else value.date()
            self.shell.page.run_task(self._answer_tapped, slot, origin, day.isoformat())

    def _submitted(self, slot: Slot, origin: int) -> None:
        """The keyboard's Done: a value within its limit moves on; a failure stays with its
        finding card open."""
        if self.vm.outcome(slot) in DONE:
            self.move(origin, 1)

    def _verdict_badge(self, outcome: Outcome) -> ft.Semantics:
        badge = ft.Semantics(
            content=ft.Text(size=18, weight=ft.FontWeight.BOLD), container=True, live_region=True
        )
        self._fill_verdict(badge, outcome)
        return badge

    def _fill_verdict(self, badge: ft.Semantics, outcome: Outcome) -> None:
        text = badge.content
        assert isinstance(text, ft.Text)
        text.value = {
            Outcome.PASS: self.shell.t("walk.reading_pass"),
            Outcome.FAIL: self.shell.t("walk.reading_fail"),
            Outcome.INVALID: self.shell.t("walk.invalid"),
        }.get(outcome, "")
        text.color = ft.Colors.GREEN_800 if outcome is Outcome.PASS else ft.Colors.RED_800
        badge.label = text.value

    def _show_verdict(self, outcome: Outcome) -> None:
        if self._verdict is not None:
            self._fill_verdict(self._verdict, outcome)
            self._verdict.update()

    # -- the finding ---------------------------------------------------------------------------

    def _show_finding(self, slot: Slot, origin: int, outcome: Outcome) -> None:
        failed = outcome is Outcome.FAIL
        if failed == (self._finding.content is not None):
            return
        self._finding.content = self._finding_card(slot, origin) if failed else None
        self._finding.update()

    def _finding_card(self, slot: Slot, origin: int) -> ft.Control:
        t, vm = self.shell.t, self.vm
        finding = vm.finding(slot)
        description = ft.TextField(
            label=t("finding.description"),
            value=finding.description,
            multiline=True,
            text_size=17,
            on_change=lambda e: vm.change_finding(slot, description=e.control.value or ""),
        )
        self._grades = ft.Row(self._grade_buttons(slot, origin), wrap=True)
        self._risks = ft.Row(self._risk_buttons(slot, origin), wrap=True)
        rows: list[ft.Control] = [
            # Evidence first: with gloves on, the photo button should be the first thing in reach.
            self._photos(slot),
            description,
            ft.Text(t("finding.grade")),
            self._grades,
            ft.Text(t("finding.risk")),
            self._risks,
        ]
        fix = vm.suggested_fix()
        if fix:
            rows.append(ft.Text(t("finding.fix", fix=fix), size=15, italic=True))
        return ft.Container(
            card(t("finding.title"), rows),
            border=ft.Border.all(3, ft.Colors.RED_700),
            border_radius=12,
        )

    def _grade_buttons(self, slot: Slot, origin: int) -> list[ft.Control]:
        chosen = self.vm.finding(slot).grade
        return [
            big_button(
                self.shell.t(f"grade.{g.value}"),
                lambda _, g=g: self._change_finding(slot, origin, grade=g),
                colour=ft.Colors.RED_900 if g is Grade.MAJOR else ft.Colors.BLUE_GREY_800,
                selected=chosen is g,
            )
            for g in Grade
        ]

    def _risk_buttons(self, slot: Slot, origin: int) -> list[ft.Control]:
        chosen = self.vm.finding(slot).risk
        return [
            big_button(
                self.shell.t(f"risk.{r.value}"),
                lambda _, r=r: self._change_finding(slot, origin, risk=r),
                colour=RISK_COLOURS[r],
                selected=chosen is r,
                compact=True,
            )
            for r in Risk
        ]

    def _change_finding(self, slot: Slot, origin: int, **changes: object) -> None:
        if self.vm.index != origin:
            return
        self.vm.change_finding(slot, **changes)
        self._grades.controls = self._grade_buttons(slot, origin)
        self._risks.controls = self._risk_buttons(slot, origin)
        self._grades.update()
        self._risks.update()

    def _photos(self, slot: Slot) -> ft.Control:
        box = ft.Column()
        self._fill_photos(box, slot, processing=0)
        return box

    def _fill_photos(self, box: ft.Column, slot: Slot, processing: int) -> None:
        """The add-photo button, then while photos are processed a ring and "processing", else
        the count; each thumbnail with when it was taken and an X to delete it (a retake is a
        delete and another photo)."""
        t, vm = self.shell.t, self.vm
        answer = vm.inspection.answer(slot.item.id, slot.tag)
        photos = answer.photos if answer else ()
        add = big_button(
            t("finding.photo"),
            lambda _: self.shell.page.run_task(self._add_photos, slot, box),
            icon=ft.Icons.PHOTO_CAMERA,
        )
        if processing:
            progress: ft.Control = ft.Row(
                [ft.ProgressRing(width=24, height=24), status(t("finding.processing"))]
            )
        else:
            progress = status(t("finding.photos", n=len(photos)))
        rows: list[ft.Control] = [ft.Row([add, progress], wrap=True)]
        if photos:
            rows.append(ft.Row([self._thumbnail(slot, box, sha) for sha in photos], wrap=True))
        if not photos and not processing and vm.photo_required():
            rows.append(status(t("finding.photo_required"), colour=ft.Colors.RED_900, bold=True))
        box.controls = rows

    def _thumbnail(self, slot: Slot, box: ft.Column, sha: str) -> ft.Control:
        t, vm = self.shell.t, self.vm
        thumb = vm.thumbnail(sha)
        picture: ft.Control = (
            ft.Image(src=thumb, width=96, height=96, fit=ft.BoxFit.COVER, border_radius=8)
            if thumb
            else ft.Container(width=96, height=96, bgcolor=ft.Colors.BLUE_GREY_100)
        )
        taken = vm.photo_taken(sha, slot)
        place = vm.photo_place(sha, slot)

        def delete(_: ft.Event) -> None:
            vm.remove_photo(sha, slot)
            self._fill_photos(box, slot, processing=0)
            box.update()

        return ft.Column(
            [
                ft.Stack(
                    [
                        picture,
                        ft.IconButton(
                            ft.Icon(ft.Icons.CLOSE, semantics_label=t("finding.delete_photo")),
                            icon_color=ft.Colors.WHITE,
                            bgcolor=ft.Colors.with_opacity(0.6, ft.Colors.BLACK),
                            tooltip=t("finding.delete_photo"),
                            on_click=delete,
                            width=48,
                            height=48,
                            right=0,
                            top=0,
                        ),
                    ],
                    width=96,
                    height=96,
                ),
                ft.Text(
                    t("finding.taken", at=local_time(taken, self.shell.lang)) if taken else "",
                    size=12,
                ),
                *(
                    [ft.Text(t("finding.place", lat=place[0], lon=place[1]), size=12)]
                    if place
                    else []
                ),
            ],
            spacing=2,
            width=104,
        )

    async def _add_photos(self, slot: Slot, box: ft.Column) -> None:
        """Pick photos, show them being processed (off the event loop), then their thumbnails;
        a file that is not a usable photo is reported and the others still go in."""
        picked = await self.shell.pick_images()
        if not picked:
            return
        self._fill_photos(box, slot, processing=len(picked))
        box.update()
        for data in picked:
            try:
                await self.shell.run_blocking(self.vm.add_photo, data, slot)
            except PhotoError as exc:
                t = self.shell.t
                self.shell.toast(t("photo.error", reason=t.error(exc)), error=True)
        self._fill_photos(box, slot, processing=0)
        box.update()
        self._show_progress()
