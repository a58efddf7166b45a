"""Benchmark: HQ's reads at a group's scale. HQ's database (the real schema, by the Alembic
revisions) is filled straight, not through HTTP, with N hazards over 50 plants of 10 workshops
and five years, and their events; then the median of 5 of what each page reads (server/figures.py,
server/hazard_reads.py) and a fresh workshop head's full pull of his workshop (10,000 events at
the default size), at N and at 10,000 hazards in the same run, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/bench_hq_scale.py --hazards 1000000 [--db sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import Engine, insert, text

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import FiveFixPlan, Hazard, HazardStatus, Risk
from inspect_app.core.rates import PLANT_TIME, Period
from inspect_app.core.roles import Role
from inspect_app.core.site import Person
from inspect_app.core.text import LocalText
from inspect_app.server import schema, tallies
from inspect_app.server.database import make_engine, upgrade
from inspect_app.server.devices import Device
from inspect_app.server.figures import (
    figures,
    hazard_columns,
    month_figures,
    open_counts,
    open_page,
)
from inspect_app.server.hazard_reads import HazardReads
from inspect_app.server.pull import pull
from inspect_app.server.scope import EVERYWHERE
from tests.support.services import PostgresCluster

PLANTS, WORKSHOPS = 50, 10
YEARS = 5
NOW = datetime(2026, 11, 27, 10, tzinfo=PLANT_TIME)
#: The workshop head's workshop: enough hazards for 10,000 events at a million.
HEAD_WORKSHOP = "p00-w0"
HEAD_HAZARDS = 3400
RUNS = 5
SMALL = 10_000
HAZARD_COLUMNS = [
    "id",
    "workshop_id",
    "status",
    "grade",
    "data",
    "updated_seq",
    "plant_id",
    "found_at",
    "deadline",
    "deadline_set_at",
    "original_deadline",
    "closed_at",
    "rectified_at",
    "on_the_spot",
    "done_at",
]
EVENT_COLUMNS = [
    "server_seq",
    "kind",
    "hazard_id",
    "workshop_id",
    "data",
    "recorded_at",
    "device_id",
    "private",
]


def _hazard(rng: random.Random, number: int, workshop: str) -> Hazard:
    found = NOW - timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60))
    deadline = (found + timedelta(days=rng.randint(3, 30))).date().isoformat()
    age = (NOW - found).days
    roll = rng.random()
    if age > 90:
        status = (
            HazardStatus.CLOSED if roll < 0.97 else HazardStatus.VOIDED if roll < 0.98 else None
        )
    else:
        status = HazardStatus.CLOSED if roll < 0.5 else None
    status = status or rng.choice(
        [HazardStatus.OPEN, HazardStatus.ASSIGNED, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED]
    )
    closed = None
    if status is HazardStatus.CLOSED:
        closed = min(NOW, found + timedelta(hours=rng.randint(2, 40 * 24))).isoformat()
    plan = None
    if status is not HazardStatus.OPEN:
        plan = FiveFixPlan("p-zhao", "Replace the part", "CNY 300", deadline, "Guard placed")
    return Hazard(
        id=f"hz-{number:08d}",
        workshop_id=workshop,
        description="Extinguisher gauge in red",
        grade=Grade.MAJOR if rng.random() < 0.1 else Grade.GENERAL,
        risk=Risk.YELLOW,
        found_by="p-li",
        found_at=found.isoformat(),
        deadline=deadline,
        status=status,
        plan=plan,
        closed_at=closed,
        verified_by="p-lin" if closed else None,
    )


def _events(hazard: Hazard, seq: int) -> list[tuple[Any, ...]]:
    steps = ["create"]
    if hazard.plan is not None:
        steps.append("assign_five_fixes")
    if hazard.status is HazardStatus.CLOSED:
        steps.append("verify_pass")
    rows = []
    for step in steps:
        seq += 1
        data = {
            "type": step,
            "hazard_id": hazard.id,
            "actor": "p-li",
            "result": "applied",
            "recorded_at": hazard.found_at,
            "kind": "hazard",
            "server_seq": seq,
        }
        rows.append(
            (
                seq,
                "hazard",
                hazard.id,
                hazard.workshop_id,
                json.dumps(data),
                hazard.found_at,
                "dev-1",
                False,
            )
        )
    return rows


def generate(n: int, seed: int = 14) -> Iterator[tuple[list[tuple], list[tuple], list[Hazard]]]:
    """Batches of (hazard rows, event rows, hazards), the head's workshop first."""
    rng = random.Random(seed)
    head = min(HEAD_HAZARDS, n // 10)
    seq = 0
    batch: tuple[list[tuple], list[tuple], list[Hazard]] = ([], [], [])
    for number in range(n):
        if number < head:
            workshop = HEAD_WORKSHOP
        else:
            plant, index = rng.randrange(PLANTS), rng.randrange(WORKSHOPS)
            index = index or (plant == 0)  # the head's workshop holds only its own share
            workshop = f"p{plant:02d}-w{index}"
        hazard = _hazard(rng, number, workshop)
        events = _events(hazard, seq)
        seq += len(events)
        columns = hazard_columns(hazard, workshop[:3])
        columns.update(id=hazard.id, data=json.dumps(hazard.to_dict()), updated_seq=seq)
        batch[0].append(tuple(columns[c] for c in HAZARD_COLUMNS))
        batch[1].extend(events)
        batch[2].append(hazard)
        if len(batch[0]) >= 20_000:
            yield batch
            batch = ([], [], [])
    yield batch


def fill(engine: Engine, n: int) -> float:
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        postgres = engine.dialect.name == "postgresql"
        summed: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
        for hazards, events, records in generate(n):
            for row in tallies.table_rows((h, h.workshop_id[:3], 1) for h in records):
                summed[tuple(row[k] for k in tallies.KEY)].update(
                    {m: row[m] for m in tallies.MEASURES}
                )
            if postgres:
                for table, columns, rows in (
                    ("hazards", HAZARD_COLUMNS, hazards),
                    ("events", EVENT_COLUMNS, events),
                ):
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                for table, columns, rows in (
                    ("hazards", HAZARD_COLUMNS, hazards),
                    ("events", EVENT_COLUMNS, events),
                ):
                    marks = ", ".join("?" * len(columns))
                    cursor.execute("BEGIN")
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                    )
                    cursor.execute("COMMIT")
            if postgres:
                raw.commit()
        if postgres:
            raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(
            insert(schema.hazard_tallies),
            [
                {**dict(zip(tallies.KEY, key, strict=True)), **counts}
                for key, counts in summed.items()
            ],
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # A live PostgreSQL's autovacuum sets the visibility map its index-only scans need.
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - started


def median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pages(engine: Engine) -> dict[str, Callable[[], object]]:
    reads = HazardReads(engine)
    month = Period.month(NOW.year, NOW.month)
    last_month = Period.month(2026, 10)
    plant, workshop = "p07", "p07-w3"
    with engine.connect() as conn:
        hazard_id = conn.execute(
            text("SELECT id FROM hazards WHERE workshop_id = :w LIMIT 1"), {"w": workshop}
        ).scalar_one()
        second = open_page(conn, NOW, scope=EVERYWHERE, overdue_only=True).next_after

    def group_home() -> None:
        reads.overview(month, NOW, 6, EVERYWHERE, "plant")

    def plant_page() -> None:
        with engine.connect() as conn:
            open_counts(conn, NOW, scope=EVERYWHERE, by="workshop", plant_id=plant)
            figures(conn, month, NOW, scope=EVERYWHERE, by="workshop", plant_id=plant)
            month_figures(conn, NOW.date(), 6, scope=EVERYWHERE, plant_id=plant)
            open_page(conn, NOW, scope=EVERYWHERE, overdue_only=True, plant_id=plant)

    def workshop_page() -> None:
        with engine.connect() as conn:
            open_counts(conn, NOW, scope=EVERYWHERE, workshop_id=workshop)
            figures(conn, month, NOW, scope=EVERYWHERE, workshop_id=workshop)
            month_figures(conn, NOW.date(), 6, scope=EVERYWHERE, workshop_id=workshop)
            open_page(conn, NOW, scope=EVERYWHERE, workshop_id=workshop)

    def overdue_list() -> None:
        with engine.connect() as conn:
            open_page(conn, NOW, scope=EVERYWHERE, overdue_only=True, after=second)

    def hazard_page() -> None:
        reads.one(hazard_id, EVERYWHERE)
        reads.timeline(hazard_id, EVERYWHERE)

    def month_rates() -> None:
        with engine.connect() as conn:
            figures(conn, last_month, scope=EVERYWHERE, by="workshop")

    return {
        "group home": group_home,
        "plant page": plant_page,
        "workshop page": workshop_page,
        "overdue list (page 2)": overdue_list,
        "hazard page": hazard_page,
        "month's rates (Oct, by workshop)": month_rates,
    }


def full_pull(engine: Engine) -> tuple[float, int]:
    head = Person(
        "p-head",
        LocalText(plain="Wang"),
        frozenset({Role.WORKSHOP_HEAD}),
        frozenset({HEAD_WORKSHOP}),
    )
    device = Device(f"bench-{uuid.uuid4().hex[:6]}", head, plant_id="p00")
    started = time.perf_counter()
    since, events = 0, 0
    for _ in range(1000):
        page = json.loads(pull(engine, lambda: NOW.isoformat(), device, since, 1000))
        events += len(page["events"])
        since = page["next_since"]
        if not page["has_more"]:
            break
    return (time.perf_counter() - started) * 1000, events


def measure(engine: Engine, n: int) -> dict[str, str]:
    upgrade(engine)
    filled = fill(engine, n)
    print(f"  filled {n:,} hazards in {filled:.0f} s", flush=True)
    result = {"fill": f"{filled:.0f} s"}
    for name, action in pages(engine).items():
        result[name] = f"{median_ms(action):.0f} ms"
        print(f"  {name}: {result[name]}", flush=True)
    pulls = [full_pull(engine) for _ in range(RUNS)]
    shown = f"{statistics.median(p[0] for p in pulls):.0f} ms ({pulls[0][1]:,} events)"
    result["fresh workshop head's pull"] = shown
    print(f"  pull: {shown}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = sorted({SMALL, args.hazards})
    table: dict[str, dict[str, str]] = {}
    cluster = None
    try:
        for db in args.db.split(","):
            for n in sizes:
                print(f"{db}, {n:,} hazards", flush=True)
                if db == "sqlite":
                    url = f"sqlite:///{tempfile.mkdtemp(prefix='hq-scale-')}/hq.db"
                else:
                    cluster = cluster or PostgresCluster().start()
                    url = cluster.create_database(f"scale_{n}")
                engine = make_engine(url)
                table[f"{db}, {n:,}"] = measure(engine, n)
                engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
    columns = list(table)
    rows = list(next(iter(table.values())))
    print("\n| | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for row in rows:
        print(f"| {row} | " + " | ".join(table[c][row] for c in columns) + " |")


if __name__ == "__main__":
    main()
