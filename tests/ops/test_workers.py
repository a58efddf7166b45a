"""``inspect-app serve --workers 2``: both workers start (each builds its app from the
environment the parent set), answer requests, and stop on SIGTERM; a worker is given
``WORKER_HEALTHCHECK_S`` to start, not uvicorn's 5 s that a loaded machine exceeds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from inspect_app.commands.serve import WORKER_HEALTHCHECK_S
from tests.support.services import free_port, wait_until


def test_two_workers_start_serve_and_stop(tmp_path: Path) -> None:
    assert WORKER_HEALTHCHECK_S >= 30
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "serve", "--data", str(tmp_path / "hq"), "--demo",
         "--port", str(port), "--log-format", "json", "--workers", "2"],
        cwd=tmp_path, env={k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:

        def ready() -> bool:
            assert serve.poll() is None, "serve stopped"
            try:
                return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).ok
            except requests.RequestException:
                return False

        wait_until(ready, 120, "HQ")
        for _ in range(20):  # fresh connections, so both workers may take them
            answer = requests.get(f"http://127.0.0.1:{port}/login", timeout=30)
            assert answer.status_code == 200
        serve.send_signal(signal.SIGTERM)
        _, stderr = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate(timeout=30)
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    started = [e for e in entries if "Started server process" in e["message"]]
    assert len({e["message"] for e in started}) >= 2, started  # two worker pids
    assert any("Finished server process" in e["message"] for e in entries)
