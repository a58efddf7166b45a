"""Hostile or broken requests get a 4xx with a JSON body HQ can write, never a 5xx: the inputs of
issue #10 (NaN and Infinity, integers past 64 bits, deep nesting, chunked bodies over the limit,
wrong types in a push, bodies that are not UTF-8) and their neighbours, against a live HQ."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests

from tests.server.conftest import Device, Hq, hazard_payload, start_hq

MB = 1024 * 1024


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hq, Device]]:
    server, hq = start_hq(tmp_path_factory.mktemp("no5xx"))
    device = hq.enroll("p-chen")
    yield hq, device
    server.stop()


def nested(depth: int) -> str:
    """A command payload whose one value is ``depth`` arrays deep."""
    return "[" * depth + "]" * depth


def raw_push(hq: Hq, device: Device, body: bytes | Iterator[bytes]) -> requests.Response:
    return requests.post(
        f"{hq.url}/v1/sync/push",
        data=body,
        headers={**device.headers, "Content-Type": "application/json"},
        timeout=60,
    )


def push_text(device: Device, payload_json: str) -> bytes:
    command = (
        f'{{"id": "{uuid.uuid4()}", "seq": 1, "hazard_id": "{uuid.uuid4()}", "type": "comment",'
        f' "actor": "p-chen", "observed_at": "2026-11-22T09:00:00+08:00", "payload": {payload_json}}}'
    )
    return f'{{"device_id": "{device.id}", "commands": [{command}]}}'.encode()


def assert_answer(answer: requests.Response, status: int) -> None:
    assert answer.status_code == status, answer.text[:500]
    assert answer.json()["detail"]  # a JSON body HQ could write


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/devices/enroll", b'{"code": NaN}'),
        ("/v1/devices/enroll", b'{"code": Infinity}'),
        ("/v1/devices/enroll", b'{"code": -Infinity}'),
        ("/v1/devices/enroll", b'{"code": 1e999}'),
        ("/v1/admin/login", b'{"username": "admin", "password": Infinity}'),
        ("/v1/admin/login", b'{"username": "admin", "password": NaN}'),
        ("/v1/devices/enroll", b'{"code": "x"'),
        ("/v1/devices/enroll", b'{"code": ' + b"9" * 5000 + b"}"),
    ],
)
def test_json_that_is_not_json_is_422(live: tuple[Hq, Device], path: str, body: bytes) -> None:
    hq, _ = live
    answer = requests.post(
        f"{hq.url}{path}", data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert_answer(answer, 422)


def test_a_validation_error_echoing_nan_is_written_as_json(live: tuple[Hq, Device]) -> None:
    """Even with NaN let through to validation, the error body must still be JSON."""
    from fastapi.exceptions import RequestValidationError

    hq, _ = live

    @hq.app.get("/test-only/nan", include_in_schema=False)
    def raise_nan() -> None:
        raise RequestValidationError([{"type": "x", "loc": ("body",), "input": float("nan")}])

    try:
        answer = requests.get(f"{hq.url}/test-only/nan", timeout=10)
    finally:
        hq.app.router.routes.remove(
            next(r for r in hq.app.router.routes if getattr(r, "path", "") == "/test-only/nan")
        )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["input"] == "nan"


@pytest.mark.parametrize(
    "query",
    [
        "since=9223372036854775808",
        "since=99999999999999999999999999",
        "since=-1",
        "since=abc",
        "limit=0",
        "limit=1001",
        "limit=99999999999999999999",
    ],
)
def test_pull_parameters_out_of_range_are_422(live: tuple[Hq, Device], query: str) -> None:
    hq, device = live
    answer = requests.get(f"{hq.url}/v1/sync/pull?{query}", headers=device.headers, timeout=10)
    assert_answer(answer, 422)


def test_pull_at_the_largest_cursor_is_an_empty_page(live: tuple[Hq, Device]) -> None:
    _, device = live
    page = device.pull(since=2**63 - 1)
    assert (page["events"], page["next_since"], page["has_more"]) == ([], 2**63 - 1, False)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/checklists/fire-monthly/99999999999999999999", 422),
        ("/v1/checklists/fire-monthly/2147483648", 422),
        ("/v1/checklists/fire-monthly/0", 422),
        ("/v1/checklists/fire-monthly/x", 422),
        ("/v1/checklists/fire-monthly/2147483647", 404),
        (f"/v1/checklists/{'c' * 65}/1", 422),
        ("/v1/checklists/nope/1", 404),
        (f"/v1/blobs/{'a' * 65}", 422),
        (f"/v1/blobs/{'A' * 64}", 404),
        ("/v1/blobs/..%2F..%2Fetc%2Fpasswd", 404),
    ],
)
def test_path_parameters_are_bounded(live: tuple[Hq, Device], path: str, status: int) -> None:
    hq, device = live
    assert_answer(requests.get(f"{hq.url}{path}", headers=device.headers, timeout=10), status)


@pytest.mark.parametrize("depth", [33, 300, 900, 5000, 100_000])
def test_push_nested_too_deep_is_422(live: tuple[Hq, Device], depth: int) -> None:
    hq, device = live
    answer = raw_push(hq, device, push_text(device, f'{{"text": {nested(depth)}}}'))
    assert_answer(answer, 422)
    assert "nested" in str(answer.json()["detail"])


def test_push_nested_within_the_limit_is_decided(live: tuple[Hq, Device]) -> None:
    hq, device = live
    answer = raw_push(hq, device, push_text(device, f'{{"text": {nested(20)}}}'))
    assert answer.status_code == 200, answer.text
    assert answer.json()["commands"][0]["status"] == "rejected_invalid"


@pytest.mark.parametrize("payload", ['{"text": NaN}', '{"text": 1e400}', '{"text": -Infinity}'])
def test_push_with_non_finite_numbers_is_422(live: tuple[Hq, Device], payload: str) -> None:
    hq, device = live
    assert_answer(raw_push(hq, device, push_text(device, payload)), 422)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe{}",
        b'{"device_id": "\xc3\x28"}',
        '{"device_id": "x"}'.encode("utf-16"),
    ],
)
def test_push_body_not_utf8_is_400(live: tuple[Hq, Device], body: bytes) -> None:
    hq, device = live
    assert_answer(raw_push(hq, device, body), 400)


def test_chunked_push_over_the_limit_is_413(live: tuple[Hq, Device]) -> None:
    hq, device = live

    def chunks() -> Iterator[bytes]:
        yield b'{"device_id": "' + device.id.encode() + b'", "commands": [], "pad": "'
        for _ in range(20):
            yield b"x" * MB
        yield b'"}'

    answer = raw_push(hq, device, chunks())
    assert_answer(answer, 413)


def test_declared_push_over_the_limit_is_413(live: tuple[Hq, Device]) -> None:
    hq, device = live
    assert_answer(raw_push(hq, device, b" " * (9 * MB)), 413)


@pytest.mark.parametrize(
    ("command", "status"),
    [
        ({"seq": 2**63}, 422),
        ({"seq": 0}, 422),
        ({"seq": "1"}, 200),  # pydantic's lax mode reads a numeric string
        ({"id": "x" * 65}, 422),
        ({"hazard_id": ["h"]}, 422),
        ({"type": "explode"}, 422),
        ({"base_version": 2**64}, 422),
        ({"payload": ["not", "an", "object"]}, 422),
        ({"actor": None}, 422),
    ],
)
def test_push_envelope_is_checked_before_anything_is_decided(
    live: tuple[Hq, Device], command: dict, status: int
) -> None:
    hq, _ = live
    device = hq.enroll("p-chen")
    base = device.command(str(uuid.uuid4()), "create", None, hazard_payload(), seq=1)
    answer = device.push([{**base, **command}])
    assert answer.status_code == status, answer.text[:500]


@pytest.mark.parametrize(
    "inspection",
    [
        {"id": "x" * 65, "workshop_id": "ws-stamping"},
        {"id": "i-1", "workshop_id": ["ws-stamping"]},
        {"id": 5, "workshop_id": "ws-stamping"},
        {"workshop_id": "ws-stamping"},
    ],
)
def test_inspection_envelope_errors_are_422(live: tuple[Hq, Device], inspection: dict) -> None:
    _, device = live
    assert device.push(inspections=[inspection]).status_code == 422


def test_an_inspection_that_does_not_parse_is_answered_invalid(live: tuple[Hq, Device]) -> None:
    _, device = live
    answer = device.push(inspections=[{"id": str(uuid.uuid4()), "workshop_id": "ws-stamping"}])
    assert answer.status_code == 200, answer.text
    result = answer.json()["inspections"][0]
    assert (result["status"], result["field"]) == ("rejected_invalid", "checklist_id")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("workshop_id", ["ws-stamping"]),
        ("workshop_id", "w" * 5000),
        ("workshop_id", None),
        ("found_at", "not-a-date"),
        ("photos", [{"sha": 1}]),
        ("photos", ["../../etc/passwd"]),
        ("description", {"x": 1}),
    ],
)
def test_wrong_types_in_a_create_are_rejected_invalid(
    live: tuple[Hq, Device], field: str, value: object
) -> None:
    hq, _ = live
    device = hq.enroll("p-chen")
    command = device.command(str(uuid.uuid4()), "create", None, {**hazard_payload(), field: value})
    answer = device.push([command])
    assert answer.status_code == 200, answer.text[:500]
    result = answer.json()["commands"][0]
    assert result["status"] == "rejected_invalid"
    assert result["field"].split(".")[0] == field


@pytest.fixture(scope="module")
def admin(live: tuple[Hq, Device]) -> requests.Session:
    hq, _ = live
    return hq.admin()


@pytest.mark.parametrize("path", ["/v1/admin/site", "/v1/admin/checklists"])
def test_admin_yaml_not_utf8_is_400(live: tuple[Hq, Device], admin, path: str) -> None:  # type: ignore[no-untyped-def]
    hq, _ = live
    answer = admin.put(f"{hq.url}{path}", data=b"id: \xff\xfe\n", timeout=10)
    assert_answer(answer, 400)
    assert "UTF-8" in answer.json()["detail"]


@pytest.mark.parametrize("path", ["/v1/admin/site", "/v1/admin/checklists"])
def test_admin_yaml_that_is_not_master_data_is_422(
    live: tuple[Hq, Device], admin, path: str
) -> None:  # type: ignore[no-untyped-def]
    hq, _ = live
    assert_answer(admin.put(f"{hq.url}{path}", data=b"[1, 2", timeout=10), 422)


def test_admin_revoke_with_a_long_id_is_422(live: tuple[Hq, Device], admin) -> None:  # type: ignore[no-untyped-def]
    hq, _ = live
    answer = admin.post(f"{hq.url}/v1/admin/devices/{'d' * 65}/revoke", timeout=10)
    assert_answer(answer, 422)


def test_pages_answer_hostile_input_without_5xx(live: tuple[Hq, Device]) -> None:
    """The page inputs of issue #10: a login form that is not UTF-8, a month past any
    calendar, an enrolment code too long for a QR code."""
    hq, _ = live
    login = requests.post(
        f"{hq.url}/login",
        data=b"username=\xff\xfe&password=\xc3\x28",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": hq.url},
        timeout=10,
        allow_redirects=False,
    )
    assert login.status_code == 400, login.text[:300]
    session = hq.admin()
    for path in ("/hazards?month=2024-99999999999999999999", f"/devices?code={'A' * 4000}"):
        answer = session.get(f"{hq.url}{path}", timeout=10, allow_redirects=False)
        assert answer.status_code == 200, (path, answer.text[:300])
