"""Sync tab: enrolment with HQ (address and one-time code, or the link in HQ's QR code), then the
connection, a spinner and a progress bar while a sync runs (photos and commands left, megabytes
sent), then what it sent and received, the last sync and its error in plain words, a Sync now
button, and this device's actions HQ did not apply, each with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.workflow import CommandResult, Refusal
from inspect_app.sync.errors import SyncError
from inspect_app.sync.progress import Phase
from inspect_app.ui.i18n import Translator
from inspect_app.ui.viewmodels.sync import NotApplied, SyncModel, progress_line
from inspect_app.ui.widgets import big_button, card, heading, status

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell


def build(shell: Shell) -> ft.Control:
    t = shell.t
    model = SyncModel(shell.ws, shell.lang)
    state = model.state()
    rows: list[ft.Control] = [heading(t("sync.title"))]
    if state.connection is None or shell.enrolment_form.get("again"):
        rows.append(enrolment_card(shell, model))
        rows.append(card(t("sync.waiting"), [status(t("sync.pending", n=state.pending))]))
        return ft.ListView(rows, spacing=12, expand=True)
    background = shell.background_sync
    progress = background.last_progress if background else None
    running = shell.syncing
    now: list[ft.Control] = [
        status(t("sync.pending", n=state.pending), size=18, bold=True),
        ft.Text(t("home.last_sync", at=t.when(state.last_sync)), size=16),
    ]
    if running:
        now.append(
            ft.Row([ft.ProgressRing(width=28, height=28), status(t("sync.running"), bold=True)])
        )
        if background is not None and background.running and progress is not None:
            now.append(ft.ProgressBar(value=progress.fraction, bar_height=12, border_radius=6))
            now.append(status(t(f"sync.phase.{progress.phase.value}", **progress_line(progress))))
    elif progress is not None and progress.phase is Phase.DONE:
        now.append(status(t("sync.done"), colour=ft.Colors.GREEN_900, bold=True))
        now.append(
            status(
                t("sync.counts", sent=progress.commands_done, received=progress.events_received),
                colour=ft.Colors.GREEN_900,
            )
        )
    if (state.last_error or state.earlier_error) and not running:
        reason = t.error(state.last_error) if state.last_error else t("sync.earlier_error")
        now.append(status(t("sync.failed", reason=reason), colour=ft.Colors.RED_900, bold=True))
    now.append(
        big_button(
            t("sync.now"),
            lambda _: shell.sync_now(),
            icon=ft.Icons.SYNC,
            selected=not running,
        )
    )
    rows.append(card(t("sync.state"), now))
    if state.refused:
        rows.append(
            card(
                t("sync.refused"),
                [
                    ft.ListTile(
                        leading=ft.Icon(REFUSAL_ICONS[r.result], color=ft.Colors.RED_800),
                        title=ft.Text(r.hazard, weight=ft.FontWeight.W_600),
                        subtitle=ft.Text("\n".join(refusal_lines(t, r))),
                        on_click=lambda _, hid=r.hazard_id: shell.open_hazard(hid),
                    )
                    for r in state.refused
                ],
            )
        )
    rows.append(
        card(
            t("sync.connection"),
            [
                ft.Text(t("sync.server", url=state.connection.server_url), size=16),
                ft.Text(t("sync.device", id=state.device_id), size=14),
                big_button(
                    t("sync.enrol_again"),
                    lambda _: _enrol_again(shell),
                    selected=False,
                    compact=True,
                    icon=ft.Icons.PERSON_ADD,
                ),
            ],
        )
    )
    return ft.ListView(rows, spacing=12, expand=True)


REFUSAL_ICONS = {
    CommandResult.REJECTED_CONFLICT.value: ft.Icons.CALL_SPLIT,
    CommandResult.INVALID.value: ft.Icons.ERROR_OUTLINE,
    CommandResult.FORBIDDEN.value: ft.Icons.BLOCK,
}


def refusal_lines(t: Translator, refusal: NotApplied) -> tuple[str, str]:
    """The action and who took it, then why HQ did not apply it, in the app's language: the
    state machine's reason in words, never HQ's English."""
    result = t(f"sync.refused.{refusal.result}")
    reason = refusal.reason
    about_a_value = reason is None or reason.code is Refusal.INVALID_VALUE
    if refusal.result == CommandResult.INVALID.value and refusal.field and about_a_value:
        name = refusal.field.split(".")[0]  # "photos.2" is about the photos
        label = t(f"field.{name}")
        field = refusal.field if label == f"field.{name}" else label  # no label: its own name
        result, reason = t("sync.refused.rejected_invalid.field", field=field), None
    why = t("sync.refused.why", result=result, reason=t.reason(reason)) if reason else result
    return t("sync.refused.by", action=t(f"action.{refusal.action}"), who=refusal.who), why


def _enrol_again(shell: Shell) -> None:
    shell.enrolment_form["again"] = "yes"
    shell.render()


def _cancel(shell: Shell) -> None:
    shell.enrolment_form.clear()
    shell.render()


def enrolment_card(shell: Shell, model: SyncModel) -> ft.Control:
    """The enrolment form, here and on the first-run screen."""
    t = shell.t
    form = shell.enrolment_form
    address = ft.TextField(
        label=t("sync.address"),
        hint_text="https://hq.example.com",
        value=form.get("address", ""),
        text_size=18,
        keyboard_type=ft.KeyboardType.URL,
        on_change=lambda e: form.__setitem__("address", e.control.value),
    )
    code = ft.TextField(
        label=t("sync.code"),
        value=form.get("code", ""),
        text_size=18,
        on_change=lambda e: form.__setitem__("code", e.control.value),
    )
    rows: list[ft.Control] = [
        ft.Text(
            t("sync.enrol_again") if form.get("again") else t("sync.not_enrolled"),
            color=ft.Colors.ORANGE_900,
            size=16,
        ),
        ft.Text(t("sync.enrol_help"), size=15),
        address,
        code,
    ]
    if form.get("error"):
        rows.append(status(form["error"], colour=ft.Colors.RED_900, bold=True))
    buttons = [
        big_button(
            t("sync.enrol"), lambda _: shell.page.run_task(_enrol, shell, model), icon=ft.Icons.LINK
        )
    ]
    if form.get("again"):
        buttons.append(big_button(t("form.cancel"), lambda _: _cancel(shell), selected=False))
    rows.append(ft.Row(buttons, wrap=True))
    return card(t("sync.enrolment"), rows, stretch=True)


async def _enrol(shell: Shell, model: SyncModel) -> None:
    form = shell.enrolment_form
    try:
        await shell.run_blocking(model.enroll, form.get("address", ""), form.get("code", ""))
    except SyncError as exc:
        form["error"] = shell.t("sync.enrol_failed", reason=shell.t.error(exc))
        shell.render()
        return
    form.clear()
    shell.toast(shell.t("sync.enrolled"))
    if shell.background_sync is not None:
        shell.background_sync.trigger()
    shell.render()
