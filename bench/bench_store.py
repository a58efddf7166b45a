"""Benchmark: the local store holding a year of one plant, against stock single-file TinyDB.

Run: .venv/bin/python bench/bench_store.py [--workdir DIR]

Builds a store with 120,000 answers in 3,000 inspections, 6,000 hazards and 30,000 hazard events,
and the same data in one stock TinyDB JSON file, then measures in the same run: one durable
answer save (p50/p95), one hazard command (hazard + event + outbox, p50/p95), store open in a
fresh process, and load + validate of all shipped checklists (when the loaders import).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from inspect_app.store import LocalStore
from inspect_app.store.atomic_storage import encode_json
from inspect_app.store.local_store import hazard_shard
from inspect_app.store.partition import KEY

INSPECTIONS = 3_000
ANSWERS_PER_INSPECTION = 40
HAZARDS = 6_000
EVENTS_PER_HAZARD = 5


def answer(n: int) -> dict[str, Any]:
    return {
        "item_id": f"item-{n % 40}",
        "tag": None,
        "value": "pass",
        "note": "",
        "photos": [],
        "finding": None,
        "answered_at": "2026-03-01T09:00:00+08:00",
    }


def hazard(n: int) -> dict[str, Any]:
    return {
        "id": f"hz-{n:05d}",
        "workshop_id": f"ws-{n % 6}",
        "description": "Gauge in red zone",
        "grade": "general",
        "risk": "yellow",
        "found_by": "p-li",
        "found_at": "2026-03-01T09:00:00+08:00",
        "deadline": "2026-03-08",
        "status": "closed",
        "version": 5,
        "photos": ["a" * 64],
        "after_photos": ["b" * 64],
        "extensions": [],
    }


def event(h: int, e: int) -> dict[str, Any]:
    return {
        "id": f"ev-{h:05d}-{e}",
        "hazard_id": f"hz-{h:05d}",
        "type": "comment",
        "actor": "p-wang",
        "device_id": "dev-1",
        "observed_at": "2026-03-02T10:00:00+08:00",
        "result": "applied",
        "status_from": "open",
        "status_to": "open",
        "payload": {"text": "checked"},
        "server_seq": h * 5 + e,
    }


def table(docs: list[tuple[str, dict[str, Any]]], name: str) -> dict[str, Any]:
    return {name: {str(i + 1): {**doc, KEY: key} for i, (key, doc) in enumerate(docs)}}


def build_store(root: Path) -> None:
    """Write the partitions directly (the same format the store writes) to build a year fast."""
    (root / "inspections").mkdir(parents=True)
    (root / "hazards").mkdir()
    (root / "events").mkdir()
    index = []
    for i in range(INSPECTIONS):
        inspection_id = f"insp-{i:05d}"
        index.append(
            (
                inspection_id,
                {
                    "id": inspection_id,
                    "status": "submitted",
                    "started_at": "2026-03-01T09:00:00+08:00",
                },
            )
        )
        answers = [(f"item-{n}", answer(n)) for n in range(ANSWERS_PER_INSPECTION)]
        (root / "inspections" / f"{inspection_id}.json").write_bytes(
            encode_json(table(answers, "answers"))
        )
    (root / "inspections" / "index.json").write_bytes(encode_json(table(index, "inspections")))
    hazards: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    events: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for h in range(HAZARDS):
        doc = hazard(h)
        shard = hazard_shard(doc["id"])
        hazards[shard].append((doc["id"], doc))
        events[shard].extend((f"ev-{h:05d}-{e}", event(h, e)) for e in range(EVENTS_PER_HAZARD))
    for shard, docs in hazards.items():
        (root / "hazards" / f"{shard}.json").write_bytes(encode_json(table(docs, "hazards")))
    for shard, docs in events.items():
        (root / "events" / f"{shard}.json").write_bytes(encode_json(table(docs, "events")))


def build_stock(path: Path) -> None:
    answers = [
        {"inspection_id": f"insp-{i:05d}", "key": f"item-{n}", **answer(n)}
        for i in range(INSPECTIONS)
        for n in range(ANSWERS_PER_INSPECTION)
    ]
    data = {
        "answers": {str(i + 1): doc for i, doc in enumerate(answers)},
        "hazards": {str(h + 1): hazard(h) for h in range(HAZARDS)},
        "events": {
            str(n + 1): event(h, e)
            for n, (h, e) in enumerate(
                (h, e) for h in range(HAZARDS) for e in range(EVENTS_PER_HAZARD)
            )
        },
    }
    path.write_text(json.dumps(data))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def open_in_fresh_process(root: Path) -> float:
    code = (
        "import time,sys; t=time.perf_counter(); from pathlib import Path; "
        "from inspect_app.store import LocalStore; s=LocalStore.open(Path(sys.argv[1])); "
        "s.get_meta('x'); print((time.perf_counter()-t)*1000); s.close()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def checklist_load_times() -> list[float]:
    """Five timings of loading and validating the shipped checklists; none without the loaders."""
    try:
        from inspect_app.loaders.checklist_loader import load_checklists
        from inspect_app.resources import shipped_checklists_dir
    except ImportError:
        return []
    return [time_ms(lambda: load_checklists([shipped_checklists_dir()])) for _ in range(5)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--stock-saves", type=int, default=15)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-store-"))
    rng = random.Random(7)

    started = time.perf_counter()
    build_store(workdir / "store")
    build_stock(workdir / "stock.json")
    print(f"built a year of data in {time.perf_counter() - started:.1f} s under {workdir}")

    opens = [open_in_fresh_process(workdir / "store") for _ in range(5)]
    store = LocalStore.open(workdir / "store")
    answer_saves = [
        time_ms(
            lambda: store.save_answer(
                f"insp-{rng.randrange(INSPECTIONS):05d}",
                f"item-{rng.randrange(40)}",
                answer(rng.randrange(99)),
            )
        )
        for _ in range(args.saves)
    ]

    def hazard_command() -> None:
        h = rng.randrange(HAZARDS)
        with store.transaction() as tx:
            tx.put_hazard({**hazard(h), "status": "assigned"})
            tx.add_event(event(h, rng.randrange(10_000, 99_999)))
            tx.enqueue({"kind": "command", "command": {"hazard_id": f"hz-{h:05d}"}})

    commands = [time_ms(hazard_command) for _ in range(args.saves // 2)]
    store.close()

    stock = TinyDB(workdir / "stock.json")
    answers_table = stock.table("answers")
    stock_open = time_ms(lambda: len(answers_table))
    item = Query()
    stock_saves = [
        time_ms(
            lambda: answers_table.upsert(
                {"inspection_id": "insp-00042", "key": "item-3", **answer(rng.randrange(99))},
                (item.inspection_id == "insp-00042") & (item.key == "item-3"),
            )
        )
        for _ in range(args.stock_saves)
    ]
    stock.close()

    load_ms = checklist_load_times()

    p50, p95 = percentiles(answer_saves)
    c50, c95 = percentiles(commands)
    s50, s95 = percentiles(stock_saves)
    print()
    print(f"{'measure':<52} {'p50 ms':>9} {'p95 ms':>9}")
    print(f"{'answer save, this store (durable)':<52} {p50:9.2f} {p95:9.2f}")
    print(f"{'hazard command: hazard+event+outbox (durable)':<52} {c50:9.2f} {c95:9.2f}")
    print(f"{'answer save, stock single-file TinyDB':<52} {s50:9.1f} {s95:9.1f}")
    open_label = "store open, new process incl. import (median of 5)"
    print(f"{open_label:<52} {statistics.median(opens):9.1f}   (max {max(opens):.1f})")
    print(f"{'stock TinyDB first read (open)':<52} {stock_open:9.1f}")
    if load_ms:
        load_median = statistics.median(load_ms)
        print(f"{'load + validate all shipped checklists (median)':<52} {load_median:9.1f}")
    print(
        f"\nspeed-up of an answer save over stock TinyDB: {s50 / p50:.0f}x at p50, "
        f"{s95 / p95:.0f}x at p95"
    )
    targets = {
        "answer save p95 <= 10 ms": p95 <= 10,
        "store open <= 300 ms": max(opens) <= 300,
        ">= 20x faster than stock TinyDB": s95 / p95 >= 20,
    }
    for target, met in targets.items():
        print(f"target {target}: {'met' if met else 'NOT MET'}")
    if args.workdir is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
