"""Authorization against a live HQ: every command type x role x in-scope/out-of-scope workshop
(the expected answer comes from the rules table in core.workflow), and roles that take effect on
the next request in every HQ process sharing the database."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import insert, select

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import TRANSITIONS, CommandType, may_issue
from inspect_app.resources import demo_site_path
from inspect_app.server import schema
from tests.server.conftest import Device, Hq, hazard_payload, jpeg, start_hq

# person, role, a workshop in scope, a workshop out of scope (from the demo site)
ACTORS = {
    Role.INSPECTOR: ("p-zhao", "ws-stamping", "ws-painting"),
    Role.WORKSHOP_HEAD: ("p-wang", "ws-stamping", "ws-painting"),
    Role.HQ_ADMIN: ("p-gao", "ws-logistics", "ws-stamping"),
}


def payload_for(command_type: CommandType, photo: str) -> dict:
    """A valid payload of each command type, so only role and scope decide the answer."""
    day = "2026-12-20"
    return {
        CommandType.ASSIGN_FIVE_FIXES: {
            "responsible_id": "p-zhao",
            "measures": "m",
            "funds": "f",
            "deadline": day,
            "contingency": "c",
        },
        CommandType.REQUEST_EXTENSION: {"reason": "parts", "new_deadline": "2027-01-31"},
        CommandType.SET_INTERIM_CONTROL: {"kind": "isolated", "photos": [photo]},
        CommandType.SUBMIT_GOVERNANCE: {
            "targets": "t",
            "methods": "m",
            "funds_materials": "f",
            "organisation": "o",
            "deadline": day,
            "safety_measures": "s",
            "emergency_plan": "e",
        },
        CommandType.RECORD_REPORT: {"authority": "a", "reported_on": day},
        CommandType.RECORD_SUPERVISION: {"body": "b", "deadline": day},
        CommandType.RECORD_SUPERVISION_SIGNOFF: {"signed_off_by": "b", "signed_off_on": day},
        CommandType.SUBMIT_RECTIFIED: {"photos": [photo]},
        CommandType.FIX_ON_THE_SPOT: {"photos": [photo], "note": "done"},
        CommandType.VERIFY_PASS: {"opinion": "fixed"},
        CommandType.VERIFY_FAIL: {"opinion": "not fixed"},
        CommandType.REOPEN: {"reason": "again"},
        CommandType.COMMENT: {"text": "seen"},
        CommandType.ADD_PHOTO: {"photos": [photo]},
        CommandType.VOID: {"reason": "duplicate"},
    }.get(command_type, {})


def seed_hazard(hq: Hq, workshop: str, status: HazardStatus, grade: Grade = Grade.GENERAL) -> str:
    hazard_id = str(uuid.uuid4())
    doc = {
        **hazard_payload(workshop, grade.value),
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
                grade=grade.value,
                data=doc,
                updated_seq=0,
            )
        )
    return hazard_id


#: Approving or refusing an extension needs a pending request first (tested in core).
NEEDS_MORE_STATE = {CommandType.APPROVE_EXTENSION, CommandType.REFUSE_EXTENSION}
CASES = [
    (t, r, s)
    for t in TRANSITIONS
    if t not in NEEDS_MORE_STATE
    for r in ACTORS
    for s in ("in", "out")
]


@pytest.mark.parametrize("case", [CASES], ids=["matrix"])
def test_every_command_type_by_role_and_scope(hq: Hq, case: list) -> None:  # type: ignore[type-arg]
    """HQ answers as core's rules say for the authenticated person, whatever the command claims."""
    photo = jpeg("navy")
    sha = hashlib.sha256(photo).hexdigest()
    devices = {role: hq.enroll(person) for role, (person, _, _) in ACTORS.items()}
    devices[Role.INSPECTOR].put_blob(sha, photo)
    directory = hq.app.state.hq.directory()
    mismatches, answers = [], set()
    for command_type, role, scope in case:
        person, inside, outside = ACTORS[role]
        transition = TRANSITIONS[command_type]
        status = sorted(transition.allowed_from)[0]
        grade = sorted(transition.grades)[0]
        hazard_id = seed_hazard(hq, inside if scope == "in" else outside, status, grade)
        with hq.app.state.hq.engine.connect() as conn:
            stored = conn.execute(
                select(schema.hazards.c.data).where(schema.hazards.c.id == hazard_id)
            ).scalar_one()
        allowed = may_issue(Hazard.from_dict(stored), command_type, directory.person(person))
        device = devices[role]
        command = device.command(
            hazard_id,
            command_type.value,
            status.value,
            payload_for(command_type, sha),
            base_version=3,
        )
        result = device.push([command]).json()["commands"][0]["status"]
        expected = "applied" if allowed else "forbidden"
        answers.add(result)
        if result != expected:
            mismatches.append((command_type.value, role.value, scope, result))
    assert mismatches == []
    assert answers == {"applied", "forbidden"}


@pytest.mark.parametrize("role", list(ACTORS))
def test_create_by_role_and_scope(hq: Hq, role: Role) -> None:
    person, inside, outside = ACTORS[role]
    device = hq.enroll(person)
    for workshop, expected in ((inside, "applied"), (outside, "forbidden")):
        command = device.command(str(uuid.uuid4()), "create", None, hazard_payload(workshop))
        assert device.push([command]).json()["commands"][0]["status"] == expected


def test_refused_commands_are_recorded_and_visible(hq: Hq) -> None:
    device = hq.enroll("p-zhao")
    hazard_id = seed_hazard(hq, "ws-stamping", HazardStatus.OPEN)
    command = device.command(hazard_id, "void", "open", {"reason": "x"})
    assert device.push([command]).json()["commands"][0]["status"] == "forbidden"
    events = [e for e in device.pull()["events"] if e.get("id") == command["id"]]
    assert events and events[0]["result"] == "forbidden" and "role" in events[0]["reason"]
    # Nobody else's device hears of it, not even a group-wide HQ admin's: the refused text
    # stays with its sender (HQ's pages keep it for the audit trail).
    for other in ("p-chen", "p-wang"):
        pulled = hq.enroll(other).pull()["events"]
        assert command["id"] not in {e.get("id") for e in pulled}


ZHAO_LINE = "  - {id: p-zhao, name: 赵磊, roles: [inspector], workshops: [ws-stamping]}\n"
HE_LINE = "  - {id: p-he, name: 何静怡, roles: [inspector], workshops: [ws-welding, ws-painting]}\n"


def site_text(zhao_workshop: str, with_he: bool = True) -> str:
    text = demo_site_path().read_text("utf-8")
    assert ZHAO_LINE in text and HE_LINE in text
    text = text.replace(ZHAO_LINE, ZHAO_LINE.replace("ws-stamping", zhao_workshop))
    return text if with_he else text.replace(HE_LINE, "")


@pytest.fixture(params=["sqlite", "postgres"])
def two_hqs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Hq, Hq]]:
    """Two HQ processes' worth of apps (each with its own caches) on one database."""
    if request.param == "postgres":
        db_url = request.getfixturevalue("postgres").create_database(f"t{uuid.uuid4().hex[:12]}")
    else:
        db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first_server, first = start_hq(tmp_path / "one", db_url)
    second_server, second = start_hq(tmp_path / "two", db_url)
    yield first, second
    for server, hq in ((first_server, first), (second_server, second)):
        server.stop()
        hq.app.state.hq.engine.dispose()


def create_status(device: Device, hq: Hq, workshop: str) -> str:
    """Push a ``create`` for ``workshop`` from ``device`` through ``hq``; HQ's answer."""
    device.hq = hq
    command = device.command(str(uuid.uuid4()), "create", None, hazard_payload(workshop))
    return device.push([command]).json()["commands"][0]["status"]


def test_a_published_site_takes_effect_on_the_next_request_in_every_process(
    two_hqs: tuple[Hq, Hq],
) -> None:
    one, two = two_hqs
    zhao, he = one.enroll("p-zhao"), one.enroll("p-he")
    for hq in (one, two):
        assert create_status(zhao, hq, "ws-stamping") == "applied"
        assert create_status(zhao, hq, "ws-welding") == "forbidden"
    publish = two.admin().put(f"{two.url}/v1/admin/site", data=site_text("ws-welding").encode())
    assert publish.ok, publish.text
    for hq in (one, two, one):
        assert create_status(zhao, hq, "ws-welding") == "applied"
        assert create_status(zhao, hq, "ws-stamping") == "forbidden"
    zhao.hq = one
    assert {h["workshop_id"] for h in zhao.pull()["hazards"]} == {"ws-welding"}
    # Published as the CLI does, straight into the database beside both processes.
    one.app.state.hq.publish_site(site_text("ws-welding", with_he=False))
    for hq in (two, one):
        answer = requests.get(f"{hq.url}/v1/sync/pull", headers=he.headers, timeout=10)
        assert answer.status_code == 401
        assert "no longer in the site" in answer.json()["detail"]


def test_two_processes_never_disagree_on_roles_while_the_site_changes(
    two_hqs: tuple[Hq, Hq],
) -> None:
    one, two = two_hqs
    zhao = one.enroll("p-zhao")
    workshops = ("ws-stamping", "ws-welding")
    for round_ in range(6):
        current = workshops[round_ % 2]
        publisher = (one, two)[round_ % 2]
        publisher.app.state.hq.publish_site(site_text(current))
        answers = {
            (hq.url, workshop): create_status(zhao, hq, workshop)
            for hq in (two, one)
            for workshop in workshops
        }
        expected = {
            (hq.url, workshop): "applied" if workshop == current else "forbidden"
            for hq in (two, one)
            for workshop in workshops
        }
        assert answers == expected, round_
