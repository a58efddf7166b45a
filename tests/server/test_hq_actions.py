"""HQ people act on the web through the state machine: a hazard's page offers exactly the
allowed actions that need no photo, and every form posted, offered or not, is applied exactly
when the state machine and the role allow it, and refused (the hazard unchanged) otherwise. The
web's steps are pushed as the user's person, so devices pull them like any other step."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from inspect_app.core.commands import FieldKind
from inspect_app.core.hazard import Hazard
from inspect_app.core.vocabulary import WORDS as DOMAIN_WORDS
from inspect_app.core.workflow import PAYLOADS, CommandType, action_form, allowed_actions
from inspect_app.server.i18n import WORDS, local_time, translator
from inspect_app.server.scope import EVERYWHERE
from tests.server.conftest import (
    ADMIN_PASSWORD,
    Device,
    Hq,
    days_from_today,
    hazard_payload,
    jpeg,
    start_hq,
)
from tests.server.test_page_security import browser_login

#: A valid value for each form field the web offers.
VALUES = {
    "responsible_id": "p-wang",
    "deadline": days_from_today(20),
    "reported_on": days_from_today(-1),
    "signed_off_on": days_from_today(-1),
    "kind": "isolation",
}
USERS = {"wang": "p-wang", "lin": "p-lin", "zhang": "p-zhang", "chen": "p-chen"}
STEPS = [t for t in CommandType if t is not CommandType.CREATE]
#: Voiding ends a hazard's life: tried last.
LIVING_STEPS = [t for t in STEPS if t is not CommandType.VOID]


@pytest.fixture
def acting_hq(tmp_path: Path) -> Iterator[tuple[Hq, Device, str]]:
    server, hq = start_hq(tmp_path / "hq")
    for username, person in USERS.items():
        hq.app.state.accounts.create_user(
            username, ADMIN_PASSWORD, is_admin=username == "chen", person_id=person
        )
    device = hq.enroll("p-li")
    hazard_id = str(uuid.uuid4())
    created = device.push(
        [device.command(hazard_id, "create", None, hazard_payload(grade="major", risk="red"))]
    )
    assert created.json()["commands"][0]["status"] == "applied"
    yield hq, device, hazard_id
    server.stop()


def current(hq: Hq, hazard_id: str) -> Hazard:
    record = hq.app.state.pages.reads.one(hazard_id, EVERYWHERE)
    assert record.hazard is not None
    return record.hazard


def form_for(command_type: CommandType, hazard: Hazard) -> dict[str, str]:
    """Valid values for the form: a new deadline after the hazard's present one."""
    later = (date.fromisoformat(hazard.deadline) + timedelta(days=10)).isoformat()
    values = {**VALUES, "new_deadline": later}
    return {
        f.name: values.get(f.name, f.options[0] if f.options else f"{f.name} by the web")
        for f in action_form(command_type, hazard)
        if f.kind is not FieldKind.PHOTOS
    }


def offered(html: str) -> set[str]:
    return set(re.findall(r'name="action" value="([^"]+)"', html))


def needs_photos(command_type: CommandType, hazard: Hazard) -> bool:
    return any(f.kind is FieldKind.PHOTOS and f.required for f in action_form(command_type, hazard))


def test_every_form_is_refused_exactly_when_the_state_machine_refuses_it(
    acting_hq: tuple[Hq, Device, str],
) -> None:
    hq, device, hazard_id = acting_hq
    directory = hq.app.state.hq.directory()
    sessions = {u: browser_login(hq, u) for u in USERS}
    applied: list[str] = []

    def every_step_by_everyone(steps: list[CommandType]) -> None:
        for username, person_id in USERS.items():
            session, csrf = sessions[username]
            person = directory.person(person_id)
            for command_type in steps:
                hazard = current(hq, hazard_id)
                allowed = allowed_actions(hazard, person)
                page = session.get(f"{hq.url}/hazards/{hazard_id}", timeout=10)
                assert offered(page.text) == {
                    t.value for t in allowed if not needs_photos(t, hazard)
                }, (username, hazard.status)
                answer = session.post(
                    f"{hq.url}/hazards/{hazard_id}/act",
                    data={"csrf": csrf, "action": command_type.value}
                    | form_for(command_type, hazard),
                    headers={"Origin": hq.url},
                    timeout=10,
                )
                after = current(hq, hazard_id)
                if command_type in allowed and not needs_photos(command_type, hazard):
                    assert answer.status_code == 200, (username, command_type, answer.text)
                    assert "Done:" in answer.text
                    applied.append(command_type.value)
                else:
                    assert answer.status_code in (403, 409, 422), (username, command_type)
                    assert "Not done" in answer.text
                    assert after == hazard, (username, command_type)

    every_step_by_everyone(LIVING_STEPS)
    # Rectified from the site, with an after photo: now the safety officer may verify.
    photo = jpeg("green")
    sha = hashlib.sha256(photo).hexdigest()
    assert device.put_blob(sha, photo).status_code == 201
    hazard = current(hq, hazard_id)
    if hazard.status.value == "assigned":
        start = device.command(hazard_id, "start_rectification", "assigned", {})
        start["base_version"] = hazard.version
        assert device.push([start]).json()["commands"][0]["status"] == "applied"
        hazard = current(hq, hazard_id)
    submit = device.command(
        hazard_id, "submit_rectified", "rectifying", {"photos": [sha], "note": "guard refitted"}
    )
    submit["base_version"] = hazard.version
    assert device.push([submit]).json()["commands"][0]["status"] == "applied"
    every_step_by_everyone(LIVING_STEPS)
    every_step_by_everyone(STEPS)
    assert {
        "assign_five_fixes",
        "submit_governance",
        "approve_governance",
        "void",
    } <= set(applied), applied
    # One history: the web's steps reach a device's pull, as their person.
    pulled = [e for e in device.pull(limit=1000)["events"] if e.get("hazard_id") == hazard_id]
    assert {e.get("device_id") for e in pulled} >= {"web-wang", "web-lin", "web-zhang"}
    # The fix note is shown on the hazard's page.
    assert "guard refitted" in sessions["lin"][0].get(f"{hq.url}/hazards/{hazard_id}").text


def test_a_form_without_its_token_is_refused(acting_hq: tuple[Hq, Device, str]) -> None:
    hq, _, hazard_id = acting_hq
    session, _ = browser_login(hq, "wang")
    answer = session.post(
        f"{hq.url}/hazards/{hazard_id}/act",
        data={"action": "comment", "text": "no token"},
        headers={"Origin": hq.url},
        timeout=10,
    )
    assert answer.status_code == 403
    assert current(hq, hazard_id).comments == 0


def test_a_refused_command_on_the_timeline_is_said_in_the_reader_s_language(
    acting_hq: tuple[Hq, Device, str],
) -> None:
    """HQ keeps a refused command on the hazard's timeline (the audit trail): its reason is
    said in the reader's words there, never HQ's English log message."""
    hq, device, hazard_id = acting_hq
    refused = device.push([device.command(hazard_id, "void", "open", {"reason": "x"})])
    assert refused.json()["commands"][0]["status"] == "forbidden"
    session, _ = browser_login(hq, "chen")
    session.cookies.set("hq_lang", "zh")
    page = session.get(f"{hq.url}/hazards/{hazard_id}", timeout=10).text
    timeline = page[page.index('<table class="cards">') :]
    assert "您的岗位不能执行“作废”" in timeline, timeline
    assert "may not" not in timeline
    session.cookies.set("hq_lang", "en")
    english = session.get(f"{hq.url}/hazards/{hazard_id}", timeout=10).text
    assert "may not" in english[english.index('<table class="cards">') :]


def test_a_refused_step_is_said_in_the_reader_s_language(
    acting_hq: tuple[Hq, Device, str],
) -> None:
    """The state machine's reason in the reader's words, never HQ's English log message."""
    hq, _, hazard_id = acting_hq
    session, csrf = browser_login(hq, "zhang")  # a principal does not plan the five fixes
    session.cookies.set("hq_lang", "zh")
    answer = session.post(
        f"{hq.url}/hazards/{hazard_id}/act",
        data={"csrf": csrf, "action": "assign_five_fixes"}
        | form_for(CommandType.ASSIGN_FIVE_FIXES, current(hq, hazard_id)),
        headers={"Origin": hq.url},
        timeout=10,
    )
    assert answer.status_code == 403
    assert "您的岗位不能执行“下达五定方案”" in answer.text
    assert "your role may not" not in answer.text


def test_every_step_and_field_a_form_shows_has_its_words() -> None:
    for command_type in STEPS:
        assert f"action.{command_type.value}" in DOMAIN_WORDS
        for name in PAYLOADS[command_type].model_fields:
            assert f"field.{name}" in DOMAIN_WORDS, name


def test_every_word_is_said_in_both_languages_and_times_are_local() -> None:
    assert all(set(entry) == {"zh", "en"} and all(entry.values()) for entry in WORDS.values())
    assert local_time("2026-11-27T01:30:00+00:00") == "2026-11-27 09:30"
    assert local_time("2026-11-27") == "2026-11-27"
    assert translator("zh")("status.submitted") == "待验收"
    assert translator("en")("status.submitted") == "Awaiting verification"
