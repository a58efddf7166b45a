"""SIGKILL a process that is saving, at random moments, 200+ times: every acknowledged save is
there after each kill, multi-partition commits are all-or-nothing, outbox seqs have no gaps."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from inspect_app.store import LocalStore

KILLS = 210
CHILD = Path(__file__).with_name("crash_child.py")


def test_acknowledged_saves_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    root = tmp_path / "store"
    acked_answers: dict[tuple[str, str], int] = {}
    acked_hazards: set[str] = set()
    next_n = 1
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(root), str(next_n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for _ in range(rng.randint(1, 25)):
            line = child.stdout.readline()
            if not line:
                break
            kind, n, *rest = line.split()
            next_n = int(n) + 1
            if kind == "A":
                acked_answers[(rest[0], rest[1])] = int(n)
            else:
                acked_hazards.add(f"h-{n}")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        # The child may have saved more than it acknowledged before dying; skip past those.
        next_n += 100

        store = LocalStore.open(root)
        try:
            for (inspection, key), value in acked_answers.items():
                saved = store.answers(inspection).get(key)
                assert saved is not None and saved["value"] >= value, (inspection, key, value)
            hazards = {h["id"] for h in store.list_hazards()}
            assert acked_hazards <= hazards
            events = {e["hazard_id"] for e in store.all_events()}
            outbox = store.pending_outbox()
            assert hazards == events == {e["hazard_id"] for e in outbox}
            assert [e["seq"] for e in outbox] == list(range(1, len(outbox) + 1))
        finally:
            store.close()
    assert len(acked_hazards) > 50
