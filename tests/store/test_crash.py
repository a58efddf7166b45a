"""SIGKILL a process that is saving, at random moments, 210 times on one growing store: after each
kill every acknowledged save is there, no multi-partition commit is half-applied, and the outbox
seqs continue the acked seq without a gap."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from inspect_app.store import LocalStore
from inspect_app.store.atomic_storage import is_temp_file
from inspect_app.store.local_store import ACKED_SEQ

KILLS = 210
CHILD = Path(__file__).with_name("crash_child.py")


class Acknowledged:
    """What the child reported as saved before it was killed."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], int] = {}
        self.commands: dict[int, str] = {}  # seq -> hazard id
        self.acked_seq = 0

    def record(self, line: str) -> int:
        """Note one acknowledged save; returns its n."""
        kind, n, *rest = line.split()
        if kind == "A":
            self.answers[(rest[0], rest[1])] = int(n)
        elif kind == "T":
            self.commands[int(rest[0])] = f"h-{n}"
        else:
            self.acked_seq = max(self.acked_seq, int(rest[0]))
        return int(n)


def run_child_until_killed(
    root: Path, start: int, acks: int, seen: Acknowledged, delay: float | None
) -> int:
    """Let the child acknowledge ``acks`` saves and SIGKILL it at once; or, given a ``delay``, go
    on to the save just before a multi-partition transaction and kill the child ``delay`` seconds
    later, inside that transaction's commit. Returns the last n seen."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(root), str(start)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    last = start
    try:
        for count in range(acks + 10):
            if count >= acks and (delay is None or (last + 1) % 10 == 0):
                break
            line = child.stdout.readline()
            assert line, f"the child exited early with {child.poll()}"
            last = seen.record(line)
        if delay is not None:
            time.sleep(delay)  # not a wait for readiness: this picks the moment of the kill
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    return last


def check(root: Path, seen: Acknowledged) -> None:
    with LocalStore.open(root) as store:
        for (inspection, key), value in seen.answers.items():
            saved = store.answers(inspection).get(key)
            assert saved is not None and saved["value"] >= value, (inspection, key, value)
        hazards = {h["id"] for h in store.list_hazards()}
        assert {e["hazard_id"] for e in store.all_events()} == hazards
        acked_seq = store.get_meta(ACKED_SEQ, 0)
        assert acked_seq >= seen.acked_seq
        pending = {entry["seq"]: entry["hazard_id"] for entry in store.pending_outbox()}
        assert list(pending) == list(range(acked_seq + 1, acked_seq + 1 + len(pending)))
        # Acks always take the oldest entries, so every hazard is either acked or pending.
        assert len(hazards) == acked_seq + len(pending)
        assert set(pending.values()) <= hazards
        for seq, hazard_id in seen.commands.items():
            assert hazard_id in hazards
            assert seq <= acked_seq or pending[seq] == hazard_id


def left_mid_write(root: Path) -> bool:
    """Whether the kill came inside a commit: a journal or a temp file is left behind."""
    return any(is_temp_file(path.name) or path.parent.name == "journal" for path in root.rglob("*"))


def test_acknowledged_saves_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    root = tmp_path / "store"
    seen = Acknowledged()
    start = 1
    mid_write = 0
    for _ in range(KILLS):
        delay = rng.uniform(0, 0.006) if rng.random() < 0.5 else None
        last = run_child_until_killed(root, start, rng.randint(1, 40), seen, delay)
        # The child may have saved more than it acknowledged; the next one starts past those.
        start = last + 1_000
        mid_write += left_mid_write(root)
        check(root, seen)
    assert len(seen.commands) > 100 and seen.acked_seq > 20
    assert mid_write > 10, "too few kills landed inside a commit to test recovery"
