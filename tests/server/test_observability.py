"""Watching HQ: /metrics moves with pushes and pulls and reads each device's last sync and lag from
the database; it is served to loopback or for a token only; logs are one JSON object a line with
the request's id, device, person, route, status and duration; refused commands are logged as
structured records."""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient

from inspect_app.server import observability
from inspect_app.server.app import Settings, create_app
from tests.server.conftest import Hq, hazard_payload
from tests.support.services import LiveServer


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if match is None or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match[2] or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match[3])
    return 0.0


def scrape(hq: Hq) -> str:
    answer = requests.get(f"{hq.url}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


def test_metrics_move_after_a_push_and_a_pull(hq_sqlite: Hq) -> None:
    hq = hq_sqlite
    device, other = hq.enroll("p-li"), hq.enroll("p-zhao")
    before = scrape(hq)
    good = device.command(str(uuid.uuid4()), "create", None, hazard_payload())
    assert device.push([good]).status_code == 200
    assert device.push([good]).status_code == 200  # a replay
    refused = other.command(str(uuid.uuid4()), "create", None, hazard_payload("ws-painting"))
    assert other.push([refused]).json()["commands"][0]["status"] == "forbidden"
    pages = [device.pull(), other.pull()]
    # A third event the device has not pulled yet: its lag is 1.
    assert other.push([other.command(str(uuid.uuid4()), "create", None, hazard_payload())]).ok
    after = scrape(hq)

    def moved(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("inspect_commands_pushed_total", result="applied") == 2
    assert moved("inspect_commands_pushed_total", result="replayed") == 1
    assert moved("inspect_commands_pushed_total", result="forbidden") == 1
    assert moved("inspect_pull_events_sent_total") == sum(len(p["events"]) for p in pages)
    assert (
        moved(
            "inspect_http_request_duration_seconds_count",
            route="/v1/sync/push",
            method="POST",
            status="2xx",
        )
        == 4
    )
    assert sample(after, "inspect_device_last_sync_timestamp_seconds", device=device.id) > 0
    assert sample(after, "inspect_device_seq_lag", device=device.id) == 1
    assert sample(after, "inspect_device_seq_lag", device=other.id) == 1
    assert sample(after, "inspect_database_up") == 1
    assert sample(after, "inspect_db_pool_size") >= 1
    assert "inspect_db_pool_checked_out" in after


def test_unmatched_paths_share_one_route_label(hq_sqlite: Hq) -> None:
    for i in range(3):
        requests.get(f"{hq_sqlite.url}/no/such/{i}", timeout=10)
    text = scrape(hq_sqlite)
    assert sample(text, "inspect_http_request_duration_seconds_count", route="unmatched") >= 3
    assert "/no/such/" not in text


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "hq", demo=True)


def test_metrics_are_for_loopback_unless_a_token_is_set(app_settings: Settings) -> None:
    app = create_app(app_settings)
    assert TestClient(app, client=("10.1.2.3", 4000)).get("/metrics").status_code == 403
    assert TestClient(app, client=("127.0.0.1", 4000)).get("/metrics").status_code == 200
    app_settings.metrics_token = "scrape-me-please"
    with_token = create_app(app_settings)
    remote = TestClient(with_token, client=("10.1.2.3", 4000))
    assert remote.get("/metrics").status_code == 401
    wrong = remote.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = remote.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
    assert right.status_code == 200 and "inspect_database_up" in right.text


@pytest.fixture
def json_log(app_settings: Settings) -> Iterator[tuple[LiveServer, Hq, io.StringIO]]:
    app_settings.log_format = "json"
    app = create_app(app_settings)
    captured = io.StringIO()
    observability.configure_logging("json", captured)
    server = LiveServer(app).start()
    yield server, Hq(server.url, app), captured
    server.stop()
    observability.configure_logging("text")


def records(captured: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in captured.getvalue().splitlines()]


def test_a_request_is_logged_as_one_json_record(json_log) -> None:  # type: ignore[no-untyped-def]
    _, hq, captured = json_log
    device = hq.enroll("p-li")
    command = device.command(str(uuid.uuid4()), "create", None, hazard_payload())
    answer = requests.post(
        f"{hq.url}/v1/sync/push",
        headers={**device.headers, "X-Request-ID": "plant-wifi-42"},
        json={"device_id": device.id, "commands": [command], "inspections": []},
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == "plant-wifi-42"
    [record] = [r for r in records(captured) if r.get("request_id") == "plant-wifi-42"]
    assert record["level"] == "INFO" and record["logger"] == "inspect_app.access"
    assert record["route"] == "/v1/sync/push" and record["method"] == "POST"
    assert record["status"] == 200 and record["duration_ms"] >= 0
    assert record["device"] == device.id and record["person"] == "p-li"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", record["time"])
    assert record["message"] == "POST /v1/sync/push 200"


def test_a_request_without_an_id_gets_one_and_a_bad_one_is_replaced(json_log) -> None:  # type: ignore[no-untyped-def]
    _, hq, captured = json_log
    made = requests.get(f"{hq.url}/healthz", timeout=10).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    hostile = requests.get(f"{hq.url}/healthz", headers={"X-Request-ID": "a b\tc"}, timeout=10)
    assert hostile.headers["X-Request-ID"] != "a b\tc"
    ids = {r.get("request_id") for r in records(captured)}
    assert made in ids and hostile.headers["X-Request-ID"] in ids


def test_a_refused_command_is_a_structured_record(json_log) -> None:  # type: ignore[no-untyped-def]
    _, hq, captured = json_log
    outsider = hq.enroll("p-zhao")  # ws-stamping only
    command = outsider.command(str(uuid.uuid4()), "create", None, hazard_payload("ws-painting"))
    assert outsider.push([command]).json()["commands"][0]["status"] == "forbidden"
    [record] = [r for r in records(captured) if r.get("command_id") == command["id"]]
    assert record["level"] == "WARNING"
    assert record["result"] == "forbidden" and record["command_type"] == "create"
    assert record["device"] == outsider.id and record["person"] == "p-zhao"
    assert record["reason"] and record["route"] == "/v1/sync/push"
    assert "request_id" in record


def test_text_logs_carry_the_same_fields(app_settings: Settings) -> None:
    app = create_app(app_settings)
    captured = io.StringIO()
    observability.configure_logging("text", captured)
    TestClient(app).get("/healthz", headers={"X-Request-ID": "text-1"})
    line = captured.getvalue().splitlines()[-1]
    assert "INFO inspect_app.access: GET /healthz 200" in line
    assert "request_id=text-1" in line and "route=/healthz" in line
