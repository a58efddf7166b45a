"""The inspection a device pushes passes the model HQ checks it with; what a hostile device
could put in one is refused naming the field."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from inspect_app.core.commands import PayloadError
from inspect_app.core.inspection_payload import validate_inspection
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from tests.services.test_inspection_flow import walk_fire


@pytest.fixture
def pushed(workspace: Workspace) -> dict[str, Any]:
    service, inspection = walk_fire(workspace)
    submitted = service.submit(inspection, "李明").inspection
    return service.get(submitted.id).to_dict()


def test_a_device_s_own_inspection_passes(pushed: dict[str, Any]) -> None:
    checked = validate_inspection(pushed)
    assert checked.id == pushed["id"] and len(checked.answers) == len(pushed["answers"])
    assert any(a.photos for a in checked.answers)


def _answer(pushed: dict[str, Any], **changes: Any) -> dict[str, Any]:
    answers = [dict(a) for a in pushed["answers"]]
    answers[0].update(changes)
    return {**pushed, "answers": answers}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: {**p, "status": "in_progress"}, "status"),
        (lambda p: {**p, "verified_by": "p-wang"}, "verified_by"),
        (lambda p: {**p, "inspector_id": ["p-li"]}, "inspector_id"),
        (lambda p: {**p, "submitted_at": "yesterday"}, "submitted_at"),
        (lambda p: {**p, "checklist_version": 0}, "checklist_version"),
        (lambda p: {**p, "checklist_hash": "x" * 64}, "checklist_hash"),
        (lambda p: {**p, "signed_by": ""}, "signed_by"),
        (lambda p: {**p, "signed_by": "李" * 201}, "signed_by"),
        (lambda p: {**p, "id": '"><script>alert(1)</script>'}, "id"),
        (lambda p: {**p, "answers": "many"}, "answers"),
        (lambda p: _answer(p, photos=['"><img src=x>']), "answers.0.photos.0"),
        (lambda p: _answer(p, note="x" * 4001), "answers.0.note"),
        (lambda p: _answer(p, value={"nested": 1}), "answers.0.value"),
        (lambda p: _answer(p, value=float("nan")), "answers.0.value"),
        (
            lambda p: _answer(p, finding={"description": "x", "grade": "catastrophic"}),
            "answers.0.finding.grade",
        ),
        (lambda p: _answer(p, item_id="../../etc"), "answers.0.item_id"),
    ],
)
def test_hostile_inspections_name_the_field(
    pushed: dict[str, Any], change: Any, field: str
) -> None:
    with pytest.raises(PayloadError) as caught:
        validate_inspection(change(pushed))
    assert caught.value.field is not None and caught.value.field.startswith(field)


SHA = "a" * 64


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"lat": 91.0, "lon": 10.0}, "answers.0.photo_places.{sha}.lat"),
        ({"lat": 31.0, "lon": -180.5}, "answers.0.photo_places.{sha}.lon"),
        ({"lat": 31.0}, "answers.0.photo_places.{sha}.lon"),
        ({"lat": 31.0, "lon": 120.0, "alt": 4.0}, "answers.0.photo_places.{sha}.alt"),
        ({"lat": "31", "lon": 120.0}, "answers.0.photo_places.{sha}.lat"),
    ],
)
def test_a_photo_place_off_the_globe_or_malformed_is_refused(
    pushed: dict[str, Any], place: dict[str, Any], field: str
) -> None:
    with pytest.raises(PayloadError) as refused:
        validate_inspection(_answer(pushed, photo_places={SHA: place}))
    assert refused.value.field == field.format(sha=SHA)


def test_photo_places_are_kept_only_when_the_person_allows(workspace: Workspace) -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 18.0, 0.0), 3: "E", 4: (120.0, 37.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "grey").save(out, "JPEG", exif=exif.tobytes())
    service = InspectionService(workspace)
    inspection = service.start(workspace.catalog.latest("fire-monthly"), "ws-stamping", "line-1")
    inspection = service.attach_photo(inspection, "exit-clear", None, out.getvalue())
    [kept] = [a for a in inspection.answers.values() if a.photos]
    assert kept.photo_places == {}  # off unless turned on
    workspace.settings.keep_photo_places = True
    out2 = io.BytesIO()
    Image.new("RGB", (320, 240), "navy").save(out2, "JPEG", exif=exif.tobytes())
    inspection = service.attach_photo(inspection, "exit-clear", None, out2.getvalue())
    [kept] = [a for a in inspection.answers.values() if a.photos]
    [second] = [sha for sha in kept.photos if sha in kept.photo_places]
    assert kept.photo_places[second] == {"lat": 31.3, "lon": 120.616667}
    inspection = service.remove_photo(inspection, "exit-clear", None, second)
    [kept] = [a for a in inspection.answers.values() if a.photos]
    assert kept.photo_places == {}
