"""Benchmark: the group page's reads on a database already filled (by bench_hq_scale.py, which
keeps its SQLite file in a temporary directory), the one read the page makes now
(``HazardReads.overview``: the months counted once per plant, the group's months their sum,
this month taken from them) beside the three it made before (this month by plant, the group's
six months, the open counts), median of 7 each, alternating, in the same run.

Run: .venv/bin/python bench/bench_group_home.py sqlite:////tmp/hq-scale-XXXX/hq.db
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.bench_hq_scale import NOW
from inspect_app.core.rates import Period
from inspect_app.server.database import make_engine
from inspect_app.server.figures import figures, month_figures, open_counts
from inspect_app.server.hazard_reads import HazardReads
from inspect_app.server.scope import EVERYWHERE

RUNS = 7
MONTHS = 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the filled database's SQLAlchemy URL")
    args = parser.parse_args()
    engine = make_engine(args.url)
    reads = HazardReads(engine)
    month = Period.month(NOW.year, NOW.month)

    def before() -> None:
        with engine.connect() as conn:
            open_counts(conn, NOW, scope=EVERYWHERE, by="plant")
            figures(conn, month, NOW, scope=EVERYWHERE, by="plant")
            month_figures(conn, NOW.date(), MONTHS, scope=EVERYWHERE)

    def now() -> None:
        reads.overview(month, NOW, MONTHS, EVERYWHERE, "plant")

    times: dict[str, list[float]] = {"before (three reads)": [], "now (one overview)": []}
    actions: dict[str, Callable[[], None]] = dict(zip(times, (before, now), strict=True))
    for action in actions.values():  # warm the caches once each
        action()
    for _ in range(RUNS):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - started) * 1000)
    with engine.connect() as conn:
        hazards = conn.exec_driver_sql("SELECT count(*) FROM hazards").scalar_one()
    print(f"{hazards:,} hazards, median of {RUNS}:")
    for name, values in times.items():
        print(f"  {name}: {statistics.median(values):.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
