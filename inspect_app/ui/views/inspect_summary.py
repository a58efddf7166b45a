"""The walk's last step: the failures, what still blocks submitting (each a button to the item),
the signature and Submit; once submitted, read-only with the PDF report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.evaluation import Blocker, BlockReason
from inspect_app.services.inspections import InspectionError
from inspect_app.ui.views.inspect_start import OPEN_INSPECTION
from inspect_app.ui.views.widgets import big_button, heading, list_button, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell
    from inspect_app.ui.views.inspect import WalkScreen


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
        return ft.ListView(rows, spacing=8)
    blockers = vm.blockers()
    if blockers:
        rows.append(ft.Text(t("summary.blocked"), size=18, weight=ft.FontWeight.W_600))
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
    rows.append(signature)
    rows.append(
        big_button(
            t("summary.submit"),
            lambda _: _submit(screen, signature.value),
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


def _submit(screen: WalkScreen, name: str | None) -> None:
    shell, vm = screen.shell, screen.vm
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
