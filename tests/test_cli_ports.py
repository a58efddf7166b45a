"""``inspect-app serve`` and ``inspect-app run`` as a person types them: a port outside 1-65535 or
one already in use is one line and no traceback, and "listening" is printed only once HQ's socket
is bound (a client connecting right after the line gets an answer). The real CLI runs as a
subprocess; every wait is bounded."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

#: The bound, in seconds, on every wait for the CLI.
WAIT = 60.0


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspect_app", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=WAIT,
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another socket is listening on."""
    with socket.create_server(("127.0.0.1", 0)) as held:
        yield held.getsockname()[1]


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "80x", ""])
def test_serve_refuses_a_port_that_is_not_one(tmp_path: Path, port: str) -> None:
    done = cli("serve", "--data", tmp_path / "hq", "--port", port, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"cannot start HQ: --port {port} is not a port number (1-65535)\n"
    assert done.stdout == ""
    assert not (tmp_path / "hq").exists()  # refused before anything was created


@pytest.mark.parametrize("port", ["99999", "0", "web"])
def test_run_refuses_a_port_that_is_not_one(tmp_path: Path, port: str) -> None:
    done = cli("run", "--web", "--data", tmp_path / "device", "--port", port, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"cannot start the app: --port {port} is not a port number (1-65535)\n"
    assert done.stdout == ""


def test_serve_on_a_port_in_use_says_so_and_never_listening(tmp_path: Path, busy_port: int) -> None:
    done = cli("serve", "--data", tmp_path / "hq", "--port", str(busy_port), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"cannot start HQ: port {busy_port} is already in use\n"
    assert "listening" not in done.stdout


def test_run_on_a_port_in_use_says_so(tmp_path: Path, busy_port: int) -> None:
    done = cli(
        "run", "--web", "--data", tmp_path / "device", "--port", str(busy_port), cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr == f"cannot start the app: port {busy_port} is already in use\n"
    assert done.stdout == ""


def test_listening_is_printed_once_the_socket_is_bound(tmp_path: Path) -> None:
    port = free_port()
    serve = ["serve", "--data", str(tmp_path / "hq"), "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", *serve],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()])
    reader.start()
    try:
        first = lines.get(timeout=WAIT)
        assert first == f"HQ listening on http://127.0.0.1:{port}/\n"
        # No retry and no wait: the socket was bound and listening before the line was printed.
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=WAIT).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=WAIT)
        reader.join(WAIT)
