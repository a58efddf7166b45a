"""Authorization matrix against a live HQ: every command type x role x in-scope/out-of-scope
workshop. The expected answer comes from the rules table in core.workflow."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import insert

from inspect_app.core.hazard import HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import TRANSITIONS, CommandType
from inspect_app.server import schema
from tests.server.conftest import Hq, hazard_payload, jpeg

# person, role, a workshop in scope, a workshop out of scope (from the demo site)
ACTORS = {
    Role.INSPECTOR: ("p-zhao", "ws-stamping", "ws-painting"),
    Role.WORKSHOP_HEAD: ("p-wang", "ws-stamping", "ws-painting"),
    Role.HQ_ADMIN: ("p-gao", "ws-logistics", "ws-stamping"),
}


def payload_for(command_type: CommandType, photo: str) -> dict:
    return {
        CommandType.ASSIGN_FIVE_FIXES: {
            "responsible_id": "p-zhao",
            "measures": "m",
            "funds": "f",
            "deadline": "2026-12-20",
            "contingency": "c",
        },
        CommandType.REQUEST_EXTENSION: {"reason": "parts", "new_deadline": "2027-01-31"},
        CommandType.SUBMIT_RECTIFIED: {"photos": [photo]},
        CommandType.VERIFY_FAIL: {"reason": "not fixed"},
        CommandType.REOPEN: {"reason": "again"},
        CommandType.COMMENT: {"text": "seen"},
        CommandType.ADD_PHOTO: {"photos": [photo]},
        CommandType.VOID: {"reason": "duplicate"},
    }.get(command_type, {})


def seed_hazard(hq: Hq, workshop: str, status: HazardStatus) -> str:
    hazard_id = str(uuid.uuid4())
    doc = {
        **hazard_payload(workshop),
        "id": hazard_id,
        "status": status.value,
        "version": 3,
        "deadline": "2026-12-10",
        "rectified_by": "p-li",
        "found_by": "p-li",
        "found_at": "2026-11-20T09:00:00+08:00",
    }
    with hq.app.state.hq.engine.begin() as conn:
        conn.execute(
            insert(schema.hazards).values(
                id=hazard_id,
                workshop_id=workshop,
                status=status.value,
                grade="general",
                data=doc,
                updated_seq=0,
            )
        )
    return hazard_id


CASES = [(t, r, s) for t in TRANSITIONS for r in ACTORS for s in ("in", "out")]


@pytest.mark.parametrize("case", [CASES], ids=["matrix"])
def test_every_command_type_by_role_and_scope(hq: Hq, case: list) -> None:  # type: ignore[type-arg]
    photo = jpeg("navy")
    sha = hashlib.sha256(photo).hexdigest()
    devices = {role: hq.enroll(person) for role, (person, _, _) in ACTORS.items()}
    devices[Role.INSPECTOR].put_blob(sha, photo)
    mismatches = []
    for command_type, role, scope in case:
        _, inside, outside = ACTORS[role]
        status = sorted(TRANSITIONS[command_type].allowed_from)[0]
        hazard_id = seed_hazard(hq, inside if scope == "in" else outside, status)
        device = devices[role]
        command = device.command(
            hazard_id,
            command_type.value,
            status.value,
            payload_for(command_type, sha),
            base_version=3,
        )
        result = device.push([command]).json()["commands"][0]["status"]
        allowed = role in TRANSITIONS[command_type].roles and scope == "in"
        expected = "applied" if allowed else "forbidden"
        if result != expected:
            mismatches.append((command_type.value, role.value, scope, result))
    assert mismatches == []
    assert len(case) == 60


@pytest.mark.parametrize("role", list(ACTORS))
def test_create_by_role_and_scope(hq: Hq, role: Role) -> None:
    person, inside, outside = ACTORS[role]
    device = hq.enroll(person)
    for workshop, expected in ((inside, "applied"), (outside, "forbidden")):
        command = device.command(
            str(uuid.uuid4()), "create", None, hazard_payload(workshop)
        )
        assert device.push([command]).json()["commands"][0]["status"] == expected


def test_refused_commands_are_recorded_and_visible(hq: Hq) -> None:
    device = hq.enroll("p-zhao")
    hazard_id = seed_hazard(hq, "ws-stamping", HazardStatus.OPEN)
    command = device.command(hazard_id, "void", "open", {"reason": "x"})
    assert device.push([command]).json()["commands"][0]["status"] == "forbidden"
    admin = hq.enroll("p-chen")
    events = [e for e in admin.pull()["events"] if e.get("id") == command["id"]]
    assert events and events[0]["result"] == "forbidden" and "role" in events[0]["reason"]
