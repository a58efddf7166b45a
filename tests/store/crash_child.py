"""Child process for the crash test: saves answers in a loop; every 10th save is a hazard + event
+ outbox transaction and every 25th acks the two oldest outbox entries. Each save is printed only
after the store has acknowledged it; the parent kills this process at a random moment."""

from __future__ import annotations

import sys
from pathlib import Path

from inspect_app.store import LocalStore


def main(root: str, start: int) -> None:
    store = LocalStore.open(Path(root))
    for n in range(start, start + 100_000):  # the parent kills it long before the end
        if n % 10 == 0:
            with store.transaction() as tx:
                tx.put_hazard({"id": f"h-{n}", "n": n})
                tx.add_event({"id": f"e-{n}", "hazard_id": f"h-{n}"})
                seq = tx.enqueue({"kind": "command", "hazard_id": f"h-{n}"})
            print(f"T {n} {seq}", flush=True)
        elif n % 25 == 0:
            oldest = [entry["seq"] for entry in store.pending_outbox(limit=2)]
            store.ack_outbox(oldest)
            print(f"K {n} {max(oldest, default=0)}", flush=True)
        else:
            inspection, key = f"i-{n % 7}", f"item-{n % 13}"
            store.save_answer(inspection, key, {"value": n})
            print(f"A {n} {inspection} {key}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
