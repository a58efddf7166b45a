"""``inspect-app serve --workers 2``: both workers start (each builds its app from the
environment the parent set), answer requests, and stop on SIGTERM; a worker is given
``WORKER_HEALTHCHECK_S`` to start, not uvicorn's 5 s that a loaded machine exceeds."""

from __future__ import annotations

from pathlib import Path

import requests

from inspect_app.commands.serve import WORKER_HEALTHCHECK_S
from tests.support.hq_process import serve_json, stop, wait_ready
from tests.support.services import free_port


def test_two_workers_start_serve_and_stop(tmp_path: Path) -> None:
    assert WORKER_HEALTHCHECK_S >= 30
    port = free_port()
    serve = serve_json(tmp_path, port, "--workers", "2")
    try:
        wait_ready(serve, port, 120)
        for _ in range(20):  # fresh connections, so both workers may take them
            answer = requests.get(f"http://127.0.0.1:{port}/login", timeout=30)
            assert answer.status_code == 200
    finally:
        entries = stop(serve)
    started = [e["message"] for e in entries if "Started server process" in e["message"]]
    assert len(set(started)) >= 2, started  # two worker pids
    assert any("Finished server process" in e["message"] for e in entries)
