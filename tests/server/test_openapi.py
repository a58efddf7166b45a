"""The served OpenAPI document matches docs/openapi.json, and schemathesis finds no 5xx and no
response that breaks the schema, with a real device token, against a live HQ."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from inspect_app.server.openapi import openapi_json
from tests.server.conftest import Hq, start_hq

ROOT = Path(__file__).parents[2]
PERSON = "p-chen"
DOC = ROOT / "docs" / "openapi.json"


def test_committed_openapi_is_current() -> None:
    assert DOC.read_text("utf-8") == openapi_json(), (
        "regenerate: python -m inspect_app.server.openapi > docs/openapi.json"
    )


@dataclass(frozen=True)
class Live:
    hq: Hq
    device_token: str
    device_id: str
    admin_session: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server, hq = start_hq(tmp_path_factory.mktemp("schemathesis"))
    device = hq.enroll(PERSON)
    admin = hq.admin()
    yield Live(hq, device.token, device.id, admin.cookies["hq_session"])
    server.stop()


def schemathesis_run(live: Live, tmp_path: Path, *header: str) -> subprocess.CompletedProcess:
    """A bounded, seeded schemathesis run over the whole API with the given credentials."""
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.server.schemathesis_hooks",
        "PYTHONPATH": str(ROOT),
        "INSPECT_FUZZ_HQ": live.hq.url,
        "INSPECT_FUZZ_DEVICE_ID": live.device_id,
        "INSPECT_FUZZ_PERSON_ID": PERSON,
        "INSPECT_FUZZ_ADMIN_SESSION": live.admin_session,
    }
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live.hq.url}/openapi.json",
            "-H",
            header[0],
            "--max-examples",
            "25",
            "--phases",
            "examples,coverage,fuzzing",
            "--suppress-health-check",
            "all",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--seed",
            "20261122",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env=environment,
    )


def test_schemathesis_as_a_device_finds_no_server_error_or_schema_violation(
    live: Live, tmp_path: Path
) -> None:
    before = _device(live)["last_seq"]
    run = schemathesis_run(live, tmp_path, f"Authorization: Bearer {live.device_token}")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # The hooks filled in the device and its seqs: generated commands reached the state
    # machine and were judged (each judged command moves the device's seq).
    assert _device(live)["last_seq"] >= before + 5


def test_schemathesis_as_an_admin_finds_no_server_error_or_schema_violation(
    live: Live, tmp_path: Path
) -> None:
    run = schemathesis_run(live, tmp_path, f"Cookie: hq_session={live.admin_session}")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def _device(live: Live) -> dict:
    answer = requests.get(
        f"{live.hq.url}/v1/admin/devices", cookies={"hq_session": live.admin_session}, timeout=10
    )
    return next(d for d in answer.json() if d["id"] == live.device_id)


def test_docs_are_served(live: Live) -> None:
    assert requests.get(f"{live.hq.url}/openapi.json", timeout=10).json()["info"]["title"] == (
        "inspect_app HQ"
    )
