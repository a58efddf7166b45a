"""A major hazard's path: interim control at once, the governance plan (SAWS Order 16 art. 15)
approved by the principal, the report to the authority and official supervision (挂牌督办), and
closing only by a safety officer's verification once the plan is approved and the authority has
signed off."""

from __future__ import annotations

from typing import Any

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.commands import FieldKind
from inspect_app.core.hazard import (
    AuthorityReport,
    ControlKind,
    Hazard,
    HazardStatus,
    InterimControl,
    Supervision,
)
from inspect_app.core.workflow import (
    CommandResult,
    CommandType,
    Decision,
    action_form,
    allowed_actions,
    decide,
)
from tests.core.conftest import (
    ADMIN,
    HEAD,
    INSPECTOR,
    PRINCIPAL,
    RECTIFIER,
    SAFETY,
    SHA_A,
    VALID_PAYLOADS,
    FakeActor,
    make_command,
    make_hazard,
)

NOW = "2026-10-05T10:00:01+08:00"
C, S = CommandType, HazardStatus


def act(
    hazard: Hazard, command_type: CommandType, actor: FakeActor, payload: dict | None = None
) -> Decision:
    command = make_command(command_type, actor, hazard.status, payload, base_version=hazard.version)
    return decide(hazard, command, actor, NOW)


def run(hazard: Hazard, *steps: tuple[CommandType, FakeActor]) -> Hazard:
    for command_type, actor in steps:
        decision = act(hazard, command_type, actor)
        assert decision.applied, (command_type, actor.id, decision.message)
        assert decision.hazard is not None
        hazard = decision.hazard
    return hazard


def major(**overrides: Any) -> Hazard:
    return make_hazard(grade=Grade.MAJOR, **overrides)


RECTIFIED = (
    (C.ASSIGN_FIVE_FIXES, HEAD),
    (C.START_RECTIFICATION, RECTIFIER),
    (C.SUBMIT_RECTIFIED, RECTIFIER),
)


def test_the_whole_path_of_a_supervised_major_hazard() -> None:
    hazard = run(
        major(),
        (C.SET_INTERIM_CONTROL, HEAD),  # at once, before any plan
        (C.SUBMIT_GOVERNANCE, HEAD),
        (C.APPROVE_GOVERNANCE, PRINCIPAL),
        (C.RECORD_REPORT, SAFETY),
        (C.RECORD_SUPERVISION, SAFETY),
        *RECTIFIED,
    )
    assert hazard.control == InterimControl(ControlKind.OUT_OF_SERVICE, (SHA_A,), HEAD.id, NOW)
    assert hazard.governance is not None and hazard.governance.approved
    assert (hazard.governance.submitted_by, hazard.governance.approved_by) == (
        HEAD.id,
        PRINCIPAL.id,
    )
    assert hazard.governance.targets == "Door 3 usable as an exit at all times"
    assert hazard.report == AuthorityReport(
        "Suzhou Emergency Management Bureau", "2026-10-04", SAFETY.id, NOW
    )
    assert hazard.supervision == Supervision(
        "Suzhou Emergency Management Bureau", "2026-11-30", SAFETY.id
    )
    # Supervised: no closing before the authority signs off, though failing stays possible.
    assert C.VERIFY_PASS not in allowed_actions(hazard, SAFETY)
    assert C.VERIFY_FAIL in allowed_actions(hazard, SAFETY)
    early = act(hazard, C.VERIFY_PASS, SAFETY)
    assert early.result is CommandResult.INVALID
    assert "sign-off" in early.message
    hazard = run(hazard, (C.RECORD_SUPERVISION_SIGNOFF, PRINCIPAL))
    assert hazard.supervision is not None and hazard.supervision.signed_off
    assert hazard.supervision.signed_off_by == "Inspector Qian, Suzhou EMB"
    closed = run(hazard, (C.VERIFY_PASS, SAFETY))
    assert closed.status is S.CLOSED and closed.verified_by == SAFETY.id
    assert closed.verification_opinion == "Gauge in green, seal intact"
    assert Hazard.from_dict(closed.to_dict()) == closed


def test_a_major_hazard_closes_only_once_its_governance_plan_is_approved() -> None:
    rectified = run(major(), *RECTIFIED)
    refused = act(rectified, C.VERIFY_PASS, SAFETY)
    assert refused.result is CommandResult.INVALID and "governance plan" in refused.message
    submitted = run(rectified, (C.SUBMIT_GOVERNANCE, HEAD))
    assert act(submitted, C.VERIFY_PASS, SAFETY).result is CommandResult.INVALID
    approved = run(submitted, (C.APPROVE_GOVERNANCE, PRINCIPAL))
    assert C.VERIFY_PASS in allowed_actions(approved, SAFETY)
    assert run(approved, (C.VERIFY_PASS, SAFETY)).status is S.CLOSED


@pytest.mark.parametrize("actor", [INSPECTOR, HEAD, ADMIN, PRINCIPAL], ids=lambda a: a.id)
def test_only_a_safety_officer_verifies_a_major_hazard(actor: FakeActor) -> None:
    ready = run(major(), (C.SUBMIT_GOVERNANCE, HEAD), (C.APPROVE_GOVERNANCE, PRINCIPAL), *RECTIFIED)
    for command_type in (C.VERIFY_PASS, C.VERIFY_FAIL):
        assert act(ready, command_type, actor).result is CommandResult.FORBIDDEN
        assert command_type not in allowed_actions(ready, actor)


def test_a_revised_governance_plan_needs_approval_again() -> None:
    approved = run(major(), (C.SUBMIT_GOVERNANCE, HEAD), (C.APPROVE_GOVERNANCE, PRINCIPAL))
    revised = {**VALID_PAYLOADS[C.SUBMIT_GOVERNANCE], "deadline": "2026-10-25"}
    decision = act(approved, C.SUBMIT_GOVERNANCE, SAFETY, revised)
    assert decision.applied and decision.hazard is not None
    plan = decision.hazard.governance
    assert plan is not None and not plan.approved and plan.submitted_by == SAFETY.id
    assert C.APPROVE_GOVERNANCE in allowed_actions(decision.hazard, PRINCIPAL)


@pytest.mark.parametrize("actor", [INSPECTOR, HEAD, ADMIN, SAFETY], ids=lambda a: a.id)
def test_only_the_principal_approves_the_governance_plan(actor: FakeActor) -> None:
    submitted = run(major(), (C.SUBMIT_GOVERNANCE, HEAD))
    assert act(submitted, C.APPROVE_GOVERNANCE, actor).result is CommandResult.FORBIDDEN


def test_nothing_to_approve_before_a_plan_is_submitted() -> None:
    decision = act(major(), C.APPROVE_GOVERNANCE, PRINCIPAL)
    assert decision.result is CommandResult.INVALID
    assert "no governance plan" in decision.message
    assert C.APPROVE_GOVERNANCE not in allowed_actions(major(), PRINCIPAL)


def test_a_sign_off_needs_supervision_recorded_first() -> None:
    decision = act(major(), C.RECORD_SUPERVISION_SIGNOFF, PRINCIPAL)
    assert decision.result is CommandResult.INVALID
    assert "not under official supervision" in decision.message


@pytest.mark.parametrize(
    "command_type",
    [
        C.SET_INTERIM_CONTROL,
        C.SUBMIT_GOVERNANCE,
        C.RECORD_REPORT,
        C.RECORD_SUPERVISION,
    ],
)
def test_the_major_steps_are_not_for_a_general_hazard(command_type: CommandType) -> None:
    general = make_hazard()
    actor = HEAD if command_type in (C.SET_INTERIM_CONTROL, C.SUBMIT_GOVERNANCE) else SAFETY
    decision = act(general, command_type, actor)
    assert decision.result is CommandResult.INVALID
    assert "only for a major hazard" in decision.message
    assert command_type not in allowed_actions(general, actor)


@pytest.mark.parametrize(
    ("command_type", "changes", "field"),
    [
        (C.RECORD_REPORT, {"reported_on": "2026-10-06"}, "reported_on"),  # after today
        (C.RECORD_REPORT, {"reported_on": "2026-10-02"}, "reported_on"),  # before found
        (C.SUBMIT_GOVERNANCE, {"deadline": "2026-10-01"}, "deadline"),
        (C.SUBMIT_GOVERNANCE, {"emergency_plan": ""}, "emergency_plan"),
        (C.RECORD_SUPERVISION, {"body": " "}, "body"),
        (C.SET_INTERIM_CONTROL, {"kind": "ignored"}, "kind"),
        (C.SET_INTERIM_CONTROL, {"photos": []}, "photos"),
    ],
)
def test_major_records_are_checked(command_type: CommandType, changes: dict, field: str) -> None:
    actor = HEAD if command_type in (C.SET_INTERIM_CONTROL, C.SUBMIT_GOVERNANCE) else SAFETY
    payload = {**VALID_PAYLOADS[command_type], **changes}
    decision = act(major(), command_type, actor, payload)
    assert decision.result is CommandResult.INVALID
    assert decision.field == field


def test_a_sign_off_cannot_be_dated_in_the_future() -> None:
    supervised = run(major(), (C.RECORD_SUPERVISION, SAFETY))
    payload = {**VALID_PAYLOADS[C.RECORD_SUPERVISION_SIGNOFF], "signed_off_on": "2026-10-09"}
    decision = act(supervised, C.RECORD_SUPERVISION_SIGNOFF, PRINCIPAL, payload)
    assert decision.result is CommandResult.INVALID and decision.field == "signed_off_on"


def test_forms_of_the_major_steps_are_read_from_their_models() -> None:
    governance = {f.name: f for f in action_form(C.SUBMIT_GOVERNANCE, major())}
    # SAWS Order 16 art. 15: targets and tasks, methods and measures, funds and materials,
    # organisation and people, deadline and requirements, safety measures, emergency plan.
    assert list(governance) == [
        "targets",
        "methods",
        "funds_materials",
        "organisation",
        "deadline",
        "safety_measures",
        "emergency_plan",
    ]
    assert all(f.required for f in governance.values())
    control = {f.name: f for f in action_form(C.SET_INTERIM_CONTROL, major())}
    assert control["kind"].kind is FieldKind.CHOICE
    assert control["kind"].options == ("isolated", "out_of_service")
    assert control["photos"].kind is FieldKind.PHOTOS and control["photos"].required
    verify = action_form(C.VERIFY_PASS, major())
    assert [(f.name, f.required) for f in verify] == [("opinion", True)]
    assert action_form(C.APPROVE_GOVERNANCE, major()) == ()


def test_the_safety_officer_and_principal_act_plant_wide() -> None:
    elsewhere = major(workshop_id="ws-b")
    assert C.RECORD_REPORT in allowed_actions(elsewhere, SAFETY)
    assert C.SET_INTERIM_CONTROL not in allowed_actions(elsewhere, HEAD)  # not his workshop
