"""Benchmark: the hazards screens with 5,000 hazards and 30,000 events on the device.

Run: .venv/bin/python bench/bench_hazards.py [--workdir DIR]

Builds a device data directory (shipped checklists, demo site) whose store holds 5,000 hazards
of a year in six workshops, in every status, and 30,000 events, then measures, signed in as an HQ
admin who sees them all:

* first page of the hazards list (20 rows in urgency order) in a fresh process, store opened and
  nothing cached: the time a person waits after opening the tab on a cold start (target 300 ms);
* the same page again, warm (what a filter change or page turn costs);
* the month's rates and the dashboard (rates, open by workshop and category, certificates),
  warm (target 200 ms);
* a baseline in the same run: building a row for every one of the 5,000 hazards, which is what a
  list without paging would do before drawing a single control.
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from inspect_app.services.bootstrap import open_workspace

HAZARDS = 5_000
EVENTS = 30_000
WORKSHOPS = ["ws-stamping", "ws-welding", "ws-painting", "ws-assembly", "ws-logistics", "ws-util"]
STATUSES = ["open", "assigned", "rectifying", "submitted", "closed", "closed", "closed", "voided"]
YEAR_START = date(2026, 1, 1)


def hazard(n: int, rng: random.Random) -> dict[str, Any]:
    found = YEAR_START + timedelta(days=rng.randrange(0, 320))
    status = rng.choice(STATUSES)
    closed = found + timedelta(days=rng.randrange(1, 40)) if status == "closed" else None
    return {
        "id": f"hz-{n:05d}",
        "workshop_id": rng.choice(WORKSHOPS),
        "description": f"Finding {n}: extinguisher gauge in the red zone",
        "grade": "major" if n % 17 == 0 else "general",
        "risk": rng.choice(["red", "orange", "yellow", "blue"]),
        "found_by": "p-li",
        "found_at": f"{found.isoformat()}T09:00:00+08:00",
        "deadline": (found + timedelta(days=rng.choice([3, 7, 15, 30]))).isoformat(),
        "status": status,
        "version": 3,
        "category": rng.choice(["fire", "electrical", "special_equipment", "environment"]),
        "checklist_id": "fire-monthly",
        "item_id": "ext-gauge",
        "photos": [],
        "closed_at": f"{closed.isoformat()}T15:00:00+08:00" if closed else None,
    }


def event(hazard_id: str, n: int) -> dict[str, Any]:
    return {
        "id": f"ev-{hazard_id}-{n}",
        "hazard_id": hazard_id,
        "type": "comment",
        "actor": "p-wang",
        "device_id": "bench",
        "observed_at": "2026-06-01T09:00:00+08:00",
        "result": "applied",
        "status_from": "rectifying",
        "status_to": "rectifying",
        "payload": {"text": "checked again"},
        "server_seq": n,
    }


def build(data_dir: Path) -> None:
    rng = random.Random(7)
    ws = open_workspace(data_dir)
    try:
        ws.sign_in("p-chen")
        hazards = [hazard(n, rng) for n in range(HAZARDS)]
        per_hazard = EVENTS // HAZARDS
        for start in range(0, HAZARDS, 500):
            with ws.store.transaction() as tx:
                for doc in hazards[start : start + 500]:
                    tx.put_hazard(doc)
                    for e in range(per_hazard):
                        tx.add_event(event(doc["id"], e))
    finally:
        ws.store.close()


PROBE = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from inspect_app.services.bootstrap import open_workspace
from inspect_app.ui.viewmodels.hazards import HazardListModel
from inspect_app.ui.viewmodels.dashboard import DashboardModel
imported = time.perf_counter()
ws = open_workspace(Path(sys.argv[1]))
opened = time.perf_counter()
page, rows = HazardListModel(ws, "en").load()
first = time.perf_counter()
warm = []
for _ in range(5):
    t = time.perf_counter(); HazardListModel(ws, "en").load(); warm.append(time.perf_counter() - t)
board = DashboardModel(ws, "en")
board.load()
rates = []
for _ in range(5):
    t = time.perf_counter(); board.load(); rates.append(time.perf_counter() - t)
model = HazardListModel(ws, "en")
everything = []
for _ in range(3):
    t = time.perf_counter()
    all_rows = [model.row(h) for h in model.service.all()]
    everything.append(time.perf_counter() - t)
print(json.dumps({
    "total": page.total, "rows": len(rows), "all_rows": len(all_rows),
    "open_ms": (opened - imported) * 1000, "first_page_ms": (first - opened) * 1000,
    "warm_page_ms": sorted(warm)[2] * 1000, "dashboard_ms": sorted(rates)[2] * 1000,
    "all_rows_ms": sorted(everything)[1] * 1000,
}))
"""


def probe(data_dir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir)], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"probe failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        data_dir = workdir / "device"
        started = time.perf_counter()
        build(data_dir)
        print(f"built {HAZARDS} hazards, {EVENTS} events in {time.perf_counter() - started:.1f} s")
        runs = [probe(data_dir) for _ in range(args.runs)]
        first = runs[0]
        print(f"hazards visible: {first['total']}, first page rows: {first['rows']}")

        def median(key: str) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"{'measure (median of ' + str(args.runs) + ' fresh processes)':<52} {'ms':>8}")
        for label, key in (
            ("store open (fresh process)", "open_ms"),
            ("first page of the list, cold (target 300)", "first_page_ms"),
            ("a page again, warm (filter change, page turn)", "warm_page_ms"),
            ("month rates + dashboard, warm (target 200)", "dashboard_ms"),
            ("baseline: a row for all 5,000 hazards, warm", "all_rows_ms"),
        ):
            print(f"{label:<52} {median(key):8.1f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
