"""``inspect-app serve --log-format json``: every line HQ writes on stderr is one JSON object,
uvicorn's own start-up and shutdown lines included, from start until it stops on SIGTERM."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.support.hq_process import serve_json, stop, wait_ready
from tests.support.services import free_port


def test_every_stderr_line_is_json_from_start_to_stop(tmp_path: Path) -> None:
    port = free_port()
    serve = serve_json(tmp_path, port)
    try:
        wait_ready(serve, port, 60)
    finally:
        entries = stop(serve)  # each line parsed as JSON, or the test fails naming it
    assert serve.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it stopped on
    messages = [e["message"] for e in entries]
    assert any("Started server process" in m for m in messages), messages
    assert any("Application startup complete" in m for m in messages), messages
    assert any("Finished server process" in m for m in messages), messages
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert any(e.get("route") == "/readyz" for e in entries)  # HQ's own access line
