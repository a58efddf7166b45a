"""The payload table: every command type has a model, forms are read from it, records checked."""

from __future__ import annotations

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.commands import MAX_PHOTOS, FieldKind, PayloadError, validate_payload
from inspect_app.core.records import record_problems
from inspect_app.core.workflow import PAYLOADS, CommandType, action_form
from tests.core.conftest import HEAD, PRINCIPAL, SAFETY, SHA_A, VALID_PAYLOADS, make_hazard
from tests.core.test_major_path import RECTIFIED, major, run

C = CommandType


def test_every_command_type_has_a_payload_model() -> None:
    assert set(PAYLOADS) == set(CommandType)


@pytest.mark.parametrize("command_type", [t for t in CommandType if t is not CommandType.CREATE])
def test_the_valid_payloads_of_the_tests_pass_their_model(command_type: CommandType) -> None:
    validate_payload(PAYLOADS[command_type], VALID_PAYLOADS.get(command_type, {}))


def test_the_plan_form_is_read_from_the_model_and_the_major_rule() -> None:
    general = {f.name: f for f in action_form(CommandType.ASSIGN_FIVE_FIXES, make_hazard())}
    major = {
        f.name: f
        for f in action_form(CommandType.ASSIGN_FIVE_FIXES, make_hazard(grade=Grade.MAJOR))
    }
    assert list(general) == ["responsible_id", "measures", "funds", "deadline", "contingency"]
    assert general["responsible_id"].kind is FieldKind.PERSON
    assert general["deadline"].kind is FieldKind.DATE
    assert general["measures"].kind is FieldKind.LONG_TEXT and general["measures"].max_length
    assert not general["contingency"].required and major["contingency"].required
    assert general["contingency"].kind is FieldKind.LONG_TEXT


def test_forms_leave_out_what_the_app_fills_in() -> None:
    assert action_form(CommandType.START_RECTIFICATION, make_hazard()) == ()
    names = [f.name for f in action_form(CommandType.SUBMIT_RECTIFIED, make_hazard())]
    assert names == ["photos", "note", "funds_spent"]


def test_a_payload_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(PayloadError) as caught:
        validate_payload(PAYLOADS[CommandType.COMMENT], ["text"])
    assert caught.value.field is None


def test_photo_count_is_bounded() -> None:
    with pytest.raises(PayloadError) as caught:
        validate_payload(PAYLOADS[CommandType.ADD_PHOTO], {"photos": [SHA_A] * (MAX_PHOTOS + 1)})
    assert caught.value.field == "photos"


def test_a_sound_record_has_no_problems() -> None:
    assert record_problems(make_hazard(photos=(SHA_A,)).to_dict()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"found_at": "not-a-date"}, "found_at"),
        ({"found_at": 12345}, "found_at"),
        ({"comments": "many"}, "comments"),
        ({"after_photos": ['"><script>alert(3)</script>']}, "after_photos.0"),
        ({"workshop_id": ["ws-a"]}, "workshop_id"),
        ({"deadline": "2026-13-01"}, "deadline"),
        ({"found_at": "2026-10-03T09:00:00"}, "found_at"),
    ],
)
def test_a_broken_record_names_its_field(changes: dict, field: str) -> None:
    problems = record_problems({**make_hazard().to_dict(), **changes})
    assert [f for f, _ in problems] == [field]


def test_a_record_that_is_not_an_object() -> None:
    assert record_problems("junk") == [("", "the record is not an object")]


def test_records_the_major_path_writes_pass_the_record_check() -> None:
    hazard = run(
        major(),
        (C.SET_INTERIM_CONTROL, HEAD),
        (C.SUBMIT_GOVERNANCE, HEAD),
        (C.APPROVE_GOVERNANCE, PRINCIPAL),
        (C.RECORD_REPORT, SAFETY),
        (C.RECORD_SUPERVISION, SAFETY),
        *RECTIFIED,
        (C.RECORD_SUPERVISION_SIGNOFF, PRINCIPAL),
        (C.VERIFY_PASS, SAFETY),
    )
    assert hazard.status.value == "closed"
    assert record_problems(hazard.to_dict()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"governance": {"targets": "x"}}, "governance.methods"),
        (
            {
                "control": {
                    "kind": "locked",
                    "set_by": "p-wang",
                    "set_at": "2026-10-05T10:00:00+08:00",
                }
            },
            "control.kind",
        ),
        (
            {"supervision": {"body": "x", "deadline": "soon", "recorded_by": "p-lin"}},
            "supervision.deadline",
        ),
        ({"on_the_spot": "yes"}, "on_the_spot"),
    ],
)
def test_a_broken_major_path_record_names_its_field(changes: dict, field: str) -> None:
    problems = record_problems({**make_hazard().to_dict(), **changes})
    assert field in [f for f, _ in problems]
