"""The hazard state machine: every allowed and every refused transition, roles, scope, conflicts,
who may verify, extension requests and their approval, fixes on the spot."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import (
    Extension,
    ExtensionStatus,
    FiveFixPlan,
    GovernancePlan,
    Hazard,
    HazardStatus,
    Supervision,
)
from inspect_app.core.roles import Role
from inspect_app.core.workflow import (
    TRANSITIONS,
    CommandResult,
    CommandType,
    Decision,
    allowed_actions,
    decide,
    referenced_photos,
)
from tests.core.conftest import (
    ADMIN,
    HEAD,
    INSPECTOR,
    OTHER_HEAD,
    OTHER_SAFETY,
    PRINCIPAL,
    RECTIFIER,
    SAFETY,
    SHA_A,
    SHA_B,
    FakeActor,
    make_command,
    make_hazard,
)

NOW = "2026-10-05T10:00:01+08:00"
ALL_ACTORS = {
    "inspector": INSPECTOR,
    "workshop_head": HEAD,
    "hq_admin": ADMIN,
    "safety_officer": SAFETY,
    "principal": PRINCIPAL,
}
C, S = CommandType, HazardStatus
UNFINISHED = {S.OPEN, S.ASSIGNED, S.RECTIFYING, S.SUBMITTED}

EXPECTED_TARGET = {
    C.ASSIGN_FIVE_FIXES: S.ASSIGNED,
    C.REQUEST_EXTENSION: None,
    C.APPROVE_EXTENSION: None,
    C.REFUSE_EXTENSION: None,
    C.SET_INTERIM_CONTROL: None,
    C.SUBMIT_GOVERNANCE: None,
    C.APPROVE_GOVERNANCE: None,
    C.RECORD_REPORT: None,
    C.RECORD_SUPERVISION: None,
    C.RECORD_SUPERVISION_SIGNOFF: None,
    C.START_RECTIFICATION: S.RECTIFYING,
    C.SUBMIT_RECTIFIED: S.SUBMITTED,
    C.FIX_ON_THE_SPOT: S.SUBMITTED,
    C.VERIFY_PASS: S.CLOSED,
    C.VERIFY_FAIL: S.RECTIFYING,
    C.REOPEN: S.RECTIFYING,
    C.COMMENT: None,
    C.ADD_PHOTO: None,
    C.VOID: S.VOIDED,
}

ALLOWED_FROM = {
    C.ASSIGN_FIVE_FIXES: {S.OPEN, S.ASSIGNED},
    C.REQUEST_EXTENSION: {S.ASSIGNED, S.RECTIFYING},
    C.APPROVE_EXTENSION: {S.ASSIGNED, S.RECTIFYING},
    C.REFUSE_EXTENSION: {S.ASSIGNED, S.RECTIFYING},
    C.SET_INTERIM_CONTROL: UNFINISHED,
    C.SUBMIT_GOVERNANCE: UNFINISHED,
    C.APPROVE_GOVERNANCE: UNFINISHED,
    C.RECORD_REPORT: set(S) - {S.VOIDED},
    C.RECORD_SUPERVISION: UNFINISHED,
    C.RECORD_SUPERVISION_SIGNOFF: UNFINISHED,
    C.START_RECTIFICATION: {S.ASSIGNED},
    C.SUBMIT_RECTIFIED: {S.RECTIFYING},
    C.FIX_ON_THE_SPOT: {S.OPEN},
    C.VERIFY_PASS: {S.SUBMITTED},
    C.VERIFY_FAIL: {S.SUBMITTED},
    C.REOPEN: {S.CLOSED},
    C.COMMENT: set(S),
    C.ADD_PHOTO: set(S),
    C.VOID: set(S) - {S.VOIDED},
}

HEADS = {Role.WORKSHOP_HEAD, Role.HQ_ADMIN}
# The roles the table names; the finder's own steps and who is excluded are tested apart.
ROLES = {
    C.ASSIGN_FIVE_FIXES: HEADS,
    C.REQUEST_EXTENSION: HEADS,
    C.APPROVE_EXTENSION: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    C.REFUSE_EXTENSION: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    C.SET_INTERIM_CONTROL: HEADS | {Role.SAFETY_OFFICER},
    C.SUBMIT_GOVERNANCE: HEADS | {Role.SAFETY_OFFICER},
    C.APPROVE_GOVERNANCE: {Role.PRINCIPAL},
    C.RECORD_REPORT: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    C.RECORD_SUPERVISION: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    C.RECORD_SUPERVISION_SIGNOFF: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    C.START_RECTIFICATION: set(Role),
    C.SUBMIT_RECTIFIED: set(Role),
    C.FIX_ON_THE_SPOT: set(),  # the finder only
    C.VERIFY_PASS: {Role.SAFETY_OFFICER},  # and the finder of a general hazard
    C.VERIFY_FAIL: {Role.SAFETY_OFFICER},
    C.REOPEN: HEADS,
    C.COMMENT: set(Role),
    C.ADD_PHOTO: set(Role),
    C.VOID: {Role.HQ_ADMIN},
}
MAJOR_ONLY = {
    C.SET_INTERIM_CONTROL,
    C.SUBMIT_GOVERNANCE,
    C.APPROVE_GOVERNANCE,
    C.RECORD_REPORT,
    C.RECORD_SUPERVISION,
    C.RECORD_SUPERVISION_SIGNOFF,
}
DECISIONS = {C.APPROVE_EXTENSION, C.REFUSE_EXTENSION}
# Someone who may issue each command on the hazard ``ready`` prepares.
ISSUER = {
    **{t: HEAD for t in TRANSITIONS},
    C.APPROVE_EXTENSION: SAFETY,
    C.REFUSE_EXTENSION: SAFETY,
    C.APPROVE_GOVERNANCE: PRINCIPAL,
    C.RECORD_REPORT: SAFETY,
    C.RECORD_SUPERVISION: SAFETY,
    C.RECORD_SUPERVISION_SIGNOFF: PRINCIPAL,
    C.FIX_ON_THE_SPOT: INSPECTOR,
    C.VERIFY_PASS: SAFETY,
    C.VERIFY_FAIL: INSPECTOR,
    C.VOID: ADMIN,
}
PENDING = Extension("Part on order", "2026-12-31", "2026-10-10", HEAD.id, NOW)
SUBMITTED_PLAN = GovernancePlan(
    "t", "m", "f", "o", "2026-10-20", "s", "e", submitted_by=HEAD.id, submitted_at=NOW
)


def ready(command_type: CommandType, status: HazardStatus, **overrides: Any) -> Hazard:
    """A hazard in ``status`` that holds what ``command_type`` needs beyond its status."""
    values: dict[str, Any] = {"status": status, "rectified_by": RECTIFIER.id}
    if command_type in MAJOR_ONLY:
        values["grade"] = Grade.MAJOR
    if command_type in DECISIONS:
        values["extensions"] = (PENDING,)
    if command_type is C.APPROVE_GOVERNANCE:
        values["governance"] = SUBMITTED_PLAN
    if command_type is C.RECORD_SUPERVISION_SIGNOFF:
        values["supervision"] = Supervision("Suzhou EMB", "2026-11-30", SAFETY.id)
    return make_hazard(**{**values, **overrides})


def act(hazard: Hazard | None, command_type: CommandType, actor: FakeActor, **kw: Any) -> Decision:
    status = hazard.status if hazard else None
    version = hazard.version if hazard else 1
    command = make_command(command_type, actor, status, base_version=version, **kw)
    return decide(hazard, command, actor, NOW)


def run(hazard: Hazard, *steps: tuple[CommandType, FakeActor]) -> Hazard:
    """The hazard after each step, every one of which must apply."""
    for command_type, actor in steps:
        decision = act(hazard, command_type, actor)
        assert decision.applied, (command_type, actor.id, decision.message)
        assert decision.hazard is not None
        hazard = decision.hazard
    return hazard


def test_table_matches_the_documented_rules() -> None:
    assert {t: set(tr.allowed_from) for t, tr in TRANSITIONS.items()} == ALLOWED_FROM
    assert {t: tr.to for t, tr in TRANSITIONS.items()} == EXPECTED_TARGET
    assert {t: set(tr.roles) for t, tr in TRANSITIONS.items()} == ROLES
    assert {t for t, tr in TRANSITIONS.items() if tr.grades == {Grade.MAJOR}} == MAJOR_ONLY
    assert {t for t, tr in TRANSITIONS.items() if tr.finder} == {
        C.FIX_ON_THE_SPOT,
        C.VERIFY_PASS,
        C.VERIFY_FAIL,
    }


CASES = [(t, s) for t in TRANSITIONS for s in HazardStatus]


@pytest.mark.parametrize(("command_type", "status"), CASES, ids=[f"{t}-from-{s}" for t, s in CASES])
def test_every_transition_from_every_status(
    command_type: CommandType, status: HazardStatus
) -> None:
    hazard = ready(command_type, status)
    actor = ISSUER[command_type]
    decision = decide(hazard, make_command(command_type, actor, status), actor, NOW)
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
    status = sorted(ALLOWED_FROM[command_type])[0]
    hazard = ready(command_type, status, found_by="p-someone-else")
    actor = ALL_ACTORS[role]
    decision = decide(hazard, make_command(command_type, actor, status), actor, NOW)
    allowed = Role(role) in ROLES[command_type]
    if command_type in DECISIONS:  # a general hazard's extension: the safety officer decides
        allowed = Role(role) is Role.SAFETY_OFFICER
    if allowed:
        assert decision.result is CommandResult.APPLIED, decision.message
    else:
        assert decision.result is CommandResult.FORBIDDEN
        assert decision.hazard == hazard


@pytest.mark.parametrize("command_type", list(TRANSITIONS))
def test_out_of_scope_workshop_is_forbidden(command_type: CommandType) -> None:
    status = sorted(ALLOWED_FROM[command_type])[0]
    hazard = ready(command_type, status, workshop_id="ws-c")
    actor = ISSUER[command_type]
    if actor is ADMIN:  # an HQ admin with no workshop list acts everywhere
        actor = FakeActor("p-gao", {Role.HQ_ADMIN}, frozenset({"ws-a"}))
    decision = decide(hazard, make_command(command_type, actor, status), actor, NOW)
    assert decision.result is CommandResult.FORBIDDEN
    assert "outside your workshops" in decision.message


def test_a_workshop_head_acts_only_in_his_workshop() -> None:
    command = make_command(C.ASSIGN_FIVE_FIXES, OTHER_HEAD, S.OPEN)
    assert decide(make_hazard(), command, OTHER_HEAD, NOW).result is CommandResult.FORBIDDEN


@pytest.mark.parametrize("command_type", list(TRANSITIONS))
def test_stale_expected_status_is_a_conflict_except_comments_and_photos(
    command_type: CommandType,
) -> None:
    status = sorted(ALLOWED_FROM[command_type])[0]
    stale = HazardStatus.OPEN if status is not HazardStatus.OPEN else HazardStatus.CLOSED
    hazard = ready(command_type, status)
    actor = ISSUER[command_type]
    decision = decide(hazard, make_command(command_type, actor, stale), actor, NOW)
    if command_type in (C.COMMENT, C.ADD_PHOTO):
        assert decision.result is CommandResult.APPLIED
    else:
        assert decision.result is CommandResult.REJECTED_CONFLICT
        assert decision.hazard == hazard
        assert decision.event.result == "rejected_conflict"


# -- who may verify ------------------------------------------------------------------------------


@pytest.mark.parametrize("command_type", [C.VERIFY_PASS, C.VERIFY_FAIL])
@pytest.mark.parametrize(
    ("actor", "hazard_changes", "message"),
    [
        (INSPECTOR, {"rectified_by": INSPECTOR.id}, "rectified"),
        (SAFETY, {"rectified_by": SAFETY.id}, "rectified"),
        (
            SAFETY,
            {"plan": FiveFixPlan(SAFETY.id, "m", "f", "2026-10-10")},
            "responsible for the fix",
        ),
        (
            INSPECTOR,
            {"plan": FiveFixPlan(INSPECTOR.id, "m", "f", "2026-10-10")},
            "responsible for the fix",
        ),
        (HEAD, {}, "your role may not verify"),
        (ADMIN, {}, "your role may not verify"),
        (PRINCIPAL, {}, "your role may not verify"),
        (RECTIFIER, {"rectified_by": "p-other"}, "your role may not verify"),
    ],
    ids=[
        "finder-who-rectified",
        "safety-officer-who-rectified",
        "safety-officer-responsible",
        "finder-responsible",
        "head",
        "hq-admin",
        "principal",
        "another-inspector",
    ],
)
def test_who_may_not_verify(
    command_type: CommandType, actor: FakeActor, hazard_changes: dict, message: str
) -> None:
    hazard = make_hazard(**{"status": S.SUBMITTED, "rectified_by": RECTIFIER.id, **hazard_changes})
    decision = decide(hazard, make_command(command_type, actor, S.SUBMITTED), actor, NOW)
    assert decision.result is CommandResult.FORBIDDEN
    assert message in decision.message
    assert command_type not in allowed_actions(hazard, actor)


@pytest.mark.parametrize("command_type", [C.VERIFY_PASS, C.VERIFY_FAIL])
@pytest.mark.parametrize("actor", [INSPECTOR, SAFETY], ids=["finder", "safety-officer"])
def test_a_general_hazard_is_verified_by_its_finder_or_a_safety_officer(
    command_type: CommandType, actor: FakeActor
) -> None:
    hazard = make_hazard(status=S.SUBMITTED, rectified_by=RECTIFIER.id)
    assert command_type in allowed_actions(hazard, actor)
    decision = act(hazard, command_type, actor)
    assert decision.applied, decision.message
    assert decision.hazard is not None
    assert (
        decision.hazard.verification_opinion
        == make_command(command_type, actor, None).payload["opinion"]
    )


def test_the_finder_of_a_major_hazard_may_not_verify_it() -> None:
    hazard = make_hazard(status=S.SUBMITTED, grade=Grade.MAJOR, rectified_by=RECTIFIER.id)
    assert act(hazard, C.VERIFY_FAIL, INSPECTOR).result is CommandResult.FORBIDDEN
    assert act(hazard, C.VERIFY_FAIL, SAFETY).applied


@pytest.mark.parametrize("command_type", [C.VERIFY_PASS, C.VERIFY_FAIL])
@pytest.mark.parametrize("payload", [{}, {"opinion": "   "}, {"note": "ok"}])
def test_verification_needs_a_written_opinion(command_type: CommandType, payload: dict) -> None:
    hazard = make_hazard(status=S.SUBMITTED, rectified_by=RECTIFIER.id)
    decision = act(hazard, command_type, SAFETY, payload=payload)
    assert decision.result is CommandResult.INVALID
    assert decision.field in ("opinion", "note")
    assert decision.hazard == hazard


def test_closed_loop_with_two_people() -> None:
    hazard = run(
        make_hazard(),
        (C.ASSIGN_FIVE_FIXES, HEAD),
        (C.START_RECTIFICATION, RECTIFIER),
        (C.SUBMIT_RECTIFIED, RECTIFIER),
        (C.VERIFY_FAIL, INSPECTOR),
        (C.SUBMIT_RECTIFIED, RECTIFIER),
        (C.VERIFY_PASS, INSPECTOR),
    )
    assert hazard.status is HazardStatus.CLOSED
    assert hazard.verified_by == INSPECTOR.id
    assert hazard.verification_opinion == "Gauge in green, seal intact"
    assert hazard.rectified_by == RECTIFIER.id
    assert hazard.funds_spent == "CNY 280"
    assert hazard.closed_at == NOW
    assert hazard.plan == FiveFixPlan(
        "p-zhao",
        "Replace the extinguisher",
        "CNY 300, workshop budget",
        "2026-10-12",
        "Spare extinguisher placed beside it",
    )
    reopened = run(hazard, (C.REOPEN, HEAD))
    assert (reopened.verified_by, reopened.verification_opinion, reopened.closed_at) == (
        None,
        None,
        None,
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


# -- extensions ----------------------------------------------------------------------------------


def request(hazard: Hazard, new_deadline: str, actor: FakeActor = HEAD) -> Decision:
    payload = {"reason": "Supplier late", "new_deadline": new_deadline}
    return act(hazard, C.REQUEST_EXTENSION, actor, payload=payload)


def test_an_extension_is_a_request_that_moves_the_deadline_only_when_approved() -> None:
    hazard = make_hazard(status=S.ASSIGNED)
    requested = request(hazard, "2026-12-31")
    assert requested.applied and requested.hazard is not None
    assert requested.hazard.deadline == "2026-10-10"
    assert requested.hazard.pending_extension == Extension(
        "Supplier late", "2026-12-31", "2026-10-10", HEAD.id, NOW
    )
    assert C.APPROVE_EXTENSION in allowed_actions(requested.hazard, SAFETY)
    assert C.APPROVE_EXTENSION not in allowed_actions(hazard, SAFETY)  # nothing to decide
    again = request(requested.hazard, "2027-01-31")
    assert again.result is CommandResult.INVALID and "waiting for a decision" in again.message
    approved = run(requested.hazard, (C.APPROVE_EXTENSION, SAFETY))
    assert approved.deadline == "2026-12-31"
    assert approved.extensions[0].status is ExtensionStatus.APPROVED
    assert (approved.extensions[0].decided_by, approved.extensions[0].decided_at) == (
        SAFETY.id,
        NOW,
    )
    assert approved.original_deadline == "2026-10-10"


def test_a_refused_extension_leaves_the_deadline() -> None:
    requested = request(make_hazard(status=S.RECTIFYING), "2026-12-31").hazard
    assert requested is not None
    refused = run(requested, (C.REFUSE_EXTENSION, SAFETY))
    assert refused.deadline == "2026-10-10"
    assert refused.extensions[0].status is ExtensionStatus.REFUSED
    assert refused.pending_extension is None
    assert refused.original_deadline == "2026-10-10"
    missing = act(requested, C.REFUSE_EXTENSION, SAFETY, payload={})
    assert missing.result is CommandResult.INVALID and missing.field == "reason"


def test_at_most_two_extensions_are_approved() -> None:
    hazard = make_hazard(status=S.ASSIGNED)
    for new_deadline in ("2026-11-10", "2026-12-10"):
        pending = request(hazard, new_deadline).hazard
        assert pending is not None
        hazard = run(pending, (C.APPROVE_EXTENSION, SAFETY))
    assert hazard.approved_extensions == 2 and hazard.deadline == "2026-12-10"
    third = request(hazard, "2027-01-10")
    assert third.result is CommandResult.INVALID
    assert "at most 2" in third.message
    assert C.REQUEST_EXTENSION not in allowed_actions(hazard, HEAD)
    assert hazard.original_deadline == "2026-10-10"
    assert [e.previous_deadline for e in hazard.extensions] == ["2026-10-10", "2026-11-10"]


def test_a_refused_request_does_not_count_against_the_two() -> None:
    pending = request(make_hazard(status=S.ASSIGNED), "2026-11-10").hazard
    assert pending is not None
    hazard = run(pending, (C.REFUSE_EXTENSION, SAFETY))
    assert request(hazard, "2026-11-10").applied


@pytest.mark.parametrize(
    ("grade", "decider", "refused"),
    [
        (Grade.GENERAL, SAFETY, [HEAD, ADMIN, PRINCIPAL, INSPECTOR]),
        (Grade.MAJOR, PRINCIPAL, [HEAD, ADMIN, SAFETY, INSPECTOR]),
    ],
    ids=["general-by-safety-officer", "major-by-principal"],
)
def test_an_extension_is_decided_by_the_next_level(
    grade: Grade, decider: FakeActor, refused: list[FakeActor]
) -> None:
    pending = request(make_hazard(status=S.ASSIGNED, grade=grade), "2026-12-31").hazard
    assert pending is not None
    for actor in refused:
        for command_type in DECISIONS:
            decision = act(pending, command_type, actor, payload={"reason": "no"})
            assert decision.result is CommandResult.FORBIDDEN, actor.id
    assert run(pending, (C.APPROVE_EXTENSION, decider)).deadline == "2026-12-31"


def test_a_safety_officer_does_not_decide_on_his_own_request() -> None:
    pending = replace(PENDING, requested_by=SAFETY.id)
    hazard = make_hazard(status=S.ASSIGNED, extensions=(pending,))
    decision = act(hazard, C.APPROVE_EXTENSION, SAFETY)
    assert decision.result is CommandResult.FORBIDDEN
    assert "asked for an extension" in decision.message
    assert act(hazard, C.APPROVE_EXTENSION, OTHER_SAFETY).applied


def test_extensions_stored_before_approvals_load_as_approved() -> None:
    old = make_hazard(status=S.ASSIGNED, deadline="2026-12-31").to_dict()
    old["extensions"] = [
        {
            "reason": "r",
            "new_deadline": "2026-12-31",
            "previous_deadline": "2026-10-10",
            "requested_by": HEAD.id,
            "requested_at": NOW,
        }
    ]
    for key in ("on_the_spot", "governance", "control", "report", "supervision", "funds_spent"):
        old.pop(key)
    hazard = Hazard.from_dict(old)
    assert hazard.extensions[0].status is ExtensionStatus.APPROVED
    assert hazard.original_deadline == "2026-10-10" and hazard.pending_extension is None
    assert not hazard.on_the_spot and hazard.governance is None
    assert Hazard.from_dict(hazard.to_dict()) == hazard


# -- fixed on the spot ---------------------------------------------------------------------------


def test_the_finder_fixes_on_the_spot_and_someone_else_verifies() -> None:
    hazard = make_hazard(deadline="2026-10-03")  # deadline_days: 0
    assert C.FIX_ON_THE_SPOT in allowed_actions(hazard, INSPECTOR)
    fixed = run(hazard, (C.FIX_ON_THE_SPOT, INSPECTOR))
    assert fixed.status is S.SUBMITTED and fixed.on_the_spot
    assert (fixed.rectified_by, fixed.rectified_at, fixed.after_photos) == (
        INSPECTOR.id,
        NOW,
        (SHA_B,),
    )
    assert fixed.original_deadline == "2026-10-03"
    refused = act(fixed, C.VERIFY_PASS, INSPECTOR)
    assert refused.result is CommandResult.FORBIDDEN and "rectified" in refused.message
    closed = run(fixed, (C.VERIFY_PASS, SAFETY))
    assert closed.status is S.CLOSED and closed.verified_by == SAFETY.id


@pytest.mark.parametrize("actor", [RECTIFIER, HEAD, SAFETY, ADMIN], ids=lambda a: a.id)
def test_only_the_finder_fixes_on_the_spot(actor: FakeActor) -> None:
    hazard = make_hazard()
    assert act(hazard, C.FIX_ON_THE_SPOT, actor).result is CommandResult.FORBIDDEN
    assert C.FIX_ON_THE_SPOT not in allowed_actions(hazard, actor)


def test_a_major_hazard_is_not_fixed_on_the_spot() -> None:
    hazard = make_hazard(grade=Grade.MAJOR)
    decision = act(hazard, C.FIX_ON_THE_SPOT, INSPECTOR)
    assert decision.result is CommandResult.FORBIDDEN
    assert C.FIX_ON_THE_SPOT not in allowed_actions(hazard, INSPECTOR)


@pytest.mark.parametrize("payload", [{"photos": [], "note": "done"}, {"photos": [SHA_A]}])
def test_a_fix_on_the_spot_needs_an_after_photo_and_a_note(payload: dict) -> None:
    decision = act(make_hazard(), C.FIX_ON_THE_SPOT, INSPECTOR, payload=payload)
    assert decision.result is CommandResult.INVALID
    assert decision.field in ("photos", "note")


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
    stale = make_command(
        CommandType.START_RECTIFICATION, HEAD, HazardStatus.ASSIGNED, base_version=2
    )
    decision = decide(hazard, stale, HEAD, NOW)
    assert decision.result is CommandResult.REJECTED_CONFLICT
    assert "version 3" in decision.message
    commented = decide(hazard, make_command(CommandType.COMMENT, INSPECTOR, None), INSPECTOR, NOW)
    assert commented.hazard is not None and commented.hazard.version == 3
    current = make_command(
        CommandType.START_RECTIFICATION, HEAD, HazardStatus.ASSIGNED, base_version=3
    )
    assert decide(commented.hazard, current, HEAD, NOW).applied


def test_two_plans_on_the_same_version_the_second_is_a_conflict() -> None:
    hazard = make_hazard(status=HazardStatus.ASSIGNED)
    first = decide(
        hazard, make_command(CommandType.ASSIGN_FIVE_FIXES, HEAD, HazardStatus.ASSIGNED), HEAD, NOW
    )
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
    assert allowed_actions(hazard, INSPECTOR) == [
        CommandType.FIX_ON_THE_SPOT,  # he found it
        CommandType.COMMENT,
        CommandType.ADD_PHOTO,
    ]
    assert allowed_actions(hazard, RECTIFIER) == [CommandType.COMMENT, CommandType.ADD_PHOTO]
    assert allowed_actions(hazard, HEAD) == [
        CommandType.ASSIGN_FIVE_FIXES,
        CommandType.COMMENT,
        CommandType.ADD_PHOTO,
    ]
    assert CommandType.VOID in allowed_actions(hazard, ADMIN)
    assert allowed_actions(hazard, OTHER_HEAD) == []
