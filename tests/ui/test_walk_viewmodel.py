"""The walk view-model in plain pytest: steps, repeated units, live reading outcome, finding
prefilled from the item's failure wording and on_fail, blockers naming the missing photo, resume,
the drawn signature, submit."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import datetime

import pytest
from PIL import Image

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.commands import PayloadError
from inspect_app.core.evaluation import BlockReason, Outcome
from inspect_app.core.inspection import Finding
from inspect_app.core.inspection_payload import validate_inspection
from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.ui.i18n import Translator, language_from_locale, local_time
from inspect_app.ui.viewmodels.home import summarize
from inspect_app.ui.viewmodels.walk import PAD_HEIGHT, PAD_WIDTH, WalkViewModel
from tests.services.conftest import jpeg_bytes
from tests.services.test_findings_and_limits import CUSTOM
from tests.services.test_inspection_flow import walk_fire


def start(ws: Workspace) -> WalkViewModel:
    service = InspectionService(ws)
    inspection = service.start(ws.catalog.latest("fire-monthly"), "ws-stamping", "stamping-line-1")
    return WalkViewModel(service, inspection.id)


def goto(vm: WalkViewModel, item_id: str) -> None:
    for _ in range(len(vm.steps())):
        if vm.step.slot and vm.step.slot.item.id == item_id:
            return
        vm.go(1)
    raise AssertionError(item_id)


def test_units_then_items_then_summary(workspace: Workspace) -> None:
    vm = start(workspace)
    assert vm.step.kind == "units"
    assert [s.kind for s in vm.steps()][-1] == "summary"
    vm.add_unit("F-12")
    vm.go(1)
    assert (vm.step.slot.item.id, vm.step.slot.tag) == ("ext-gauge", "F-12")
    assert str(vm.progress()) == "0 / 19"


def test_reading_outcome_and_prefilled_finding(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "hydrant-pressure")
    assert vm.set_value("0.20") is Outcome.PASS
    assert vm.set_value("0,05") is Outcome.FAIL
    finding = vm.finding()
    worded = "Static pressure at the most remote hydrant below 0.10 MPa"
    assert finding == Finding(worded, Grade.GENERAL, Risk.RED)  # the failure, not the prompt
    assert vm.photo_required()
    assert "pumps" in (vm.suggested_fix() or "")
    vm.save_finding(Finding("Pressure 0.05 MPa", Grade.GENERAL, Risk.RED))
    assert vm.finding().description == "Pressure 0.05 MPa"


@pytest.mark.parametrize(
    ("lang", "worded", "plain"),
    [
        ("en", "Drain blocked with silt", "Not OK: Guard fitted"),
        ("zh", "排水沟淤积堵塞", "不合格：防护罩齐全"),
    ],
)
def test_the_finding_card_starts_from_the_failure_in_the_apps_language(
    workspace: Workspace, lang: str, worded: str, plain: str
) -> None:
    """The card says what the hazard will say when the inspector writes nothing else."""
    loaded = load_checklist_text(CUSTOM, "custom.yaml")
    assert loaded.checklist is not None
    workspace.catalog.add(loaded.checklist)
    workspace.settings.language = lang
    service = InspectionService(workspace)
    inspection = service.start(loaded.checklist, "ws-stamping")
    vm = WalkViewModel(service, inspection.id, lang)
    for item_id, words in (("worded", worded), ("plain", plain)):
        goto(vm, item_id)
        vm.set_value("fail")
        assert vm.finding().description == words
    goto(vm, "limiter")
    vm.set_value("pass")
    hazards = {h.item_id: h.description for h in vm.submit("李明").hazards}
    assert hazards == {"worded": worded, "plain": plain}


def test_blockers_point_at_the_missing_photo_and_resume(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "exit-clear")
    vm.set_value("fail")
    blocker = next(b for b in vm.blockers() if b.reason is BlockReason.PHOTO_REQUIRED)
    vm.go(len(vm.steps()))
    vm.go_to_blocker(blocker)
    assert vm.step.slot.item.id == "exit-clear"
    vm.add_photo(jpeg_bytes())
    assert not [b for b in vm.blockers() if b.reason is BlockReason.PHOTO_REQUIRED]
    again = WalkViewModel(vm.service, vm.inspection.id)
    assert again.step.slot.item.id == "exit-clear"  # resumes where the inspector was


def test_translator_and_home(workspace: Workspace) -> None:
    assert Translator("zh")("nav.home") == "首页"
    assert Translator("fr")("nav.home") == "Home"
    assert language_from_locale("zh_CN.UTF-8") == "zh" and language_from_locale(None) == "en"
    summary = summarize(workspace)
    assert [f.asset.asset_id for f in summary.certificates] == ["CR-101", "FL-002", "PV-201"]
    assert "flood-season" not in [d.checklist.id for d in summary.due]  # out of season in Nov.
    assert summary.pending == 0
    # Due for each workshop the signed-in person works in, or each asset of its kind there.
    due = {(d.checklist.id, d.workshop_id, d.asset_id) for d in summary.due}
    assert ("fire-monthly", "ws-stamping", None) in due
    assert ("crane-frequent", "ws-stamping", "CR-101") in due
    assert all(workspace.user.can_act_in(d.workshop_id) for d in summary.due)


def test_home_lists_a_draft_with_its_place_and_progress(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "exit-clear")
    vm.set_value("pass")
    [draft] = summarize(workspace).in_progress
    assert (draft.id, draft.checklist.id, draft.workshop_id) == (
        vm.inspection.id,
        "fire-monthly",
        "ws-stamping",
    )
    assert draft.answered == 1 and draft.total == vm.progress().total
    InspectionService(workspace).discard_draft(draft.id)
    assert summarize(workspace).in_progress == [] and workspace.store.pending_outbox() == []


def test_a_note_stays_with_the_item_it_was_typed_on(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "fire-door")
    slot = vm.step.slot
    vm.set_value("pass")
    vm.go(1)  # the blur that saves the note can arrive after the tap on Next
    vm.set_note("Closer slow but works", slot)
    assert vm.inspection.answer("fire-door").note == "Closer slow but works"
    assert vm.inspection.answer("fire-door").value == "pass"
    assert vm.answer is None or not vm.answer.note


def test_a_second_move_asked_on_a_step_already_left_is_ignored(workspace: Workspace) -> None:
    vm = start(workspace)
    vm.add_unit("F-12")
    vm.go(1)
    origin = vm.index
    vm.go(1, origin)
    vm.go(1, origin)  # the second tap of a double tap on Next
    assert vm.index == origin + 1


def test_answers_stay_with_the_item_they_were_given_on(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "exit-clear")
    slot = vm.step.slot
    vm.go(1)  # a late tap, made on the item just left
    assert vm.set_value("fail", slot) is Outcome.FAIL
    vm.change_finding(slot, description="Exit blocked by pallets")
    assert vm.inspection.answer("exit-clear").finding.description == "Exit blocked by pallets"
    assert vm.answer is None


def test_fail_to_pass_drops_the_finding_only_when_asked(workspace: Workspace) -> None:
    vm = start(workspace)
    goto(vm, "exit-clear")
    vm.set_value("fail")
    assert not vm.drops_finding("pass")  # nothing written yet: nothing to lose
    vm.add_photo(jpeg_bytes())
    vm.change_finding(description="Exit blocked by pallets")
    assert vm.drops_finding("pass") and vm.drops_finding("na")
    assert not vm.drops_finding("fail")
    assert vm.set_value("pass", drop_finding=True) is Outcome.PASS
    assert vm.answer.finding is None and vm.answer.photos == ()


def test_a_signature_drawn_on_the_pad_is_stored_as_a_png_with_the_inspection(
    workspace: Workspace,
) -> None:
    service, inspection = walk_fire(workspace)
    vm = WalkViewModel(service, inspection.id)
    assert vm.signature_png() is None
    vm.begin_stroke(10, 10)
    vm.extend_stroke(200, 120)
    vm.clear_signature()  # Clear: start again
    assert vm.signature_png() is None
    vm.begin_stroke(20, 75)
    for x in range(30, 340, 10):
        vm.extend_stroke(x, 75 + (x % 40) - 20)
    vm.begin_stroke(300, 20)  # a dot
    submitted = vm.submit("李明").inspection
    sha = submitted.signature_photo
    assert sha is not None and service.get(inspection.id).signature_photo == sha
    png = workspace.store.photos.read(sha)
    assert hashlib.sha256(png).hexdigest() == sha
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (2 * PAD_WIDTH, 2 * PAD_HEIGHT))
    assert image.getpixel((2 * 20, 2 * 75)) < 64  # the stroke's first point is inked
    assert image.getpixel((2 * 300, 2 * 20)) < 64  # the dot
    assert image.getpixel((2 * 200, 2 * 140)) == 255  # paper elsewhere
    validate_inspection(submitted.to_dict())  # HQ takes it
    with pytest.raises(PayloadError) as error:
        validate_inspection({**submitted.to_dict(), "signature_photo": "not-a-sha"})
    assert error.value.field == "signature_photo"


def test_photos_keep_when_they_were_taken_and_can_be_deleted_before_submit(
    workspace: Workspace,
) -> None:
    vm = start(workspace)
    goto(vm, "exit-clear")
    vm.set_value("fail")
    camera = io.BytesIO()
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2026:11:21 16:30:00"}
    Image.new("RGB", (640, 480), "green").save(camera, "JPEG", exif=exif.tobytes())
    vm.add_photo(camera.getvalue())  # the camera's time, in the device's zone
    vm.add_photo(jpeg_bytes("blue"))  # none: the time it was picked
    first, second = vm.answer.photos
    assert vm.photo_taken(first) == "2026-11-21T16:30:00+08:00"
    assert vm.photo_taken(second).startswith("2026-11-22T09:00")
    assert vm.thumbnail(first) is not None
    validate_inspection(vm.inspection.submitted("2026-11-22T10:00:00+08:00", "李明").to_dict())
    vm.remove_photo(first)  # the X on its thumbnail; a retake is this and another photo
    assert vm.answer.photos == (second,) and list(vm.answer.photo_taken) == [second]
    assert BlockReason.PHOTO_REQUIRED not in {b.reason for b in vm.blockers()}
    vm.remove_photo(second)
    assert BlockReason.PHOTO_REQUIRED in {b.reason for b in vm.blockers()}


def test_times_are_shown_for_the_locale_in_the_devices_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        now = datetime(2026, 11, 27, 14, 0)
        assert local_time("2026-11-27T05:48:00+00:00", "en", now) == "27 Nov 13:48"
        assert local_time("2026-11-27T05:48:00+00:00", "zh", now) == "11月27日 13:48"
        assert local_time("2025-03-04", "en", now) == "4 Mar 2025"
        assert local_time("2025-03-04", "zh", now) == "2025年3月4日"
    finally:
        monkeypatch.undo()
        time.tzset()
