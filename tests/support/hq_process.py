"""``inspect-app serve`` as a child process for the operations tests: started on a data folder
with the demo and JSON logs read from its stderr, waited for through /readyz, stopped with
SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from tests.support.services import wait_until


def serve_json(tmp_path: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    """HQ with the demo on ``tmp_path/hq``, JSON logs on stderr, no INSPECT_* from outside."""
    return subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "serve", "--data", str(tmp_path / "hq"), "--demo",
         "--port", str(port), "--log-format", "json", *extra],
        cwd=tmp_path, env={k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_ready(serve: subprocess.Popen[str], port: int, timeout: float) -> None:
    def ready() -> bool:
        assert serve.poll() is None, "serve stopped"
        try:
            return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).ok
        except requests.RequestException:
            return False

    wait_until(ready, timeout, "HQ")


def stop(serve: subprocess.Popen[str], timeout: float = 60) -> list[dict[str, Any]]:
    """SIGTERM, then every stderr line as the JSON object it must be."""
    try:
        serve.send_signal(signal.SIGTERM)
        _, stderr = serve.communicate(timeout=timeout)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate(timeout=30)
    entries = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not JSON: {line!r}\n{stderr}") from None
    return entries
