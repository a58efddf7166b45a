"""One hazard: its facts and photos, the five-fix plan and extensions, a major hazard's
control, governance plan, report and supervision, conflicts, the timeline, and its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from inspect_app.core.hazard import ExtensionStatus
from inspect_app.ui.screens.hazards.forms import actions
from inspect_app.ui.screens.hazards.list import open_hazard
from inspect_app.ui.viewmodels.hazards import (
    HazardDetailModel,
)
from inspect_app.ui.widgets import (
    GRADE_COLOURS,
    RISK_COLOURS,
    big_button,
    card,
    heading,
    photo_thumb,
    status,
)

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

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


def build_detail(shell: Shell) -> ft.Control:
    t, lang = shell.t, shell.lang
    screen = shell.hazard_screen
    assert screen.open_hazard is not None
    model = HazardDetailModel(shell.ws, screen.open_hazard, lang)
    hazard = model.hazard
    day = shell.ws.clock().date()
    rows: list[ft.Control] = [
        ft.TextButton(
            t("detail.back"), icon=ft.Icons.ARROW_BACK, on_click=lambda _: open_hazard(shell, None)
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
        fix = hazard.suggested_fix.get(t.lang)
        facts.append(ft.Text(t("finding.fix", fix=fix), italic=True))
    if hazard.on_the_spot:
        facts.append(ft.Text(t("detail.on_the_spot", who=model.person(hazard.rectified_by))))
    if hazard.funds_spent:
        facts.append(ft.Text(t("detail.funds_spent", funds=hazard.funds_spent)))
    if hazard.verification_opinion:
        facts.append(ft.Text(t("detail.opinion", opinion=hazard.verification_opinion)))
    if hazard.void_reason:
        facts.append(status(t("detail.voided", reason=hazard.void_reason), bold=True))
    if refused := hazard.not_registered:
        said = t.refusal(str(refused.get("result")), refused.get("why"))
        facts.append(status(t("detail.not_registered", reason=said), bold=True))
    rows.append(ft.Column(facts, spacing=4))
    rows += _conflicts(shell, model)
    scroller = ft.ListView(spacing=10, expand=True, padding=ft.Padding.only(right=8))
    rows.append(actions(shell, model, scroller))
    if hazard.is_major:
        rows.append(_major(shell, model))
    for group in model.photo_groups():
        rows.append(_photos(shell, model, t(f"detail.{group.kind}"), group.kind, group.photos))
    rows.append(_plan(shell, model))
    rows.append(_timeline(shell, model))
    scroller.controls = rows
    return scroller


def _chip(text: str, colour: str) -> ft.Control:
    return ft.Container(
        ft.Text(text, color=ft.Colors.WHITE, weight=ft.FontWeight.W_600, size=15),
        bgcolor=colour,
        border_radius=14,
        padding=ft.Padding.symmetric(horizontal=12, vertical=4),
    )


def _photos(
    shell: Shell, model: HazardDetailModel, title: str, kind: str, photos: tuple[str, ...]
) -> ft.Control:
    """A card of thumbnails (semantics ids ``photo-<kind>-<n>``); a tap opens the full size."""
    t = shell.t
    thumbs: list[ft.Control] = []
    coming = 0
    for index, sha in enumerate(photos, 1):
        data = model.thumbnail(sha)
        if data is None:
            coming += 1
            continue
        label = t("photo.label", kind=title, n=index)
        thumbs.append(
            photo_thumb(
                data,
                label,
                f"photo-{kind}-{index}",
                lambda sha=sha, label=label: shell.page.run_task(
                    _open_photo, shell, model, sha, label
                ),
            )
        )
    rows: list[ft.Control] = [ft.Row(thumbs, wrap=True)] if thumbs else []
    if coming:
        rows.append(ft.Text(t("photo.coming", n=coming)))
    if not photos:
        rows.append(ft.Text(t("home.nothing")))
    return card(title, rows)


async def _open_photo(shell: Shell, model: HazardDetailModel, sha: str, label: str) -> None:
    """Show the photo in a dialog: the thumbnail at once, the full size once it is here (fetched
    off the event loop), or the thumbnail with a note when offline."""
    t, page = shell.t, shell.page
    note = ft.Column([ft.ProgressRing(width=20, height=20), ft.Text(t("photo.loading"))])
    picture = ft.Container(
        ft.Image(src=model.thumbnail(sha) or b"", fit=ft.BoxFit.CONTAIN, width=560),
        alignment=ft.Alignment.CENTER,
    )
    page.show_dialog(
        ft.AlertDialog(
            modal=True,  # closed by its button only: a stray tap beside the photo keeps it
            title=ft.Text(label),
            content=ft.Column([note, picture], tight=True),
            actions=[big_button(t("photo.close"), lambda _: page.pop_dialog(), selected=False)],
        )
    )
    opened = await shell.run_blocking(model.open_photo, sha)
    note.controls = [] if opened.full else [status(t("photo.offline"), bold=True)]
    picture.content = ft.Semantics(
        identifier="photo-full" if opened.full else "photo-small",
        label=label,
        container=True,
        content=ft.Image(src=opened.data or b"", fit=ft.BoxFit.CONTAIN, width=560),
    )
    page.update()


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
        rows.append(
            _photos(shell, model, t(f"choice.{control.kind.value}"), "control", control.photos)
        )
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
            lines.append(ft.Text(t("detail.conflict", reason=t.not_applied(event)), color=colour))
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
