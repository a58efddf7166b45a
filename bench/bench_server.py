"""Benchmark: HQ push throughput and pull of 10,000 events on SQLite and PostgreSQL, and blob PUT
throughput next to a plain file copy of the same bytes, all in one run on loopback.

Run: .venv/bin/python bench/bench_server.py
"""

from __future__ import annotations

import hashlib
import io
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.server.conftest import hazard_payload, start_hq
from tests.support.services import PostgresCluster

DEVICES = 4
BATCHES = 25
BATCH = 100
PULL_EVENTS = 10_000


def push_throughput(hq) -> float:  # type: ignore[no-untyped-def]
    devices = [hq.enroll(p) for p in ("p-li", "p-zhao", "p-wang", "p-chen")][:DEVICES]
    batches = {
        d.id: [
            [
                d.command(str(uuid.uuid4()), "create", None, hazard_payload(found_by=d.person_id))
                for _ in range(BATCH)
            ]
            for _ in range(BATCHES)
        ]
        for d in devices
    }

    def run(device) -> None:  # type: ignore[no-untyped-def]
        for batch in batches[device.id]:
            answer = device.push(batch)
            assert answer.status_code == 200, answer.text

    threads = [threading.Thread(target=run, args=(d,)) for d in devices]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return DEVICES * BATCHES * BATCH / (time.perf_counter() - start)


def pull_seconds(hq) -> float:  # type: ignore[no-untyped-def]
    device = hq.enroll("p-chen")
    start = time.perf_counter()
    since, events = 0, 0
    while events < PULL_EVENTS:
        page = device.pull(since, limit=1000)
        events += len(page["events"])
        since = page["next_since"]
        if not page["has_more"]:
            break
    assert events >= PULL_EVENTS, events
    return time.perf_counter() - start


def photos(count: int) -> list[bytes]:
    out = []
    for n in range(count):
        image = Image.effect_noise((1600, 1200), 30 + n % 20).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        out.append(buffer.getvalue())
    return out


def blob_throughput(hq, data: list[bytes], workdir: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    device = hq.enroll("p-li")
    total = sum(map(len, data))
    start = time.perf_counter()
    for blob in data:
        assert device.put_blob(hashlib.sha256(blob).hexdigest(), blob).status_code == 201
    put_mbs = total / 1e6 / (time.perf_counter() - start)
    source = workdir / "copy-src"
    source.mkdir()
    for n, blob in enumerate(data):
        (source / str(n)).write_bytes(blob)
    start = time.perf_counter()
    target = workdir / "copy-dst"
    target.mkdir()
    for path in source.iterdir():
        shutil.copyfile(path, target / path.name)
        with open(target / path.name, "rb+") as handle:
            import os

            os.fsync(handle.fileno())
    copy_mbs = total / 1e6 / (time.perf_counter() - start)
    return put_mbs, copy_mbs


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    cluster = PostgresCluster().start()
    rows = []
    try:
        for name, db_url in (("SQLite", None), ("PostgreSQL", cluster.create_database("bench"))):
            server, hq = start_hq(workdir / name, db_url)
            try:
                rate = push_throughput(hq)
                pulls = [pull_seconds(hq) for _ in range(3)]
                rows.append((name, rate, statistics.median(pulls)))
                if name == "SQLite":
                    put_mbs, copy_mbs = blob_throughput(hq, photos(40), workdir)
            finally:
                server.stop()
    finally:
        cluster.stop()
    print(f"{'database':<12} {'push commands/s':>16} {'pull 10,000 events (s)':>24}")
    for name, rate, pull in rows:
        print(f"{name:<12} {rate:16.0f} {pull:24.2f}")
    print(f"\nblob PUT over HTTP (hash + Pillow verify + fsync + rename): {put_mbs:.1f} MB/s")
    print(f"plain file copy of the same bytes (with fsync):             {copy_mbs:.1f} MB/s")


if __name__ == "__main__":
    main()
