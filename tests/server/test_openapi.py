"""The served OpenAPI document matches docs/openapi.json, and schemathesis finds no 5xx and no
response that breaks the schema, with a real device token, against a live HQ."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from inspect_app.server.openapi import openapi_json
from tests.server.conftest import Hq, start_hq

DOC = Path(__file__).parents[2] / "docs" / "openapi.json"


def test_committed_openapi_is_current() -> None:
    assert DOC.read_text("utf-8") == openapi_json(), (
        "regenerate: python -m inspect_app.server.openapi > docs/openapi.json"
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hq, str]]:
    server, hq = start_hq(tmp_path_factory.mktemp("schemathesis"))
    device = hq.enroll("p-chen")
    yield hq, device.token
    server.stop()


def test_schemathesis_finds_no_server_error_or_schema_violation(
    live: tuple[Hq, str], tmp_path: Path
) -> None:
    hq, token = live
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{hq.url}/openapi.json",
            "-H",
            f"Authorization: Bearer {token}",
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
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_docs_are_served(live: tuple[Hq, str]) -> None:
    hq, _ = live
    assert requests.get(f"{hq.url}/openapi.json", timeout=10).json()["info"]["title"] == (
        "inspect_app HQ"
    )
