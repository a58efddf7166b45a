"""An enrolled device turned hostile (issue #10): commands that try to set facts, carry wrong
types, over-long or empty texts, impossible dates, scripts in ids and photos, too many or malformed
photos, forged actors, other workshops' hazards, decisions by the wrong person or on a stale
version, and envelope games (forged device id, replays, seq gaps, unknown types). Each is answered
exactly (HTTP status; per command ``status`` and ``field``), nothing it carried is stored, a refused
command's event reaches only its sender (and the audit view of an HQ admin of every workshop), and
afterwards every HQ page and every device view model still renders.

The payload cases are generated from the command payload table (``core.workflow.PAYLOADS``), so a
new command type or field is covered once it has a valid base payload here. They are pushed in one
batch per sender: a refused command does not stop a batch.
"""

from __future__ import annotations

import hashlib
import types
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from inspect_app.core.commands import (
    MAX_LONG_TEXT,
    MAX_PHOTOS,
    MAX_SHORT_TEXT,
    FieldKind,
    form_fields,
)
from inspect_app.core.workflow import PAYLOADS, CommandType, parse_payload
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.sync.client import sync_once
from inspect_app.ui.viewmodels.dashboard import DashboardModel
from inspect_app.ui.viewmodels.hazards import HazardDetailModel, HazardListModel
from inspect_app.ui.viewmodels.home import summarize
from inspect_app.ui.viewmodels.sync import SyncModel
from tests.server.conftest import Device, Hq, days_from_today, hazard_payload, jpeg, start_hq
from tests.services.conftest import FakeClock

XSS = '"><script>alert(3)</script>'
INVALID, FORBIDDEN, CONFLICT = "rejected_invalid", "forbidden", "rejected_conflict"
SENDERS = ("p-li", "p-zhao", "p-wang", "p-huang", "p-lin", "p-zhang", "p-gao", "p-chen")
#: People who only read: other workshops' inspectors and heads.
READERS = ("p-liu", "p-zhou", "p-xu", "p-zheng")
#: An HQ admin of every workshop reads every event, refused ones included (the audit view).
AUDITOR = "p-chen"
NEW = "new"  # a create, or a hazard HQ does not hold: a fresh id per case

PHOTO = jpeg("teal")
SHA = hashlib.sha256(PHOTO).hexdigest()
PAINT_PHOTO = jpeg("olive")
PAINT_SHA = hashlib.sha256(PAINT_PHOTO).hexdigest()


def plan(responsible: str = "p-zhao") -> dict[str, Any]:
    return {
        "responsible_id": responsible,
        "measures": "Replace the extinguisher",
        "funds": "CNY 300",
        "deadline": days_from_today(10),
        "contingency": "Spare extinguisher placed beside it",
    }


OPINION = {"opinion": "Checked on site, gauge in green"}
ASSIGN = ("p-wang", "assign_five_fixes", "open", plan())
START = ("p-zhao", "start_rectification", "assigned", {})
SUBMIT = ("p-zhao", "submit_rectified", "rectifying", {"photos": [SHA]})
#: Seeded hazards, all through real pushes: creator, workshop, grade, then the steps taken.
SEEDS: dict[str, tuple[str, str, str, list[tuple[str, str, str, dict[str, Any]]]]] = {
    "open": ("p-li", "ws-stamping", "general", []),
    "major": ("p-li", "ws-stamping", "major", []),
    "assigned": ("p-li", "ws-stamping", "general", [ASSIGN]),
    "rectifying": ("p-li", "ws-stamping", "general", [ASSIGN, START]),
    "submitted": ("p-li", "ws-stamping", "general", [ASSIGN, START, SUBMIT]),
    "closed": (
        "p-li",
        "ws-stamping",
        "general",
        [ASSIGN, START, SUBMIT, ("p-li", "verify_pass", "submitted", OPINION)],
    ),
    "self_fixed": (  # rectified by its finder
        "p-li",
        "ws-stamping",
        "general",
        [ASSIGN, ("p-li", *START[1:]), ("p-li", *SUBMIT[1:])],
    ),
    "finder_responsible": (
        "p-li",
        "ws-stamping",
        "general",
        [("p-wang", "assign_five_fixes", "open", plan("p-li")), START, SUBMIT],
    ),
    "painting": ("p-huang", "ws-painting", "general", []),
}
STATUS = {
    "open": "open",
    "major": "open",
    "assigned": "assigned",
    "rectifying": "rectifying",
    "submitted": "submitted",
    "closed": "closed",
    "self_fixed": "submitted",
    "finder_responsible": "submitted",
    "painting": "open",
}

#: Per command type a valid payload, a sender who may issue it and a hazard it may be issued on:
#: each payload case spoils one thing of it.
BASE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "create": ("p-li", NEW, hazard_payload(photos=[SHA])),
    "assign_five_fixes": ("p-wang", "open", plan()),
    "request_extension": (
        "p-wang",
        "assigned",
        {"reason": "Parts are late", "new_deadline": days_from_today(60)},
    ),
    "approve_extension": ("p-lin", "assigned", {}),
    "refuse_extension": ("p-lin", "assigned", {"reason": "Not justified"}),
    "set_interim_control": ("p-wang", "major", {"kind": "isolated", "photos": [SHA]}),
    "submit_governance": (
        "p-wang",
        "major",
        {
            "targets": "Remove the leak",
            "methods": "Replace the valve",
            "funds_materials": "CNY 5000, valve in stock",
            "organisation": "Maintenance team B",
            "deadline": days_from_today(20),
            "safety_measures": "Area fenced off",
            "emergency_plan": "Plant plan chapter 4",
        },
    ),
    "approve_governance": ("p-zhang", "major", {}),
    "record_report": (
        "p-lin",
        "major",
        {"authority": "District work safety bureau", "reported_on": days_from_today(0)},
    ),
    "record_supervision": (
        "p-lin",
        "major",
        {"body": "City work safety bureau", "deadline": days_from_today(30)},
    ),
    "record_supervision_signoff": (
        "p-lin",
        "major",
        {"signed_off_by": "Officer Wu", "signed_off_on": days_from_today(0), "sign_off_note": "OK"},
    ),
    "start_rectification": ("p-zhao", "assigned", {}),
    "submit_rectified": (
        "p-zhao",
        "rectifying",
        {"photos": [SHA], "note": "Done", "funds_spent": "CNY 280"},
    ),
    "fix_on_the_spot": ("p-li", "open", {"photos": [SHA], "note": "Refilled it at once"}),
    "verify_pass": ("p-li", "submitted", OPINION),
    "verify_fail": ("p-li", "submitted", {"opinion": "Still leaking"}),
    "reopen": ("p-wang", "closed", {"reason": "It came back", "new_deadline": days_from_today(9)}),
    "comment": ("p-li", "open", {"text": "Seen again today"}),
    "add_photo": ("p-li", "open", {"photos": [SHA]}),
    "void": ("p-chen", "open", {"reason": "A duplicate"}),
}
FACTS = {
    "found_by": "p-wang",
    "found_at": "2026-01-01T00:00:00+08:00",
    "rectified_by": "p-zhao",
    "verified_by": "p-chen",
    "closed_at": "2026-11-22T09:00:00+08:00",
    "status": "closed",
    "version": 99,
    "after_photos": [SHA],
    "comments": 7,
    "plan": plan(),
    "extensions": [{"reason": "x", "new_deadline": "2099-01-01"}],
}
#: A value of each JSON kind; a field gets every kind it is not.
WRONG_KINDS = {"list": ["ws-stamping"], "number": 12345, "object": {"x": 1}, "bool": True}
BAD_DATES = {
    "not-a-date": "not-a-date",
    "feb-30": "2026-02-30",
    "year-1999": "1999-06-01",
    "year-2100": "2100-01-01",
    "number-12345": 12345,
    "text-12345": "12345",
    "with-a-time": "2026-12-01T00:00:00",
}
BAD_IDS = {"script": XSS, "too-long": "w" * 65, "empty": "", "path": "../etc"}
BAD_SHAS = {
    "uppercase": SHA.upper(),
    "not-hex": "zz" * 32,
    "short": SHA[:63],
    "long": SHA + "0",
    "script": XSS,
    "path": "../../etc/passwd",
}
TEXT_LIMITS = {FieldKind.TEXT: MAX_SHORT_TEXT, FieldKind.LONG_TEXT: MAX_LONG_TEXT}


@dataclass(frozen=True)
class Case:
    """One hostile command and the exact answer HQ owes it."""

    id: str
    sender: str
    target: str  # a key of SEEDS, or NEW
    type: str
    payload: Any
    status: str
    fault: str | None = None  # the field the answer names
    message: str | None = None  # a part of the answer's message, when it tells the rule
    overrides: dict[str, Any] = field(default_factory=dict)  # envelope keys (actor, ...)


def case(case_id: str, type_: str, payload: Any, status: str, fault: str | None, **kw: Any) -> Case:
    sender, target, _ = BASE[type_]
    return Case(
        case_id,
        kw.pop("sender", sender),
        kw.pop("target", target),
        type_,
        payload,
        status,
        fault,
        **kw,
    )


def spoiled(type_: str, **changes: Any) -> dict[str, Any]:
    return {**BASE[type_][2], **changes}


def _nullable(annotation: Any) -> bool:
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    return union and type(None) in typing.get_args(annotation)


def _kinds(type_: str) -> dict[str, FieldKind]:
    """Each payload field's kind; identifiers the app fills in are CODE."""
    model = PAYLOADS[CommandType(type_)]
    shown = {f.name: f.kind for f in form_fields(model, major=True)}
    return {name: shown.get(name, FieldKind.CODE) for name in model.model_fields}


def payload_cases(type_: str) -> list[Case]:
    """Facts a payload may not set, every field with every wrong JSON kind, and by the field's
    kind: texts too long or blank, impossible dates, ids that are not ids, photos too many or
    not sha256."""
    model = PAYLOADS[CommandType(type_)]
    cases = [
        case(
            f"{type_}-sets-{key}",
            type_,
            spoiled(type_, **{key: value}),
            INVALID,
            key,
            message="is not a field of this command",
        )
        for key, value in FACTS.items()
    ]
    for name, info in model.model_fields.items():
        is_list = typing.get_origin(info.annotation) is list
        kinds = dict(WRONG_KINDS)
        if is_list:
            kinds["list"] = "abc"  # a text where a list belongs
        if not _nullable(info.annotation):
            kinds["null"] = None
        cases += [
            case(f"{type_}-{name}-{kind}", type_, spoiled(type_, **{name: value}), INVALID, name)
            for kind, value in kinds.items()
        ]
    for name, kind in _kinds(type_).items():
        bad: dict[str, Any] = {}
        fault = name
        if kind in TEXT_LIMITS:
            bad = {"too-long": "x" * (TEXT_LIMITS[kind] + 1), "empty": "", "blank": " \t\n "}
        elif kind is FieldKind.DATE:
            bad = BAD_DATES
        elif kind in (FieldKind.CODE, FieldKind.PERSON):
            bad = BAD_IDS
        elif kind is FieldKind.PHOTOS:
            cases.append(
                case(
                    f"{type_}-{MAX_PHOTOS + 1}-photos",
                    type_,
                    spoiled(type_, **{name: [SHA] * (MAX_PHOTOS + 1)}),
                    INVALID,
                    name,
                )
            )
            bad = {label: [SHA, sha] for label, sha in BAD_SHAS.items()}
            fault = f"{name}.1"
        cases += [
            case(f"{type_}-{name}-{label}", type_, spoiled(type_, **{name: value}), INVALID, fault)
            for label, value in bad.items()
        ]
    return cases


def rule_cases() -> list[Case]:
    """Who may do what, on which hazard, in which state, on which version."""
    outside = "the hazard is outside your workshops"
    comment, actor = BASE["comment"][2], "unknown actor"
    return [
        case("comment-empty-payload", "comment", {}, INVALID, "text"),
        case("create-in-logistics", "create",
             hazard_payload("ws-logistics", description="SECRET-LOGISTICS"), FORBIDDEN, None,
             message="outside your workshops"),
        case("create-in-painting", "create",
             hazard_payload("ws-painting", description="SECRET-PAINTING"), FORBIDDEN, None,
             message="outside your workshops"),
        case("create-in-no-workshop", "create",
             hazard_payload("ws-nowhere", description="SECRET-NOWHERE"), FORBIDDEN, None),
        case("create-over-an-existing-hazard", "create", BASE["create"][2], INVALID,
             "hazard_id", target="open"),
        case("create-deadline-before-found", "create", spoiled("create", deadline="2000-01-01"),
             INVALID, "deadline"),
        case("create-unknown-grade", "create", spoiled("create", grade="catastrophic"), INVALID,
             "grade"),
        case("create-unknown-risk", "create", spoiled("create", risk="purple"), INVALID, "risk"),
        case("create-unknown-category", "create", spoiled("create", category=XSS), INVALID,
             "category"),
        case("actor-is-another-person", "comment", comment, FORBIDDEN, None, message=actor,
             overrides={"actor": "p-wang"}),
        case("actor-is-nobody", "comment", comment, FORBIDDEN, None, message=actor,
             overrides={"actor": "p-nobody"}),
        case("actor-is-a-script", "comment", comment, FORBIDDEN, None, message=actor,
             overrides={"actor": XSS}),
        case("actor-forged-on-create", "create", BASE["create"][2], FORBIDDEN, None,
             message=actor, overrides={"actor": "p-chen"}),
        case("observed-at-not-a-time", "comment", comment, INVALID, "observed_at",
             overrides={"observed_at": "yesterday"}),
        case("observed-at-without-zone", "comment", comment, INVALID, "observed_at",
             overrides={"observed_at": "2026-11-22T09:00:00"}),
        case("observed-at-month-13", "comment", comment, INVALID, "observed_at",
             overrides={"observed_at": "2026-13-01T09:00:00+08:00"}),
        case("observed-at-empty", "create", BASE["create"][2], INVALID, "observed_at",
             overrides={"observed_at": ""}),
        case("comment-out-of-scope", "comment", {"text": XSS}, FORBIDDEN, None,
             target="painting", message=outside),
        case("add-photo-out-of-scope", "add_photo", BASE["add_photo"][2], FORBIDDEN, None,
             target="painting", message=outside),
        case("assign-out-of-scope", "assign_five_fixes", spoiled("assign_five_fixes",
             measures=XSS), FORBIDDEN, None, target="painting", message=outside),
        case("void-out-of-scope", "void", BASE["void"][2], FORBIDDEN, None, sender="p-huang",
             message=outside),
        case("comment-out-of-a-scoped-admins-scope", "comment", comment, FORBIDDEN, None,
             sender="p-gao", message=outside),
        case("assign-by-inspector", "assign_five_fixes", BASE["assign_five_fixes"][2],
             FORBIDDEN, None, sender="p-li", message="your role may not assign five fixes"),
        case("extension-by-inspector", "request_extension", BASE["request_extension"][2],
             FORBIDDEN, None, sender="p-li", message="your role may not request extension"),
        case("approve-extension-by-head", "approve_extension", {}, FORBIDDEN, None,
             sender="p-wang", message="your role may not approve extension"),
        case("approve-governance-by-safety-officer", "approve_governance", {}, FORBIDDEN, None,
             sender="p-lin", message="your role may not approve governance"),
        case("record-report-by-head", "record_report", BASE["record_report"][2], FORBIDDEN,
             None, sender="p-wang", message="your role may not record report"),
        case("fix-on-the-spot-by-another", "fix_on_the_spot", BASE["fix_on_the_spot"][2],
             FORBIDDEN, None, sender="p-zhao", message="your role may not fix on the spot"),
        case("fix-on-the-spot-a-major-hazard", "fix_on_the_spot", BASE["fix_on_the_spot"][2],
             FORBIDDEN, None, target="major", message="your role may not fix on the spot"),
        case("reopen-by-inspector", "reopen", BASE["reopen"][2], FORBIDDEN, None,
             sender="p-zhao", message="your role may not reopen"),
        case("void-by-inspector", "void", BASE["void"][2], FORBIDDEN, None, sender="p-li",
             message="your role may not void"),
        case("void-by-workshop-head", "void", BASE["void"][2], FORBIDDEN, None,
             sender="p-wang", message="your role may not void"),
        case("verify-by-an-inspector-not-the-finder", "verify_pass", OPINION, FORBIDDEN, None,
             sender="p-zhao", message="your role may not verify pass"),
        case("verify-pass-by-the-rectifier", "verify_pass", OPINION, FORBIDDEN, None,
             target="self_fixed", message="the person who rectified a hazard cannot verify it"),
        case("verify-fail-by-the-rectifier", "verify_fail", OPINION, FORBIDDEN, None,
             target="self_fixed", message="the person who rectified a hazard cannot verify it"),
        case("verify-by-the-responsible", "verify_pass", OPINION, FORBIDDEN, None,
             target="finder_responsible",
             message="the person responsible for the fix cannot verify it"),
        case("assign-on-a-stale-version", "assign_five_fixes", BASE["assign_five_fixes"][2],
             CONFLICT, None, target="assigned", message="decided on again",
             overrides={"expected_from": "assigned", "base_version": 1}),
        case("assign-on-a-future-version", "assign_five_fixes", BASE["assign_five_fixes"][2],
             CONFLICT, None, target="assigned", message="decided on again",
             overrides={"expected_from": "assigned", "base_version": 7}),
        case("start-expecting-another-status", "start_rectification", {}, CONFLICT, None,
             overrides={"expected_from": "open"}, message="the hazard is now assigned"),
        case("verify-when-already-closed", "verify_pass", OPINION, CONFLICT, None,
             target="closed", overrides={"expected_from": "submitted"}),
        case("reopen-an-open-hazard", "reopen", BASE["reopen"][2], INVALID, "type",
             target="open", message="reopen is not allowed when the hazard is open"),
        case("interim-control-on-a-general-hazard", "set_interim_control",
             BASE["set_interim_control"][2], INVALID, "type", target="open",
             message="only for a major hazard"),
        case("approve-an-extension-nobody-asked", "approve_extension", {}, INVALID, "type",
             message="no extension request is waiting"),
        case("approve-a-governance-plan-never-sent", "approve_governance", {}, INVALID, "type",
             message="no governance plan has been submitted"),
        case("extension-not-later", "request_extension",
             spoiled("request_extension", new_deadline=days_from_today(1)), INVALID,
             "new_deadline", message="must be after"),
        case("major-plan-without-contingency", "assign_five_fixes",
             {k: v for k, v in plan().items() if k != "contingency"}, INVALID, "contingency",
             target="major"),
        case("comment-on-unknown-hazard", "comment", comment, INVALID, "hazard_id", target=NEW),
        case("report-dated-tomorrow", "record_report",
             spoiled("record_report", reported_on=days_from_today(2)), INVALID, "reported_on"),
    ]  # fmt: skip


CASES = [c for type_ in BASE for c in payload_cases(type_)] + rule_cases()


def test_every_command_type_has_a_valid_base_so_each_case_spoils_one_thing() -> None:
    assert set(BASE) == {t.value for t in CommandType}
    for type_, (_, _, payload) in BASE.items():
        parse_payload(CommandType(type_), payload)
    assert len({c.id for c in CASES}) == len(CASES) >= 400


@dataclass
class World:
    hq: Hq
    devices: dict[str, Device]
    hazards: dict[str, str]  # SEEDS key -> id
    before: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> as pulled
    after: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # case id -> command
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # case id -> result
    pulls: dict[str, str] = field(default_factory=dict)  # person -> raw pull pages
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # person -> pulled


def pull_all(device: Device) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Every page a device may pull from the start: raw text, events, hazards."""
    since, texts, events, hazards = 0, [], [], []
    for _ in range(50):
        answer = requests.get(
            f"{device.hq.url}/v1/sync/pull",
            headers=device.headers,
            params={"since": since, "limit": 1000},
            timeout=30,
        )
        answer.raise_for_status()
        page = answer.json()
        texts.append(answer.text)
        events += page["events"]
        hazards += page["hazards"]
        since = page["next_since"]
        if not page["has_more"]:
            return "\n".join(texts), events, hazards
    raise AssertionError("the pull did not end within 50 pages")


def hazards_as_pulled(device: Device) -> dict[str, dict[str, Any]]:
    return {h["id"]: h for h in pull_all(device)[2]}


def push_applied(
    device: Device, hazard_id: str, type_: str, expected: str | None, payload: dict[str, Any]
) -> None:
    answer = device.push([device.command(hazard_id, type_, expected, payload)])
    assert answer.status_code == 200, answer.text
    assert answer.json()["commands"][0]["status"] == "applied", (type_, answer.text)


def seed(hq: Hq, people: tuple[str, ...] = (*SENDERS, *READERS)) -> World:
    """Devices of every role and a hazard in each state, all through real pushes."""
    devices = {p: hq.enroll(p) for p in people}
    assert devices["p-li"].put_blob(SHA, PHOTO).status_code == 201
    assert devices["p-huang"].put_blob(PAINT_SHA, PAINT_PHOTO).status_code == 201
    hazards = {key: str(uuid.uuid4()) for key in SEEDS}
    for key, (creator, workshop, grade, steps) in SEEDS.items():
        photos = [PAINT_SHA] if workshop == "ws-painting" else []
        payload = hazard_payload(workshop, grade, photos=photos)
        push_applied(devices[creator], hazards[key], "create", None, payload)
        for person, type_, expected, step_payload in steps:
            push_applied(devices[person], hazards[key], type_, expected, step_payload)
    return World(hq, devices, hazards)


def command_for(world: World, case_: Case) -> dict[str, Any]:
    device = world.devices[case_.sender]
    if case_.target == NEW:
        hazard_id, expected = str(uuid.uuid4()), None
    else:
        hazard_id, expected = world.hazards[case_.target], STATUS[case_.target]
    if case_.type == "create":
        expected = None
    return {**device.command(hazard_id, case_.type, expected, case_.payload), **case_.overrides}


def run_cases(world: World, cases: list[Case]) -> None:
    """Push the cases, one batch per sender, and record what HQ answered and then holds."""
    world.before = hazards_as_pulled(world.devices[AUDITOR])
    for sender in dict.fromkeys(c.sender for c in cases):
        mine = [c for c in cases if c.sender == sender]
        for c in mine:
            world.sent[c.id] = command_for(world, c)
        answer = world.devices[sender].push([world.sent[c.id] for c in mine])
        assert answer.status_code == 200, answer.text[:1000]
        by_id = {r["id"]: r for r in answer.json()["commands"]}
        world.results.update({c.id: by_id[world.sent[c.id]["id"]] for c in mine})
    world.after = hazards_as_pulled(world.devices[AUDITOR])
    for person, device in world.devices.items():
        world.pulls[person], world.events[person], _ = pull_all(device)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    server, hq = start_hq(tmp_path_factory.mktemp("hostile"))
    built = seed(hq)
    run_cases(built, CASES)
    yield built
    server.stop()


def assert_answered_and_not_stored(world: World, case_: Case) -> None:
    command, result = world.sent[case_.id], world.results[case_.id]
    assert (result["status"], result.get("field")) == (case_.status, case_.fault), result
    assert isinstance(result["server_seq"], int) and result["replayed"] is False
    if case_.message:
        assert case_.message in result["message"], result
    hazard_id = command["hazard_id"]
    if case_.target == NEW:
        assert hazard_id not in world.after
    else:
        assert world.after[hazard_id] == world.before[hazard_id]
    # The refusal reaches the device that sent it, with its field...
    mine = [e for e in world.events[case_.sender] if e.get("id") == command["id"]]
    assert [(e["result"], e["field"]) for e in mine] == [(case_.status, case_.fault)]
    if case_.status == INVALID:
        assert mine[0]["payload"] == {}  # what did not fit is not kept
    # ...and, unless it lost a race everyone must see, nobody else's device.
    if case_.status != CONFLICT:
        for person, text in world.pulls.items():
            if person not in (case_.sender, AUDITOR):
                assert command["id"] not in text, person


@pytest.mark.parametrize("case_", CASES, ids=[c.id for c in CASES])
def test_hostile_command_is_answered_exactly_and_leaves_nothing(world: World, case_: Case) -> None:
    assert_answered_and_not_stored(world, case_)


@pytest.mark.parametrize(
    ("secret", "readers"),
    [
        ("SECRET-LOGISTICS", ("p-xu", "p-zheng", "p-gao", "p-lin", "p-zhang")),
        ("SECRET-PAINTING", ("p-huang", "p-zhou", "p-lin", "p-zhang")),
    ],
)
def test_a_create_aimed_at_another_workshop_is_read_by_nobody_there(
    world: World, secret: str, readers: tuple[str, ...]
) -> None:
    assert secret in world.pulls["p-li"]  # its sender sees what it refused
    for person in readers:
        assert secret not in world.pulls[person], person


def raw_push(device: Device, body: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{device.hq.url}/v1/sync/push", headers=device.headers, json=body, timeout=30
    )


ENVELOPES: dict[str, tuple[dict[str, Any], int]] = {
    # command keys replaced -> the HTTP status of the whole push
    "seq-gap": ({"seq": 2}, 409),
    "seq-zero": ({"seq": 0}, 422),
    "seq-negative": ({"seq": -1}, 422),
    "seq-text": ({"seq": "one"}, 422),
    "seq-past-64-bits": ({"seq": 2**63}, 422),
    "unknown-type": ({"type": "explode"}, 422),
    "type-in-capitals": ({"type": "COMMENT"}, 422),
    "type-null": ({"type": None}, 422),
    "command-id-empty": ({"id": ""}, 422),
    "command-id-too-long": ({"id": "c" * 65}, 422),
    "command-id-a-number": ({"id": 7}, 422),
    "command-id-a-script": ({"id": XSS}, 422),
    "hazard-id-empty": ({"hazard_id": ""}, 422),
    "hazard-id-a-list": ({"hazard_id": ["h"]}, 422),
    "hazard-id-a-script": ({"hazard_id": XSS}, 422),
    "actor-too-long": ({"actor": "p" * 65}, 422),
    "actor-null": ({"actor": None}, 422),
    "actor-a-number": ({"actor": 7}, 422),
    "observed-at-too-long": ({"observed_at": "2026-11-22T09:00:00+08:00" + " " * 20}, 422),
    "observed-at-a-number": ({"observed_at": 20261122}, 422),
    "expected-from-unknown": ({"expected_from": "exploded"}, 422),
    "base-version-negative": ({"base_version": -1}, 422),
    "base-version-text": ({"base_version": "latest"}, 422),
    "payload-a-list": ({"payload": ["text", "x"]}, 422),
    "payload-a-text": ({"payload": "text=x"}, 422),
}


@pytest.mark.parametrize(("changes", "status"), ENVELOPES.values(), ids=ENVELOPES.keys())
def test_a_command_envelope_that_does_not_fit_is_refused_whole(
    world: World, changes: dict[str, Any], status: int
) -> None:
    device = world.hq.enroll("p-li")
    hazard_id = world.hazards["open"]
    text = f"ENVELOPE-{uuid.uuid4()}"
    command = {**device.command(hazard_id, "comment", None, {"text": text}), **changes}
    answer = raw_push(device, {"device_id": device.id, "commands": [command]})
    assert answer.status_code == status, answer.text[:500]
    if status == 409:
        assert answer.json()["expected_seq"] == 1
    assert_nothing_reached_hq(world, hazard_id, text)


def assert_nothing_reached_hq(world: World, hazard_id: str, text: str) -> None:
    raw, _, hazards = pull_all(world.devices[AUDITOR])
    assert text not in raw
    assert {h["id"]: h for h in hazards}[hazard_id] == world.after[hazard_id]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"device_id": "FORGED"}, 403),
        ({"device_id": None}, 422),
        ({"commands": {"0": "not a list"}}, 422),
        ({"inspections": "none"}, 422),
    ],
    ids=["forged-device-id", "device-id-null", "commands-not-a-list", "inspections-not-a-list"],
)
def test_a_push_body_that_does_not_fit_is_refused(
    world: World, body: dict[str, Any], status: int
) -> None:
    device = world.hq.enroll("p-li")
    text = f"BODY-{uuid.uuid4()}"
    command = device.command(world.hazards["open"], "comment", None, {"text": text})
    if body.get("device_id") == "FORGED":
        body = {"device_id": world.devices["p-wang"].id}  # another enrolled device's id
    answer = raw_push(device, {"device_id": device.id, "commands": [command], **body})
    assert answer.status_code == status, answer.text[:500]
    assert_nothing_reached_hq(world, world.hazards["open"], text)


def test_too_many_commands_in_one_push_is_422(world: World) -> None:
    device = world.hq.enroll("p-li")
    text = f"MANY-{uuid.uuid4()}"
    commands = [device.command(world.hazards["open"], "comment", None, {"text": text})] * 1001
    answer = raw_push(device, {"device_id": device.id, "commands": commands})
    assert answer.status_code == 422, answer.text[:300]
    assert_nothing_reached_hq(world, world.hazards["open"], text)


def test_a_replay_with_another_payload_is_422_and_the_first_stands(world: World) -> None:
    device = world.hq.enroll("p-li")
    hazard_id = str(uuid.uuid4())
    push_applied(device, hazard_id, "create", None, hazard_payload())
    first = device.command(hazard_id, "comment", None, {"text": "REPLAY-FIRST"})
    assert device.push([first]).json()["commands"][0]["status"] == "applied"
    for changed in (
        {**first, "payload": {"text": "REPLAY-SECOND"}},
        {**first, "type": "add_photo", "payload": {"photos": [SHA]}},
        {**first, "hazard_id": world.hazards["open"]},
    ):
        answer = device.push([changed])
        assert answer.status_code == 422, answer.text[:300]
        assert "already pushed with another payload" in answer.json()["detail"]
    same = device.push([first]).json()["commands"][0]
    assert (same["status"], same["replayed"]) == ("applied", True)
    raw, _, hazards = pull_all(world.devices[AUDITOR])
    assert "REPLAY-SECOND" not in raw and raw.count("REPLAY-FIRST") == 1
    assert {h["id"]: h for h in hazards}[hazard_id]["comments"] == 1
    assert {h["id"]: h for h in hazards}[world.hazards["open"]] == world.after[
        world.hazards["open"]
    ]


@pytest.mark.parametrize(
    ("reader", "photo", "status"),
    [
        ("p-li", PAINT_SHA, 404),  # another workshop's hazard shows it
        ("p-wang", PAINT_SHA, 404),
        ("p-gao", PAINT_SHA, 404),
        ("p-huang", SHA, 404),
        ("p-huang", PAINT_SHA, 200),
        ("p-zhou", PAINT_SHA, 200),
        ("p-lin", PAINT_SHA, 200),  # plant-wide
        ("p-chen", PAINT_SHA, 200),
        ("p-li", SHA, 200),
        ("p-li", "unreferenced", 404),  # uploaded, shown by nothing
        ("p-chen", "unreferenced", 404),
        ("p-li", SHA.upper(), 404),
        ("p-li", "../" + SHA[:61], 404),
    ],
)
def test_a_photo_is_read_only_where_a_visible_hazard_shows_it(
    world: World, reader: str, photo: str, status: int
) -> None:
    if photo == "unreferenced":
        data = jpeg("maroon")
        photo = hashlib.sha256(data).hexdigest()
        assert world.devices["p-li"].put_blob(photo, data).status_code in (200, 201)
    device = world.devices[reader]
    answer = requests.get(f"{world.hq.url}/v1/blobs/{photo}", headers=device.headers, timeout=10)
    assert answer.status_code == status, answer.text[:200]


def test_every_hq_page_renders_after_the_attack(world: World) -> None:
    admin = world.hq.admin()
    seeded = [f"/hazards/{h}" for h in world.hazards.values()]
    lists = ["/hazards", "/hazards?overdue=1", "/hazards?status=open"]
    paths = ["/", *lists, "/group", "/devices", "/master", *seeded]
    for path in paths:
        answer = admin.get(f"{world.hq.url}{path}", timeout=30)
        assert answer.status_code == 200, (path, answer.text[:300])
        assert "<script" not in answer.text.lower(), path
    refused_creates = {
        world.sent[c.id]["hazard_id"] for c in CASES if c.type == "create" and c.target == NEW
    }
    assert len(refused_creates) > 100
    for hazard_id in sorted(refused_creates)[:20]:  # a sample: each is one page answered 404
        answer = admin.get(f"{world.hq.url}/hazards/{hazard_id}", timeout=30)
        assert answer.status_code == 404, hazard_id
    # Every refused event carrying a script is shown escaped on its hazard's timeline.
    page = admin.get(f"{world.hq.url}/hazards/{world.hazards['painting']}", timeout=30)
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page.text


@pytest.mark.parametrize("person", ["p-li", "p-wang", "p-huang", "p-lin", "p-chen"])
def test_every_device_view_renders_after_the_attack(
    world: World, tmp_path: Path, person: str
) -> None:
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    try:
        ws.sign_in(person)
        sync = SyncModel(ws, "en")
        sync.enroll(world.hq.url, world.hq.app.state.hq.make_code(person, "tablet")[0])
        sync_once(ws)
        held = {h.id for h in HazardService(ws).all()}
        visible = {h for k, h in world.hazards.items() if ws.user.can_act_in(SEEDS[k][1])}
        assert visible <= held
        assert not held & {world.sent[c.id]["hazard_id"] for c in CASES if c.target == NEW}
        summarize(ws)
        listing = HazardListModel(ws, "en")
        listing.load()
        listing.show_closed(True)
        listing.load()
        for hazard_id in sorted(held):
            detail = HazardDetailModel(ws, hazard_id, "en")
            detail.place()
            detail.origin()
            detail.timeline()
            detail.conflicts()
            detail.actions()
            detail.people_for_plan()
        DashboardModel(ws, "en").load()
        sync.state()
        sync.refused()
    finally:
        ws.store.close()


def test_a_subset_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The same answers on PostgreSQL: every rule case and each command type's first cases."""
    db_url = request.getfixturevalue("postgres").create_database(f"h{uuid.uuid4().hex[:12]}")
    server, hq = start_hq(tmp_path / "hq", db_url)
    try:
        pg = seed(hq)
        firsts = [c for type_ in BASE for c in payload_cases(type_)[:3]]
        subset = firsts + rule_cases()
        run_cases(pg, subset)
        for case_ in subset:
            assert_answered_and_not_stored(pg, case_)
    finally:
        server.stop()
        hq.app.state.hq.engine.dispose()
