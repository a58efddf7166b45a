"""The sync contract against a live HQ, on SQLite and PostgreSQL: replays, payload reuse, seq gaps,
missing blobs, conflicts, pull cursor, blobs, enrolment and tokens, and what each reader may see
(events, hazards and photos within the person's scope)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid

import requests

from tests.server.conftest import Hq, hazard_payload, jpeg, upload_at_once


def created(device, hazard_id: str | None = None, **extra):  # type: ignore[no-untyped-def]
    hazard_id = hazard_id or str(uuid.uuid4())
    command = device.command(hazard_id, "create", None, hazard_payload(**extra))
    answer = device.push([command])
    assert answer.status_code == 200, answer.text
    assert answer.json()["commands"][0]["status"] == "applied"
    return hazard_id


def test_replay_returns_the_stored_result_and_one_event(hq: Hq) -> None:
    device = hq.enroll("p-li")
    command = device.command(str(uuid.uuid4()), "create", None, hazard_payload())
    first = device.push([command]).json()["commands"][0]
    again = device.push([command]).json()["commands"][0]
    assert first["status"] == again["status"] == "applied"
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert first["server_seq"] == again["server_seq"]
    events = [e for e in device.pull()["events"] if e.get("id") == command["id"]]
    assert len(events) == 1


def test_same_id_with_another_payload_is_422(hq: Hq) -> None:
    device = hq.enroll("p-li")
    command = device.command(str(uuid.uuid4()), "create", None, hazard_payload())
    device.push([command])
    changed = {**command, "payload": hazard_payload(description="something else")}
    answer = device.push([changed])
    assert answer.status_code == 422
    assert "another payload" in answer.json()["detail"]


def test_seq_gap_is_409_and_nothing_after_it_applies(hq: Hq) -> None:
    device = hq.enroll("p-li")
    first = device.command(str(uuid.uuid4()), "create", None, hazard_payload())
    skipped = device.command(str(uuid.uuid4()), "create", None, hazard_payload(), seq=3)
    after = device.command(str(uuid.uuid4()), "create", None, hazard_payload(), seq=4)
    answer = device.push([first, skipped, after])
    assert answer.status_code == 409
    body = answer.json()
    assert body["expected_seq"] == 2
    assert [r["status"] for r in body["commands"]] == ["applied"]
    assert {h["id"] for h in device.pull()["hazards"]} == {first["hazard_id"]}


def test_the_same_command_id_from_another_device_is_not_a_duplicate(hq: Hq) -> None:
    one, two = hq.enroll("p-li"), hq.enroll("p-zhao")
    command = one.command(str(uuid.uuid4()), "create", None, hazard_payload())
    assert one.push([command]).json()["commands"][0]["status"] == "applied"
    other = {**command, "hazard_id": str(uuid.uuid4()), "actor": "p-zhao"}
    result = two.push([other]).json()["commands"][0]
    assert result["status"] == "applied" and result["replayed"] is False


def test_missing_blobs_then_applied_after_upload(hq: Hq) -> None:
    device = hq.enroll("p-li")
    photo = jpeg("blue")
    sha = hashlib.sha256(photo).hexdigest()
    command = device.command(str(uuid.uuid4()), "create", None, hazard_payload(photos=[sha]))
    later = device.command(command["hazard_id"], "comment", None, {"text": "x"})
    result = device.push([command, later]).json()["commands"]
    assert result == [
        {
            "id": command["id"],
            "status": "missing_blobs",
            "missing_blobs": [sha],
            "server_seq": None,
            "replayed": False,
        }
    ]
    assert device.put_blob(sha, photo).status_code == 201
    results = device.push([command, later]).json()["commands"]
    assert [r["status"] for r in results] == ["applied", "applied"]


def test_blob_rules(hq: Hq, tmp_path) -> None:  # type: ignore[no-untyped-def]
    device = hq.enroll("p-li")
    photo = jpeg("green")
    sha = hashlib.sha256(photo).hexdigest()
    head = requests.head(f"{hq.url}/v1/blobs/{sha}", headers=device.headers, timeout=10)
    assert head.status_code == 404
    wrong = device.put_blob(sha, photo + b"tail")
    assert wrong.status_code == 422 and "sha256" in wrong.json()["detail"]
    junk = b"not an image at all"
    answer = device.put_blob(hashlib.sha256(junk).hexdigest(), junk)
    assert answer.status_code == 422 and "image" in answer.json()["detail"]
    assert device.put_blob(sha, photo).status_code == 201
    assert device.put_blob(sha, photo).status_code == 200
    assert (
        requests.head(f"{hq.url}/v1/blobs/{sha}", headers=device.headers, timeout=10).status_code
        == 200
    )
    big = b"\xff" * (16 * 1024 * 1024)
    assert device.put_blob(hashlib.sha256(big).hexdigest(), big).status_code == 413
    assert device.put_blob("../../etc/passwd", photo).status_code == 404
    blob_dir = hq.app.state.hq.blobs.root
    assert not [p for p in blob_dir.rglob("*") if p.name.endswith(".tmp")]
    assert len([p for p in blob_dir.rglob("*") if p.is_file()]) == 1


def test_same_blob_from_two_devices_at_once_is_one_object(hq: Hq) -> None:
    one, two = hq.enroll("p-li"), hq.enroll("p-zhao")
    photo = jpeg("purple", (400, 300))
    sha = hashlib.sha256(photo).hexdigest()
    codes = upload_at_once([one, two], sha, photo)
    assert sorted(codes) in ([200, 201], [201, 201])
    files = [p for p in hq.app.state.hq.blobs.root.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [sha]


def test_concurrent_verify_pass_and_fail_one_wins_other_is_a_visible_conflict(hq: Hq) -> None:
    inspector, rectifier = hq.enroll("p-li"), hq.enroll("p-zhao")
    # The finder and the safety officer may both verify; the head assigns the fix.
    head, officer = hq.enroll("p-wang"), hq.enroll("p-lin")
    hazard_id = created(inspector)
    photo = jpeg("orange")
    sha = hashlib.sha256(photo).hexdigest()
    rectifier.put_blob(sha, photo)
    plan = {"responsible_id": "p-zhao", "measures": "m", "funds": "f", "deadline": "2026-12-01"}
    steps = [
        (head, "assign_five_fixes", "open", plan),
        (rectifier, "start_rectification", "assigned", {}),
        (rectifier, "submit_rectified", "rectifying", {"photos": [sha]}),
    ]
    for device, type_, expected, payload in steps:
        result = device.push([device.command(hazard_id, type_, expected, payload)]).json()
        assert result["commands"][0]["status"] == "applied", result
    answers: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def verify(device, type_: str, payload: dict) -> None:  # type: ignore[no-untyped-def]
        command = device.command(hazard_id, type_, "submitted", payload)
        barrier.wait(timeout=10)
        answers[type_] = device.push([command]).json()["commands"][0]["status"]

    threads = [
        threading.Thread(target=verify, args=(inspector, "verify_pass", {"opinion": "fixed"})),
        threading.Thread(target=verify, args=(officer, "verify_fail", {"opinion": "no"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers.values()) == ["applied", "rejected_conflict"]
    for device in (head, officer, inspector):
        events = [e for e in device.pull()["events"] if e.get("hazard_id") == hazard_id]
        assert [e["result"] for e in events[-2:]] in (["applied", "rejected_conflict"],)


def test_pull_pages_have_no_gaps_or_duplicates(hq: Hq) -> None:
    device = hq.enroll("p-chen")
    hazard_ids = [str(uuid.uuid4()) for _ in range(30)]
    device.push([device.command(h, "create", None, hazard_payload()) for h in hazard_ids])
    seen: list[int] = []
    since = 0
    for _ in range(100):
        page = device.pull(since, limit=7)
        seen.extend(e["server_seq"] for e in page["events"])
        since = page["next_since"]
        if not page["has_more"]:
            break
    assert seen == sorted(set(seen))
    assert seen == list(range(1, seen[-1] + 1))


def test_pull_is_scoped_to_the_person_s_workshops(hq: Hq) -> None:
    admin = hq.enroll("p-chen")
    painting = created(admin, workshop="ws-painting")
    stamping = created(admin, workshop="ws-stamping")
    first_pull = hq.enroll("p-zhao").pull()
    assert {h["id"] for h in first_pull["hazards"]} == {stamping}
    assert painting not in {e.get("hazard_id") for e in first_pull["events"]}
    assert first_pull["site"]["plant_id"] == "plant-suzhou-01"
    assert len(first_pull["checklists"]) == 9


def test_tokens_revoked_and_mismatched(hq: Hq) -> None:
    device, other = hq.enroll("p-li"), hq.enroll("p-zhao")
    assert device.push([], device_id=other.id).status_code == 403
    hq.app.state.hq.revoke_device(device.id)
    answer = device.push([])
    assert answer.status_code == 401
    assert requests.get(f"{hq.url}/v1/sync/pull", timeout=10).status_code == 401
    bad = requests.get(
        f"{hq.url}/v1/sync/pull", headers={"Authorization": "Bearer nope"}, timeout=10
    )
    assert bad.status_code == 401


def test_enrolment_codes_are_single_use(hq: Hq) -> None:
    code, _ = hq.app.state.hq.make_code("p-li", "test")
    assert requests.post(f"{hq.url}/v1/devices/enroll", json={"code": code}, timeout=10).ok
    again = requests.post(f"{hq.url}/v1/devices/enroll", json={"code": code}, timeout=10)
    assert again.status_code == 401


def test_checklist_edited_at_hq_reaches_devices_and_old_versions_stay(hq: Hq) -> None:
    device = hq.enroll("p-li")
    cursor = device.pull()["next_since"]
    admin = hq.admin()
    from inspect_app.resources import shipped_checklists_dir

    text = (shipped_checklists_dir() / "fire-monthly.yaml").read_text("utf-8")
    version = int(re.search(r"^version: (\d+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
    same_version = admin.put(
        f"{hq.url}/v1/admin/checklists", data=text.replace("19", "20"), timeout=10
    )
    assert same_version.status_code in (200, 400)
    changed = text.replace(f"version: {version}", f"version: {version + 1}").replace(
        "Remove the waste", "Remove it"
    )
    publish = admin.put(f"{hq.url}/v1/admin/checklists", data=changed.encode(), timeout=10)
    assert publish.ok, publish.text
    page = device.pull(cursor)
    versions = {c["id"]: c["version"] for c in page["checklists"]}
    assert versions["fire-monthly"] == version + 1
    old = requests.get(
        f"{hq.url}/v1/checklists/fire-monthly/{version}", headers=device.headers, timeout=10
    )
    assert old.json()["version"] == version
    broken = admin.put(f"{hq.url}/v1/admin/checklists", data=b"id: x\nversion: [", timeout=10)
    assert broken.status_code == 422 and "YAML syntax error" in broken.json()["detail"]


def test_failed_logins_are_rate_limited(hq: Hq) -> None:
    hq.app.state.accounts.create_user("admin", "correct horse battery", is_admin=True)
    codes = [
        requests.post(
            f"{hq.url}/v1/admin/login", json={"username": "admin", "password": "nope"}, timeout=10
        ).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    right = requests.post(
        f"{hq.url}/v1/admin/login",
        json={"username": "admin", "password": "correct horse battery"},
        timeout=10,
    )
    assert right.status_code == 429  # locked for a while even with the right password
    assert requests.get(f"{hq.url}/v1/admin/devices", timeout=10).status_code == 401


def test_a_refused_create_for_another_workshop_reaches_only_its_sender(hq: Hq) -> None:
    sender = hq.enroll("p-zhao")  # inspector of ws-stamping only
    painting_head, painting_inspector = hq.enroll("p-zhou"), hq.enroll("p-huang")
    command = sender.command(
        str(uuid.uuid4()), "create", None, hazard_payload("ws-painting", description="secret-123")
    )
    assert sender.push([command]).json()["commands"][0]["status"] == "forbidden"
    for reader in (painting_head, painting_inspector, hq.enroll("p-chen")):
        answer = requests.get(f"{hq.url}/v1/sync/pull", headers=reader.headers, timeout=10)
        assert "secret-123" not in answer.text and command["id"] not in answer.text
    assert command["id"] in {e.get("id") for e in sender.pull()["events"]}


def test_a_refused_command_on_another_workshop_s_hazard_does_not_send_the_hazard(hq: Hq) -> None:
    painting = created(hq.enroll("p-chen"), workshop="ws-painting", description="painting-only")
    outsider = hq.enroll("p-zhao")
    comment = outsider.command(painting, "comment", None, {"text": "let me in"})
    assert outsider.push([comment]).json()["commands"][0]["status"] == "forbidden"
    page = outsider.pull()
    assert comment["id"] in {e.get("id") for e in page["events"]}
    assert page["hazards"] == []
    assert "painting-only" not in json.dumps(page)


def test_the_cursor_moves_past_events_the_reader_may_not_see(hq: Hq) -> None:
    reader, admin = hq.enroll("p-zhao"), hq.enroll("p-chen")
    cursor = reader.pull()["next_since"]
    for _ in range(5):
        created(admin, workshop="ws-painting")
    newest = admin.pull()["next_since"]
    page = reader.pull(cursor, limit=2)
    assert (page["events"], page["next_since"], page["has_more"]) == ([], newest, False)
    stamping = created(admin, workshop="ws-stamping")
    assert [e["hazard_id"] for e in reader.pull(newest)["events"]] == [stamping]


def get_blob(hq: Hq, sha: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    return requests.get(f"{hq.url}/v1/blobs/{sha}", timeout=10, **kwargs).status_code


def test_a_photo_is_readable_only_where_a_hazard_or_inspection_shows_it(hq: Hq) -> None:
    inspector = hq.enroll("p-li")  # ws-stamping and ws-welding
    shown, unused, inspected = jpeg("maroon"), jpeg("olive"), jpeg("silver")
    sha, unused_sha, inspected_sha = (
        hashlib.sha256(p).hexdigest() for p in (shown, unused, inspected)
    )
    for sha_, photo in ((sha, shown), (unused_sha, unused), (inspected_sha, inspected)):
        assert inspector.put_blob(sha_, photo).status_code == 201
    created(inspector, workshop="ws-stamping", photos=[sha])
    inspection = inspection_with_photo("ws-welding", "p-li", inspected_sha)
    assert inspector.push(inspections=[inspection]).json()["inspections"][0]["status"] == "applied"
    readers = {p: hq.enroll(p) for p in ("p-wang", "p-zhou", "p-chen", "p-liu")}
    expected = {
        # stamping head, painting head, HQ admin, welding head
        sha: {"p-wang": 200, "p-zhou": 404, "p-chen": 200, "p-liu": 404},
        unused_sha: {"p-wang": 404, "p-zhou": 404, "p-chen": 404, "p-liu": 404},
        inspected_sha: {"p-wang": 404, "p-zhou": 404, "p-chen": 200, "p-liu": 200},
    }
    seen = {
        s: {p: get_blob(hq, s, headers=d.headers) for p, d in readers.items()} for s in expected
    }
    assert seen == expected
    assert get_blob(hq, unused_sha, headers=inspector.headers) == 404
    assert get_blob(hq, sha) == 401
    # HQ web users read through the same scope: an admin account everywhere, others as their person.
    accounts = hq.app.state.accounts
    accounts.create_user("head-wang", "a long password 1", is_admin=False, person_id="p-wang")
    accounts.create_user("head-zhou", "a long password 2", is_admin=False, person_id="p-zhou")
    accounts.create_user("nobody", "a long password 3", is_admin=False)
    web = {"head-wang": 200, "head-zhou": 404, "nobody": 404}
    for username, number in zip(web, (1, 2, 3), strict=True):
        session = requests.Session()
        login = session.post(
            f"{hq.url}/v1/admin/login",
            json={"username": username, "password": f"a long password {number}"},
            timeout=10,
        )
        assert login.ok, login.text
        assert session.get(f"{hq.url}/v1/blobs/{sha}", timeout=10).status_code == web[username]
    assert hq.admin().get(f"{hq.url}/v1/blobs/{inspected_sha}", timeout=10).status_code == 200


def inspection_with_photo(workshop: str, inspector: str, sha: str) -> dict:
    from inspect_app.core.inspection import Answer, Inspection

    inspection = Inspection(
        str(uuid.uuid4()),
        "fire-monthly",
        1,
        "0" * 64,
        workshop,
        inspector,
        "2026-11-22T08:00:00+08:00",
    ).with_answer(Answer("i-1", "fail", photos=(sha,)))
    return inspection.submitted("2026-11-22T08:30:00+08:00", "李明").to_dict()
