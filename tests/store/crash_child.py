"""Child process for the crash test: saves answers (and every 10th time a hazard + event + outbox
transaction) in a loop, printing each save only after the store has acknowledged it."""

from __future__ import annotations

import sys
from pathlib import Path

from inspect_app.store import LocalStore


def main(root: str, start: int) -> None:
    store = LocalStore.open(Path(root))
    n = start
    while True:
        inspection = f"i-{n % 7}"
        if n % 10 == 0:
            with store.transaction() as tx:
                tx.put_hazard({"id": f"h-{n}", "n": n})
                tx.add_event({"id": f"e-{n}", "hazard_id": f"h-{n}"})
                seq = tx.enqueue({"kind": "command", "hazard_id": f"h-{n}"})
            print(f"T {n} {seq}", flush=True)
        else:
            store.save_answer(inspection, f"item-{n % 13}", {"value": n})
            print(f"A {n} {inspection} item-{n % 13}", flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
