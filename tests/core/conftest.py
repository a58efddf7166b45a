"""Shared builders for core tests: actors, hazards and commands."""

from __future__ import annotations

import itertools
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

import pytest

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import Command, CommandType

SHA_A = "a" * 64
SHA_B = "b" * 64


@dataclass(frozen=True)
class FakeActor:
    id: str
    roles: Set[Role]
    workshops: frozenset[str] = field(default_factory=frozenset)

    def can_act_in(self, workshop_id: str) -> bool:
        return (Role.HQ_ADMIN in self.roles and not self.workshops) or workshop_id in self.workshops


PLANT = frozenset({"ws-a", "ws-b"})
INSPECTOR = FakeActor("p-li", {Role.INSPECTOR}, frozenset({"ws-a"}))  # finds the test hazards
RECTIFIER = FakeActor("p-zhao", {Role.INSPECTOR}, frozenset({"ws-a"}))
HEAD = FakeActor("p-wang", {Role.WORKSHOP_HEAD}, frozenset({"ws-a"}))
OTHER_HEAD = FakeActor("p-sun", {Role.WORKSHOP_HEAD}, frozenset({"ws-b"}))
ADMIN = FakeActor("p-chen", {Role.HQ_ADMIN})
# Plant-wide roles: the site loader gives them every workshop.
SAFETY = FakeActor("p-lin", {Role.SAFETY_OFFICER}, PLANT)
OTHER_SAFETY = FakeActor("p-gu", {Role.SAFETY_OFFICER}, PLANT)
PRINCIPAL = FakeActor("p-zhang", {Role.PRINCIPAL}, PLANT)

_ids = itertools.count(1)


def make_hazard(**overrides: Any) -> Hazard:
    values: dict[str, Any] = {
        "id": "hz-1",
        "workshop_id": "ws-a",
        "description": "Extinguisher F-12 gauge in red",
        "grade": Grade.GENERAL,
        "risk": Risk.YELLOW,
        "found_by": "p-li",
        "found_at": "2026-10-03T09:00:00+08:00",
        "deadline": "2026-10-10",
    }
    values.update(overrides)
    return Hazard(**values)


VALID_PAYLOADS: dict[CommandType, dict[str, Any]] = {
    CommandType.ASSIGN_FIVE_FIXES: {
        "responsible_id": "p-zhao",
        "measures": "Replace the extinguisher",
        "funds": "CNY 300, workshop budget",
        "deadline": "2026-10-12",
        "contingency": "Spare extinguisher placed beside it",
    },
    CommandType.REQUEST_EXTENSION: {"reason": "Part on order", "new_deadline": "2026-12-31"},
    CommandType.APPROVE_EXTENSION: {},
    CommandType.REFUSE_EXTENSION: {"reason": "Order the part from the local supplier"},
    CommandType.SET_INTERIM_CONTROL: {"kind": "out_of_service", "photos": [SHA_A]},
    CommandType.SUBMIT_GOVERNANCE: {
        "targets": "Door 3 usable as an exit at all times",
        "methods": "Replace the lock with a panic bar",
        "funds_materials": "CNY 2,000 from the safety budget; panic bar in stock",
        "organisation": "Maintenance team under the workshop head",
        "deadline": "2026-10-20",
        "safety_measures": "Guard posted at door 3 until fixed",
        "emergency_plan": "Evacuation through door 2, drilled on 2026-10-06",
    },
    CommandType.APPROVE_GOVERNANCE: {},
    CommandType.RECORD_REPORT: {
        "authority": "Suzhou Emergency Management Bureau",
        "reported_on": "2026-10-04",
    },
    CommandType.RECORD_SUPERVISION: {
        "body": "Suzhou Emergency Management Bureau",
        "deadline": "2026-11-30",
    },
    CommandType.RECORD_SUPERVISION_SIGNOFF: {
        "signed_off_by": "Inspector Qian, Suzhou EMB",
        "signed_off_on": "2026-10-05",
        "sign_off_note": "Supervision lifted",
    },
    CommandType.START_RECTIFICATION: {},
    CommandType.SUBMIT_RECTIFIED: {"photos": [SHA_B], "note": "Replaced", "funds_spent": "CNY 280"},
    CommandType.FIX_ON_THE_SPOT: {"photos": [SHA_B], "note": "Pallet moved off the exit"},
    CommandType.VERIFY_PASS: {"opinion": "Gauge in green, seal intact"},
    CommandType.VERIFY_FAIL: {"opinion": "Still in red"},
    CommandType.REOPEN: {"reason": "Found again"},
    CommandType.COMMENT: {"text": "Seen today"},
    CommandType.ADD_PHOTO: {"photos": [SHA_A]},
    CommandType.VOID: {"reason": "Registered twice"},
}


def make_command(
    command_type: CommandType,
    actor: FakeActor,
    expected_from: HazardStatus | None,
    payload: dict[str, Any] | None = None,
    hazard_id: str = "hz-1",
    base_version: int = 1,
) -> Command:
    n = next(_ids)
    return Command(
        id=f"cmd-{n}",
        device_id="dev-1",
        seq=n,
        hazard_id=hazard_id,
        type=command_type,
        actor=actor.id,
        observed_at="2026-10-05T10:00:00+08:00",
        expected_from=expected_from,
        base_version=base_version,
        payload=VALID_PAYLOADS.get(command_type, {}) if payload is None else payload,
    )


@pytest.fixture
def hazard() -> Hazard:
    return make_hazard()
