"""A hazard's page (plan, fix note, photos, timeline) and the forms of what the reader may do on
it. HQ people act on a hazard from its page: the state machine and the reader's role say which
actions to offer (``allowed_actions``), the payload models say each form's inputs
(``action_form``), and a posted form becomes a command pushed as the reader's person through
HQ's push, so the web's steps and the devices' are one history and the same rules refuse them.
Steps that need photos from the site are left to the app."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from inspect_app.core import vocabulary
from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.commands import FieldKind, FormField
from inspect_app.core.hazard import Hazard
from inspect_app.core.site import Person
from inspect_app.core.text import LocalText
from inspect_app.core.workflow import (
    CommandResult,
    CommandType,
    Reason,
    action_form,
    allowed_actions,
)
from inspect_app.server.errors import HQError
from inspect_app.server.hazard_reads import TimelineEntry
from inspect_app.server.hq import HQ
from inspect_app.server.i18n import LOCAL_TIME, translator
from inspect_app.server.pages.common import (
    PageRefused,
    Viewer,
    lang_of,
    pages,
    read_form,
    signed_in,
)

router = APIRouter(include_in_schema=False)

#: The events whose payload note is the fix note shown on a hazard's page.
FIX_STEPS = ("submit_rectified", "fix_on_the_spot")
#: A refused command's answer status, by the push's result.
REFUSAL_STATUS = {
    CommandResult.FORBIDDEN.value: 403,
    CommandResult.REJECTED_CONFLICT.value: 409,
    CommandResult.INVALID.value: 422,
}


@dataclass(frozen=True)
class ActionForm:
    type: str
    fields: tuple[FormField, ...]
    #: (person id, name) of the people a PERSON field may name.
    people: tuple[tuple[str, str], ...] = ()


def _people_of(hq: HQ, hazard: Hazard) -> tuple[tuple[str, str], ...]:
    """Who may be named responsible for a hazard: the people of its workshop's plant who act
    in that workshop."""
    site = hq.directory().workshop_names().get(hazard.workshop_id)
    people: list[Person] = list(site.people) if site else []
    return tuple(
        (p.id, p.name.get("zh") or p.id) for p in people if p.can_act_in(hazard.workshop_id)
    )


def offered_actions(
    hq: HQ, hazard: Hazard | None, viewer: Viewer
) -> tuple[list[ActionForm], list[str]]:
    """The forms this reader is offered on this hazard, and the allowed actions left to the
    app because they need photos."""
    if hazard is None or viewer.person is None:
        return [], []
    forms, app_only = [], []
    for command_type in allowed_actions(hazard, viewer.person):
        fields = action_form(command_type, hazard)
        if any(f.kind is FieldKind.PHOTOS and f.required for f in fields):
            app_only.append(command_type.value)
            continue
        shown = tuple(f for f in fields if f.kind is not FieldKind.PHOTOS)
        people = _people_of(hq, hazard) if any(f.kind is FieldKind.PERSON for f in shown) else ()
        forms.append(ActionForm(command_type.value, shown, people))
    return forms, app_only


def payload_of(form: dict[str, str], fields: tuple[FormField, ...]) -> dict[str, object]:
    """The command payload a posted form gives: each field's text, left out when empty (the
    payload model says whether it may be)."""
    return {f.name: form[f.name].strip() for f in fields if form.get(f.name, "").strip()}


@router.post("/hazards/{hazard_id}/act")
async def act(
    request: Request, hazard_id: str, viewer: Annotated[Viewer, Depends(signed_in)]
) -> Response:
    form = await read_form(request, viewer.csrf)
    ctx = pages(request)
    t = translator(lang_of(request))
    record = ctx.reads.one(hazard_id, viewer.scope)
    if record is None:
        raise PageRefused(404, "error.no_hazard")
    try:
        command_type = CommandType(form.get("action", ""))
    except ValueError as exc:
        raise PageRefused(400, "error.form_unreadable") from exc
    if viewer.person is None:
        raise PageRefused(403, "hazard.no_person")
    hazard = record.hazard
    if hazard is None:
        raise PageRefused(409, "hazard.invalid")
    command = {
        "id": str(uuid.uuid4()),
        "hazard_id": hazard_id,
        "type": command_type.value,
        "actor": viewer.person.id,
        "observed_at": datetime.now(LOCAL_TIME).isoformat(timespec="seconds"),
        "expected_from": hazard.status.value,
        "base_version": hazard.version,
        "payload": payload_of(form, action_form(command_type, hazard)),
    }
    action = t(f"action.{command_type.value}")
    try:
        result = ctx.hq.push_from_web(viewer.username, command)
    except HQError as exc:
        return hazard_page(
            request, hazard_id, viewer, exc.status, t("hazard.refused", action=action, reason=exc)
        )
    if result.get("status") == CommandResult.APPLIED.value:
        return hazard_page(request, hazard_id, viewer, outcome=t("hazard.done", action=action))
    # The state machine's reason in the reader's words (its English "message" is for logs).
    why = Reason.from_dict(result.get("why"))
    said = vocabulary.refusal(why, lang_of(request)) if why else None
    reason = said or t(f"result.{result.get('status')}")
    return hazard_page(
        request,
        hazard_id,
        viewer,
        REFUSAL_STATUS.get(str(result.get("status")), 409),
        t("hazard.refused", action=action, reason=reason),
    )


def detail_text(
    key: str, value: str, t: Callable[..., str], labels: dict[str, str], lang: str
) -> str:
    """A step's payload value as a reader says it: names for ids, words for grades and risks,
    a count for photos (they are shown as pictures on the hazard), a text written in both
    languages (a suggested fix) in the reader's."""
    if key in ("photos", "after_photos"):
        try:
            count = len(json.loads(value))
        except (ValueError, TypeError):
            return value
        return t("hazard.photo_count", n=count)
    if key in ("grade", "risk", "category", "kind"):
        return t(f"{key}.{value}", _default=value)
    if key == "suggested_fix" and value.startswith("{"):
        try:
            texts = json.loads(value)
        except ValueError:
            return value
        return LocalText.of(texts).get(lang) if isinstance(texts, dict) else value
    return labels.get(value, value) if key.endswith("_id") else value


def fix_note(timeline: list[TimelineEntry]) -> str:
    """The note of the latest applied rectification, as its submitter wrote it."""
    note = ""
    for entry in timeline:
        if entry.type in FIX_STEPS and entry.result == CommandResult.APPLIED.value:
            note = dict(entry.details).get("note", "")
    return note


def hazard_page(
    request: Request, hazard_id: str, viewer: Viewer, status: int = 200, outcome: str = ""
) -> Response:
    ctx = pages(request)
    t = translator(lang_of(request))
    record = ctx.reads.one(hazard_id, viewer.scope)
    if record is None:
        raise PageRefused(404, "error.no_hazard")
    lang = lang_of(request)
    timeline = [
        replace(e, reason=vocabulary.refusal(e.why, lang)) if e.why else e
        for e in ctx.reads.timeline(hazard_id, viewer.scope)
    ]
    labels = ctx.labels(lang)
    forms, app_only = offered_actions(ctx.hq, record.hazard, viewer)
    return ctx.render(
        request,
        "hazard.html",
        viewer,
        status,
        record=record,
        labels=labels,
        said=lambda key, value: detail_text(key, value, t, labels, lang_of(request)),
        grade=record.choice("grade", Grade),
        risk=record.choice("risk", Risk),
        timeline=timeline,
        fix_note=fix_note(timeline),
        forms=forms,
        app_only=[t(f"action.{a}") for a in app_only],
        outcome=outcome,
        failed=status >= 400,
        acts=viewer.person is not None,
    )


@router.get("/hazards/{hazard_id}")
def hazard_detail(
    request: Request, hazard_id: str, viewer: Annotated[Viewer, Depends(signed_in)]
) -> Response:
    return hazard_page(request, hazard_id, viewer)
