"""``inspect-app sync`` and ``inspect-app enroll`` while another process (the app) holds the
device's store: one line on stderr and exit code 1, no traceback. The holder is a real second
process; every wait is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from inspect_app.commands.sync import STORE_IN_USE

WAIT = 60.0
HOLD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from inspect_app.services.bootstrap import open_workspace\n"
    "ws = open_workspace(Path(sys.argv[1]))\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"  # until the test closes stdin
    "ws.store.close()\n"
)


@contextmanager
def held(data: Path) -> Iterator[None]:
    """Another process has the store of the device data directory ``data`` open meanwhile."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"  # ends at EOF if the holder fails
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=WAIT) == 0


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspect_app", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=WAIT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    "command", [["sync"], ["enroll", "http://127.0.0.1:9", "AB12-CD34"]], ids=["sync", "enroll"]
)
def test_a_store_another_process_holds_is_one_line(tmp_path: Path, command: list[str]) -> None:
    with held(tmp_path / "device"):
        done = cli(*command, "--data", tmp_path / "device")
    assert (done.returncode, done.stderr, done.stdout) == (1, STORE_IN_USE + "\n", "")


def test_sync_opens_the_store_once_the_other_process_let_it_go(tmp_path: Path) -> None:
    with held(tmp_path / "device"):
        assert cli("sync", "--data", tmp_path / "device").stderr == STORE_IN_USE + "\n"
    done = cli("sync", "--data", tmp_path / "device")
    assert (done.returncode, done.stderr) == (
        1,
        "sync failed: this device is not enrolled with HQ yet\n",
    )
