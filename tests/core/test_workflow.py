"""The hazard state machine: every allowed and every refused transition, roles, scope, conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import FiveFixPlan, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import (
    TRANSITIONS,
    CommandResult,
    CommandType,
    allowed_actions,
    decide,
    referenced_photos,
)
from tests.core.conftest import (
    ADMIN,
    HEAD,
    INSPECTOR,
    OTHER_HEAD,
    RECTIFIER,
    SHA_A,
    FakeActor,
    make_command,
    make_hazard,
)

NOW = "2026-10-05T10:00:01+08:00"
ALL_ACTORS = {"inspector": INSPECTOR, "workshop_head": HEAD, "hq_admin": ADMIN}

EXPECTED_TARGET = {
    CommandType.ASSIGN_FIVE_FIXES: HazardStatus.ASSIGNED,
    CommandType.REQUEST_EXTENSION: None,
    CommandType.START_RECTIFICATION: HazardStatus.RECTIFYING,
    CommandType.SUBMIT_RECTIFIED: HazardStatus.SUBMITTED,
    CommandType.VERIFY_PASS: HazardStatus.CLOSED,
    CommandType.VERIFY_FAIL: HazardStatus.RECTIFYING,
    CommandType.REOPEN: HazardStatus.RECTIFYING,
    CommandType.COMMENT: None,
    CommandType.ADD_PHOTO: None,
    CommandType.VOID: HazardStatus.VOIDED,
}

ALLOWED_FROM = {
    CommandType.ASSIGN_FIVE_FIXES: {HazardStatus.OPEN, HazardStatus.ASSIGNED},
    CommandType.REQUEST_EXTENSION: {HazardStatus.ASSIGNED, HazardStatus.RECTIFYING},
    CommandType.START_RECTIFICATION: {HazardStatus.ASSIGNED},
    CommandType.SUBMIT_RECTIFIED: {HazardStatus.RECTIFYING},
    CommandType.VERIFY_PASS: {HazardStatus.SUBMITTED},
    CommandType.VERIFY_FAIL: {HazardStatus.SUBMITTED},
    CommandType.REOPEN: {HazardStatus.CLOSED},
    CommandType.COMMENT: set(HazardStatus),
    CommandType.ADD_PHOTO: set(HazardStatus),
    CommandType.VOID: set(HazardStatus) - {HazardStatus.VOIDED},
}

ROLES = {
    CommandType.ASSIGN_FIVE_FIXES: {Role.WORKSHOP_HEAD, Role.HQ_ADMIN},
    CommandType.REQUEST_EXTENSION: {Role.WORKSHOP_HEAD, Role.HQ_ADMIN},
    CommandType.START_RECTIFICATION: set(Role),
    CommandType.SUBMIT_RECTIFIED: set(Role),
    CommandType.VERIFY_PASS: set(Role),
    CommandType.VERIFY_FAIL: set(Role),
    CommandType.REOPEN: {Role.WORKSHOP_HEAD, Role.HQ_ADMIN},
    CommandType.COMMENT: set(Role),
    CommandType.ADD_PHOTO: set(Role),
    CommandType.VOID: {Role.HQ_ADMIN},
}


def test_table_matches_the_documented_rules() -> None:
    assert {t: set(tr.allowed_from) for t, tr in TRANSITIONS.items()} == ALLOWED_FROM
    assert {t: tr.to for t, tr in TRANSITIONS.items()} == EXPECTED_TARGET
    assert {t: set(tr.roles) for t, tr in TRANSITIONS.items()} == ROLES


CASES = [(t, s) for t in TRANSITIONS for s in HazardStatus]


@pytest.mark.parametrize(("command_type", "status"), CASES, ids=[f"{t}-from-{s}" for t, s in CASES])
def test_every_transition_from_every_status(
    command_type: CommandType, status: HazardStatus
) -> None:
    hazard = make_hazard(status=status, rectified_by="p-zhao" if status else None)
    decision = decide(hazard, make_command(command_type, ADMIN, status), ADMIN, NOW)
    if status in ALLOWED_FROM[command_type]:
        assert decision.result is CommandResult.APPLIED, decision.message
        assert decision.hazard is not None
        assert decision.hazard.status is (EXPECTED_TARGET[command_type] or status)
        decisions = 0 if TRANSITIONS[command_type].always_applies else 1
        assert decision.hazard.version == hazard.version + decisions
        assert decision.event.status_from == status.value
        assert decision.event.status_to == decision.hazard.status.value
    else:
        assert decision.result is CommandResult.INVALID
        assert decision.hazard == hazard
        assert "not allowed" in decision.message


ROLE_CASES = [(t, name) for t in TRANSITIONS for name in ALL_ACTORS]


@pytest.mark.parametrize(
    ("command_type", "role"), ROLE_CASES, ids=[f"{t}-by-{r}" for t, r in ROLE_CASES]
)
def test_roles(command_type: CommandType, role: str) -> None:
    status = next(iter(sorted(ALLOWED_FROM[command_type])))
    hazard = make_hazard(status=status, rectified_by="p-zhao")
    actor = ALL_ACTORS[role]
    decision = decide(hazard, make_command(command_type, actor, status), actor, NOW)
    if Role(role) in ROLES[command_type]:
        assert decision.result is CommandResult.APPLIED, decision.message
    else:
        assert decision.result is CommandResult.FORBIDDEN
        assert decision.hazard == hazard


@pytest.mark.parametrize("command_type", list(TRANSITIONS))
def test_out_of_scope_workshop_is_forbidden(command_type: CommandType) -> None:
    status = next(iter(sorted(ALLOWED_FROM[command_type])))
    hazard = make_hazard(status=status)
    decision = decide(hazard, make_command(command_type, OTHER_HEAD, status), OTHER_HEAD, NOW)
    assert decision.result is CommandResult.FORBIDDEN
    assert "outside your workshops" in decision.message


@pytest.mark.parametrize("command_type", list(TRANSITIONS))
def test_stale_expected_status_is_a_conflict_except_comments_and_photos(
    command_type: CommandType,
) -> None:
    status = next(iter(sorted(ALLOWED_FROM[command_type])))
    stale = HazardStatus.OPEN if status is not HazardStatus.OPEN else HazardStatus.CLOSED
    hazard = make_hazard(status=status, rectified_by="p-zhao")
    decision = decide(hazard, make_command(command_type, ADMIN, stale), ADMIN, NOW)
    if command_type in (CommandType.COMMENT, CommandType.ADD_PHOTO):
        assert decision.result is CommandResult.APPLIED
    else:
        assert decision.result is CommandResult.REJECTED_CONFLICT
        assert decision.hazard == hazard
        assert decision.event.result == "rejected_conflict"


@pytest.mark.parametrize("command_type", [CommandType.VERIFY_PASS, CommandType.VERIFY_FAIL])
def test_the_rectifier_cannot_verify(command_type: CommandType) -> None:
    hazard = make_hazard(status=HazardStatus.SUBMITTED, rectified_by=HEAD.id)
    decision = decide(hazard, make_command(command_type, HEAD, HazardStatus.SUBMITTED), HEAD, NOW)
    assert decision.result is CommandResult.FORBIDDEN
    assert "cannot verify" in decision.message
    assert command_type not in allowed_actions(hazard, HEAD)


def test_closed_loop_with_two_people() -> None:
    hazard = make_hazard()
    steps = [
        (CommandType.ASSIGN_FIVE_FIXES, HEAD),
        (CommandType.START_RECTIFICATION, RECTIFIER),
        (CommandType.SUBMIT_RECTIFIED, RECTIFIER),
        (CommandType.VERIFY_FAIL, HEAD),
        (CommandType.SUBMIT_RECTIFIED, RECTIFIER),
        (CommandType.VERIFY_PASS, HEAD),
    ]
    for command_type, actor in steps:
        command = make_command(command_type, actor, hazard.status, base_version=hazard.version)
        decision = decide(hazard, command, actor, NOW)
        assert decision.applied, (command_type, decision.message)
        assert decision.hazard is not None
        hazard = decision.hazard
    assert hazard.status is HazardStatus.CLOSED
    assert hazard.verified_by == HEAD.id
    assert hazard.rectified_by == RECTIFIER.id
    assert hazard.closed_at == NOW
    assert hazard.plan == FiveFixPlan(
        "p-zhao",
        "Replace the extinguisher",
        "CNY 300, workshop budget",
        "2026-10-12",
        "Spare extinguisher placed beside it",
    )


def test_major_hazard_needs_contingency_plan() -> None:
    hazard = make_hazard(grade=Grade.MAJOR)
    payload = {"responsible_id": "p-zhao", "measures": "m", "funds": "f", "deadline": "2026-10-08"}
    decision = decide(
        hazard,
        make_command(CommandType.ASSIGN_FIVE_FIXES, HEAD, HazardStatus.OPEN, payload),
        HEAD,
        NOW,
    )
    assert decision.result is CommandResult.INVALID
    assert decision.field == "contingency"
    assert decision.event.field == "contingency" and decision.event.payload == {}


def test_extension_is_kept_as_a_row_and_moves_the_deadline() -> None:
    hazard = make_hazard(status=HazardStatus.ASSIGNED)
    first = decide(
        hazard, make_command(CommandType.REQUEST_EXTENSION, HEAD, HazardStatus.ASSIGNED), HEAD, NOW
    )
    assert first.hazard is not None
    second = decide(
        first.hazard,
        make_command(
            CommandType.REQUEST_EXTENSION,
            HEAD,
            HazardStatus.ASSIGNED,
            {"reason": "Supplier late", "new_deadline": "2027-01-15"},
            base_version=first.hazard.version,
        ),
        HEAD,
        NOW,
    )
    assert second.hazard is not None
    assert second.hazard.deadline == "2027-01-15"
    assert [e.new_deadline for e in second.hazard.extensions] == ["2026-12-31", "2027-01-15"]
    assert second.hazard.extensions[1].previous_deadline == "2026-12-31"


@pytest.mark.parametrize(
    ("command_type", "payload", "field", "message"),
    [
        (
            CommandType.REQUEST_EXTENSION,
            {"reason": "x", "new_deadline": "2026-10-01"},
            "new_deadline",
            "after",
        ),
        (
            CommandType.REQUEST_EXTENSION,
            {"reason": "  ", "new_deadline": "2026-12-01"},
            "reason",
            "at least 1 character",
        ),
        (
            CommandType.ASSIGN_FIVE_FIXES,
            {"responsible_id": "p", "measures": "m", "funds": "f", "deadline": "soon"},
            "deadline",
            "pattern",
        ),
        (
            CommandType.ASSIGN_FIVE_FIXES,
            {"responsible_id": "p", "measures": "m", "funds": "f", "deadline": "2026-02-30"},
            "deadline",
            "calendar date",
        ),
        (
            CommandType.ASSIGN_FIVE_FIXES,
            {"responsible_id": ["p"], "measures": "m", "funds": "f", "deadline": "2026-11-30"},
            "responsible_id",
            "valid string",
        ),
        (CommandType.COMMENT, {"text": "x", "verified_by": "p-li"}, "verified_by", "not a field"),
        (CommandType.COMMENT, {"text": "x" * 4001}, "text", "at most 4000"),
        (CommandType.ADD_PHOTO, {"photos": ['"><script>']}, "photos.0", "pattern"),
        (CommandType.ADD_PHOTO, {"photos": ["a" * 64] * 13}, "photos", "at most 12"),
    ],
)
def test_bad_payloads_are_invalid_naming_the_field(
    command_type: CommandType, payload: dict, field: str, message: str
) -> None:
    hazard = make_hazard(status=HazardStatus.ASSIGNED)
    decision = decide(
        hazard, make_command(command_type, HEAD, HazardStatus.ASSIGNED, payload), HEAD, NOW
    )
    assert decision.result is CommandResult.INVALID
    assert decision.event.result == "rejected_invalid"
    assert decision.field == field
    assert message in decision.message
    assert decision.hazard == hazard


def test_a_decision_on_an_old_version_is_a_conflict_but_a_comment_since_is_not() -> None:
    hazard = make_hazard(status=HazardStatus.ASSIGNED, version=3)
    stale = make_command(CommandType.START_RECTIFICATION, HEAD, HazardStatus.ASSIGNED, base_version=2)
    decision = decide(hazard, stale, HEAD, NOW)
    assert decision.result is CommandResult.REJECTED_CONFLICT
    assert "version 3" in decision.message
    commented = decide(hazard, make_command(CommandType.COMMENT, INSPECTOR, None), INSPECTOR, NOW)
    assert commented.hazard is not None and commented.hazard.version == 3
    current = make_command(CommandType.START_RECTIFICATION, HEAD, HazardStatus.ASSIGNED, base_version=3)
    assert decide(commented.hazard, current, HEAD, NOW).applied


def test_two_plans_on_the_same_version_the_second_is_a_conflict() -> None:
    hazard = make_hazard(status=HazardStatus.ASSIGNED)
    first = decide(hazard, make_command(CommandType.ASSIGN_FIVE_FIXES, HEAD, HazardStatus.ASSIGNED), HEAD, NOW)
    assert first.applied and first.hazard is not None
    second = make_command(CommandType.ASSIGN_FIVE_FIXES, ADMIN, HazardStatus.ASSIGNED)
    assert decide(first.hazard, second, ADMIN, NOW).result is CommandResult.REJECTED_CONFLICT


def test_submit_rectified_needs_an_after_photo() -> None:
    hazard = make_hazard(status=HazardStatus.RECTIFYING)
    command = make_command(
        CommandType.SUBMIT_RECTIFIED, RECTIFIER, HazardStatus.RECTIFYING, {"photos": []}
    )
    decision = decide(hazard, command, RECTIFIER, NOW)
    assert decision.result is CommandResult.INVALID
    assert decision.field == "photos"


CREATE = {
    "workshop_id": "ws-a",
    "description": "Extinguisher F-12 gauge in red",
    "grade": "general",
    "risk": "yellow",
    "deadline": "2026-10-10",
    "photos": [SHA_A],
}


def test_create_registers_an_open_hazard_in_scope_only() -> None:
    command = make_command(CommandType.CREATE, INSPECTOR, None, CREATE)
    decision = decide(None, command, INSPECTOR, NOW)
    assert decision.applied
    assert decision.hazard is not None and decision.hazard.status is HazardStatus.OPEN
    assert decision.hazard.found_by == INSPECTOR.id
    assert decision.hazard.found_at == command.observed_at
    assert referenced_photos(command) == [SHA_A]
    outsider = FakeActor("p-x", {Role.INSPECTOR}, frozenset({"ws-b"}))
    command = make_command(CommandType.CREATE, outsider, None, CREATE)
    assert decide(None, command, outsider, NOW).result is CommandResult.FORBIDDEN
    assert decide(decision.hazard, command, outsider, NOW).result is CommandResult.INVALID


def test_create_with_incomplete_payload_is_invalid() -> None:
    command = make_command(CommandType.CREATE, INSPECTOR, None, {"workshop_id": "ws-a"})
    decision = decide(None, command, INSPECTOR, NOW)
    assert decision.result is CommandResult.INVALID
    assert decision.field == "description"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("found_by", "p-wang"),
        ("rectified_by", "p-li"),
        ("verified_by", "p-li"),
        ("closed_at", "2026-10-01T00:00:00+08:00"),
        ("status", "closed"),
        ("version", 9),
        ("after_photos", [SHA_A]),
        ("comments", "many"),
        ("found_at", "not-a-date"),
    ],
)
def test_facts_about_who_and_when_never_come_from_a_create_payload(key: str, value: object) -> None:
    command = make_command(CommandType.CREATE, INSPECTOR, None, {**CREATE, key: value})
    decision = decide(None, command, INSPECTOR, NOW)
    assert decision.result is CommandResult.INVALID
    assert decision.field == key
    assert decision.hazard is None


def test_a_create_observed_in_the_future_is_found_when_recorded() -> None:
    command = replace(
        make_command(CommandType.CREATE, INSPECTOR, None, CREATE),
        observed_at="2030-01-01T00:00:00+00:00",
    )
    decision = decide(None, command, INSPECTOR, NOW)
    assert decision.hazard is not None
    assert decision.hazard.found_at == NOW


@pytest.mark.parametrize("observed_at", ["yesterday", "2026-10-05T10:00:00", "12345"])
def test_observed_at_must_be_a_zoned_timestamp(observed_at: str) -> None:
    command = replace(make_command(CommandType.COMMENT, INSPECTOR, None), observed_at=observed_at)
    decision = decide(make_hazard(), command, INSPECTOR, NOW)
    assert decision.result is CommandResult.INVALID
    assert decision.field == "observed_at"


def test_actor_must_match_the_command() -> None:
    hazard = make_hazard()
    command = make_command(CommandType.COMMENT, INSPECTOR, None)
    assert decide(hazard, command, HEAD, NOW).result is CommandResult.FORBIDDEN
    assert decide(hazard, command, None, NOW).result is CommandResult.FORBIDDEN


def test_allowed_actions_offer_only_what_role_and_state_allow() -> None:
    hazard = make_hazard(status=HazardStatus.OPEN)
    assert allowed_actions(hazard, INSPECTOR) == [CommandType.COMMENT, CommandType.ADD_PHOTO]
    assert allowed_actions(hazard, HEAD) == [
        CommandType.ASSIGN_FIVE_FIXES,
        CommandType.COMMENT,
        CommandType.ADD_PHOTO,
    ]
    assert CommandType.VOID in allowed_actions(hazard, ADMIN)
    assert allowed_actions(hazard, OTHER_HEAD) == []
