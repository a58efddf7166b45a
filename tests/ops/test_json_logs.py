"""``inspect-app serve --log-format json``: every line HQ writes on stderr is one JSON object,
uvicorn's own start-up and shutdown lines included, from start until it stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from tests.support.services import free_port, wait_until


def test_every_stderr_line_is_json_from_start_to_stop(tmp_path: Path) -> None:
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "serve", "--data", str(tmp_path / "hq"), "--demo",
         "--port", str(port), "--log-format", "json"],
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

        wait_until(ready, 60, "HQ")
        serve.send_signal(signal.SIGTERM)
        _, stderr = serve.communicate(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate(timeout=30)
    assert serve.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it stopped on
    lines = [line for line in stderr.splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not JSON: {line!r}\n{stderr}") from None
    messages = [e["message"] for e in entries]
    assert any("Started server process" in m for m in messages), messages
    assert any("Application startup complete" in m for m in messages), messages
    assert any("Finished server process" in m for m in messages), messages
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert any(e.get("route") == "/readyz" for e in entries)  # HQ's own access line
