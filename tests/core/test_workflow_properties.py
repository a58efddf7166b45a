"""State-machine properties over any sequence of commands by any people: a major hazard closes
only by a safety officer's verification once the principal approved its governance plan (and the
authority signed off where supervised); nobody verifies a fix he made or was responsible for;
the deadline moves only on an approved extension, at most twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import ExtensionStatus, Hazard, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import (
    TRANSITIONS,
    CommandResult,
    CommandType,
    allowed_actions,
    decide,
)
from tests.core.conftest import (
    ADMIN,
    HEAD,
    INSPECTOR,
    PLANT,
    PRINCIPAL,
    RECTIFIER,
    SAFETY,
    VALID_PAYLOADS,
    FakeActor,
    make_command,
    make_hazard,
)

NOW = "2026-10-05T10:00:01+08:00"
C, S = CommandType, HazardStatus
# People holding several roles are where "his own fix" slips through if anywhere.
PEOPLE = (
    INSPECTOR,
    RECTIFIER,
    HEAD,
    ADMIN,
    SAFETY,
    PRINCIPAL,
    FakeActor("p-xu", {Role.SAFETY_OFFICER, Role.INSPECTOR}, PLANT),
    FakeActor("p-ren", {Role.SAFETY_OFFICER, Role.WORKSHOP_HEAD}, PLANT),
    FakeActor("p-boss", {Role.PRINCIPAL, Role.SAFETY_OFFICER}, PLANT),
)
# Whom plans make responsible: mostly people who could verify, were they not excluded.
RESPONSIBLE = (INSPECTOR, RECTIFIER, SAFETY, *PEOPLE[-3:])
# Every command type but voiding (which only ends a sequence early), the steps that move a
# hazard towards closing thrice as often, so that sequences of a few dozen steps get there.
FORWARD = {
    C.SUBMIT_GOVERNANCE,
    C.APPROVE_GOVERNANCE,
    C.RECORD_SUPERVISION_SIGNOFF,
    C.ASSIGN_FIVE_FIXES,
    C.START_RECTIFICATION,
    C.SUBMIT_RECTIFIED,
    C.FIX_ON_THE_SPOT,
    C.VERIFY_PASS,
}
DECK = tuple(t for t in TRANSITIONS if t is not C.VOID for _ in range(3 if t in FORWARD else 1))


class Who:
    """Who issues a step's command."""

    OFFERED = "someone it is offered to now"  # most steps, so that sequences get far
    ANYONE = "anyone at all"  # to try what is not offered
    FIXER = "whoever rectified it or is responsible for the fix"  # to try verifying one's own


@dataclass(frozen=True)
class Step:
    command: int
    who: str
    person: int
    responsible: int
    stale: bool  # decided on the version before the current one


steps = st.builds(
    Step,
    command=st.integers(0, len(DECK) - 1),
    who=st.sampled_from([Who.OFFERED] * 6 + [Who.ANYONE, Who.FIXER]),
    person=st.integers(0, len(PEOPLE) - 1),
    responsible=st.integers(0, len(RESPONSIBLE) - 1),
    stale=st.integers(0, 9).map(lambda n: n == 0),
)
starts = st.builds(
    lambda grade, finder: make_hazard(grade=grade, found_by=PEOPLE[finder].id),
    st.sampled_from(list(Grade)),
    st.integers(0, len(PEOPLE) - 1),
)


def payload_for(command_type: CommandType, hazard: Hazard, step: Step) -> dict[str, Any]:
    payload = dict(VALID_PAYLOADS.get(command_type, {}))
    if command_type is C.ASSIGN_FIVE_FIXES:
        payload["responsible_id"] = RESPONSIBLE[step.responsible].id
    if command_type is C.REQUEST_EXTENSION:
        later = date.fromisoformat(hazard.deadline) + timedelta(days=30)
        payload["new_deadline"] = later.isoformat()
    return payload


def check_step(before: Hazard, command_type: CommandType, actor: FakeActor, after: Hazard) -> None:
    """What every applied command must respect."""
    if after.status is S.CLOSED and before.status is not S.CLOSED:
        assert command_type is C.VERIFY_PASS
        if after.is_major:
            assert Role.SAFETY_OFFICER in actor.roles
            assert after.governance is not None and after.governance.approved
            approver = next(p for p in PEOPLE if p.id == after.governance.approved_by)
            assert Role.PRINCIPAL in approver.roles
            assert after.supervision is None or after.supervision.signed_off
        assert after.verification_opinion
    if command_type in (C.VERIFY_PASS, C.VERIFY_FAIL):
        assert actor.id != before.rectified_by
        assert before.plan is None or actor.id != before.plan.responsible_id
        if not before.is_major:
            assert actor.id == before.found_by or Role.SAFETY_OFFICER in actor.roles
    if after.deadline != before.deadline:
        assert command_type in (C.APPROVE_EXTENSION, C.ASSIGN_FIVE_FIXES, C.REOPEN)
    assert after.approved_extensions <= 2
    assert sum(e.status is ExtensionStatus.REQUESTED for e in after.extensions) <= 1


def chosen(hazard: Hazard, step: Step) -> tuple[CommandType, FakeActor]:
    command_type = DECK[step.command]
    if step.who == Who.OFFERED:
        candidates = [p for p in PEOPLE if command_type in allowed_actions(hazard, p)]
    elif step.who == Who.FIXER:
        fixers = {hazard.rectified_by, hazard.plan.responsible_id if hazard.plan else None}
        candidates = [p for p in PEOPLE if p.id in fixers]
    else:
        candidates = []
    return command_type, (candidates or PEOPLE)[step.person % len(candidates or PEOPLE)]


@settings(max_examples=150, deadline=None)
@given(start=starts, sequence=st.lists(steps, min_size=30, max_size=80))
def test_no_sequence_of_commands_breaks_the_rules(start: Hazard, sequence: list[Step]) -> None:
    hazard = start
    for step in sequence:
        command_type, actor = chosen(hazard, step)
        offered = allowed_actions(hazard, actor)
        version = hazard.version - 1 if step.stale else hazard.version
        command = make_command(
            command_type,
            actor,
            hazard.status,
            payload_for(command_type, hazard, step),
            base_version=version,
        )
        decision = decide(hazard, command, actor, NOW)
        if command_type in offered and not step.stale:
            # What is offered is what applies: the device never shows a step HQ refuses.
            assert decision.result is CommandResult.APPLIED, (command_type, decision.message)
        if decision.applied:
            assert decision.hazard is not None
            check_step(hazard, command_type, actor, decision.hazard)
            hazard = decision.hazard
        else:
            assert decision.hazard == hazard


def closes_a_major(sequence: list[Step]) -> bool:
    """Whether the offered steps of ``sequence`` take a major hazard to closed."""
    hazard = make_hazard(grade=Grade.MAJOR)
    for step in sequence:
        command_type, actor = chosen(hazard, step)
        if command_type not in allowed_actions(hazard, actor):
            continue
        command = make_command(
            command_type,
            actor,
            hazard.status,
            payload_for(command_type, hazard, step),
            base_version=hazard.version,
        )
        decision = decide(hazard, command, actor, NOW)
        assert decision.hazard is not None
        hazard = decision.hazard
        if hazard.status is S.CLOSED:
            return True
    return False


def test_the_generated_sequences_do_reach_a_closed_major_hazard() -> None:
    """The property above is not vacuous: offered steps alone can close a major hazard."""
    found = []

    @settings(max_examples=100, deadline=None)
    @given(st.lists(steps, min_size=30, max_size=80))
    def search(sequence: list[Step]) -> None:
        if closes_a_major(sequence):
            found.append(sequence)

    search()
    assert found
