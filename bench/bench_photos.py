"""Benchmark: the photo pipeline on a 12 MP camera JPEG, on one core, next to a naive pipeline
(full decode, exif_transpose, LANCZOS resize, save) in the same run.

Run: .venv/bin/python bench/bench_photos.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).parents[1]))

from inspect_app.photos import process_photo
from tests.photos.test_pipeline import camera_jpeg

RUNS = 15


def naive(data: bytes) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def timed(fn, data: bytes) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn(data)
        times.append((time.perf_counter() - start) * 1000)
        size = len(result.jpeg if hasattr(result, "jpeg") else result)
    return sorted(times), size


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core, as on a phone's worker thread
    data = camera_jpeg()
    ours, our_size = timed(process_photo, data)
    theirs, their_size = timed(naive, data)
    p95 = int(RUNS * 0.95)
    print(f"input: 4000x3000 JPEG, {len(data) / 1e6:.1f} MB, {RUNS} runs, one core")
    print(f"{'pipeline':<40} {'median ms':>10} {'p95 ms':>8} {'output KB':>10}")
    print(
        f"{'inspect_app (draft mode)':<40} {statistics.median(ours):10.1f} {ours[p95]:8.1f} "
        f"{our_size / 1024:10.0f}"
    )
    print(
        f"{'naive full decode + resize':<40} {statistics.median(theirs):10.1f} "
        f"{theirs[p95]:8.1f} {their_size / 1024:10.0f}"
    )
    print(f"\nspeed-up: {statistics.median(theirs) / statistics.median(ours):.1f}x")


if __name__ == "__main__":
    main()
