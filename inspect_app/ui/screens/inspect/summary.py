"""The walk's last step: the failures, what still blocks submitting (each a button to the item),
the typed name with a signature drawn beside it, and Submit; once submitted, read-only with the
PDF report, "Start another" and "Done". A Submit that cannot go yet shows every reason in place:
the blockers scrolled into view, the signature's error under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft
import flet.canvas as cv

from inspect_app.core.evaluation import Blocker, BlockReason
from inspect_app.photos.signature import Point
from inspect_app.services.inspections import InspectionError
from inspect_app.ui.viewmodels.walk import PAD_HEIGHT, PAD_WIDTH
from inspect_app.ui.widgets import big_button, heading, list_button, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell
    from inspect_app.ui.screens.inspect.walk import WalkScreen

#: The scroll key of the blockers' heading, scrolled to when Submit is tapped too early.
BLOCKERS = "blockers"


def build(screen: WalkScreen) -> ft.Control:
    shell, vm = screen.shell, screen.vm
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
        rows.append(
            ft.Row(
                [
                    big_button(
                        t("summary.another"),
                        lambda _: _start_another(shell),
                        icon=ft.Icons.ADD,
                        selected=False,
                        expand=True,
                    ),
                    big_button(
                        t("summary.done"), lambda _: shell.go("/"), icon=ft.Icons.DONE, expand=True
                    ),
                ]
            )
        )
        return ft.ListView(rows, spacing=8)
    blockers = vm.blockers()
    if blockers:
        rows.append(
            ft.Text(
                t("summary.blocked"),
                size=18,
                weight=ft.FontWeight.W_600,
                key=ft.ScrollKey(BLOCKERS),
            )
        )
        origin = vm.index
        for blocker in blockers:
            rows.append(
                list_button(
                    _blocker_text(screen, blocker),
                    lambda _, b=blocker: screen.jump_to(b, origin),
                    colour=ft.Colors.RED_900,
                    icon=ft.Icons.ERROR_OUTLINE,
                )
            )
    signature = ft.TextField(
        label=t("summary.sign"), text_size=18, value=shell.ws.user.name.get(lang)
    )
    problem = ft.Container()
    rows.append(signature)
    rows.append(_signature_pad(screen))
    rows.append(
        big_button(
            t("summary.submit"),
            lambda _: shell.page.run_task(_submit, screen, signature, problem, page),
            selected=not blockers,
            icon=ft.Icons.SEND,
        )
    )
    rows.append(problem)
    page = ft.ListView(rows, spacing=8)
    return page


async def _submit(
    screen: WalkScreen, signature: ft.TextField, problem: ft.Container, page: ft.ListView
) -> None:
    """Submit; or show at once every reason it cannot go yet, each where it belongs."""
    shell, vm = screen.shell, screen.vm
    t = shell.t
    unsigned = not (signature.value or "").strip()
    signature.error = t("summary.sign_needed") if unsigned else None
    signature.update()
    if vm.blockers():
        await page.scroll_to(scroll_key=BLOCKERS, duration=300)
        return
    if unsigned:
        return
    try:
        submission = vm.submit(signature.value or "")
    except InspectionError as exc:
        problem.content = status(shell.t.error(exc), colour=ft.Colors.RED_900, bold=True)
        problem.update()
        return
    shell.settings.open_inspection = None
    if shell.background_sync is not None:
        shell.background_sync.trigger()
    shell.toast(t("summary.submitted", n=len(submission.hazards)))
    shell.render()


def _signature_pad(screen: WalkScreen) -> ft.Control:
    """The pad a finger signs on, beside the typed name: each drag is a stroke, drawn as it
    goes; Clear starts again."""
    vm, t = screen.vm, screen.shell.t
    canvas = cv.Canvas(
        shapes=[_stroke(points) for points in vm.strokes], width=PAD_WIDTH, height=PAD_HEIGHT
    )

    def redraw_last() -> None:
        canvas.shapes[len(vm.strokes) - 1 :] = [_stroke(vm.strokes[-1])]
        canvas.update()

    def began(e: ft.DragStartEvent) -> None:
        vm.begin_stroke(e.local_position.x, e.local_position.y)
        redraw_last()

    def moved(e: ft.DragUpdateEvent) -> None:
        vm.extend_stroke(e.local_position.x, e.local_position.y)
        redraw_last()

    def cleared(_: ft.Event) -> None:
        vm.clear_signature()
        canvas.shapes.clear()
        canvas.update()

    pad = ft.Semantics(
        label=t("summary.pad_label"),
        container=True,
        content=ft.Container(
            ft.GestureDetector(
                content=canvas, on_pan_start=began, on_pan_update=moved, drag_interval=10
            ),
            width=PAD_WIDTH,
            height=PAD_HEIGHT,
            bgcolor=ft.Colors.WHITE,
            border=ft.Border.all(2, ft.Colors.BLUE_GREY_300),
            border_radius=8,
        ),
    )
    return ft.Column(
        [
            ft.Text(t("summary.pad"), size=15, color=ft.Colors.BLUE_GREY_800),
            pad,
            big_button(t("summary.clear_signature"), cleared, icon=ft.Icons.CLEAR, selected=False),
        ]
    )


def _stroke(points: list[Point]) -> cv.Path:
    first, *rest = points or [(0.0, 0.0)]
    return cv.Path(
        [cv.Path.MoveTo(*first), *(cv.Path.LineTo(x, y) for x, y in rest)],
        paint=ft.Paint(
            color=ft.Colors.BLACK,
            stroke_width=3,
            style=ft.PaintingStyle.STROKE,
            stroke_cap=ft.StrokeCap.ROUND,
            stroke_join=ft.StrokeJoin.ROUND,
        ),
    )


def _start_another(shell: Shell) -> None:
    shell.start_model.clear()
    shell.go("/inspect")


def _export_report(shell: Shell, inspection_id: str) -> None:
    from inspect_app.exports import documents  # heavy; only when asked for (see Shell.export)

    shell.page.run_task(
        shell.export,
        f"inspection-{inspection_id[:8]}.pdf",
        lambda: documents.inspection_report(shell.ws, inspection_id, shell.lang),
    )


def _blocker_text(screen: WalkScreen, blocker: Blocker) -> str:
    t, lang, checklist = screen.shell.t, screen.shell.lang, screen.vm.checklist
    if blocker.reason is BlockReason.TOO_FEW_INSTANCES:
        section = next(s for s in checklist.sections if s.id == blocker.section_id)
        assert section.repeat is not None
        return t("block.too_few_instances", unit=section.repeat.unit.get(lang))
    assert blocker.item_id is not None
    item = checklist.item(blocker.item_id).prompt.get(lang)
    label = f"[{blocker.tag}] {item}" if blocker.tag else item
    return t(f"block.{blocker.reason.value}", item=label)
