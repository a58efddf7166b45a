"""Benchmark: push throughput of real ``inspect-app serve`` processes on one PostgreSQL, with one
worker and with ``--workers 2``, in the same run: N enrolled devices push batches of ``create``
commands at once, and the commands applied per second are counted.

Run: .venv/bin/python bench/bench_push_workers.py [--devices 4] [--batches 25] [--batch 100]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.server.conftest import Device, Hq, hazard_payload
from tests.support.services import PostgresCluster

APP = str(Path(sys.executable).with_name("inspect-app"))
PEOPLE = ("p-li", "p-zhao", "p-wang", "p-chen")
READY_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(db_url: str, data: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [APP, "serve", "--db", db_url, "--data", str(data), "--demo"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=open(data / "serve.log", "wb"),  # noqa: SIM115 - the process holds it
        env={**os.environ, "INSPECT_LOG_FORMAT": "text"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            pass  # not listening yet, or still seeding
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"HQ did not answer on {url}; see {data / 'serve.log'}")


def enroll(hq: Hq, db_url: str, data: Path, person_id: str) -> Device:
    made = subprocess.run(
        [APP, "admin", "--db", db_url, "--data", str(data), "make-code", person_id],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        raise RuntimeError(f"make-code for {person_id}: {made.stderr.strip()[-500:]}")
    code = made.stdout.split()[0]
    answer = requests.post(f"{hq.url}/v1/devices/enroll", json={"code": code}, timeout=10)
    answer.raise_for_status()
    enrolled = answer.json()
    return Device(hq, enrolled["device_id"], enrolled["token"], person_id)


def throughput(db_url: str, workers: int, devices: int, batches: int, batch: int) -> float:
    data = Path(tempfile.mkdtemp(prefix=f"hq-workers-{workers}-"))
    process, url = serve(db_url, data, workers)
    try:
        hq = Hq(url, app=None)
        phones = [enroll(hq, db_url, data, PEOPLE[i % len(PEOPLE)]) for i in range(devices)]
        work = {
            d.id: [
                [
                    d.command(str(uuid.uuid4()), "create", None, hazard_payload())
                    for _ in range(batch)
                ]
                for _ in range(batches)
            ]
            for d in phones
        }
        failures: list[str] = []

        def run(device: Device) -> None:
            for commands in work[device.id]:
                answer = device.push(commands)
                if answer.status_code != 200:
                    failures.append(answer.text[:200])
                    return

        threads = [threading.Thread(target=run, args=(d,)) for d in phones]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if failures:
            raise RuntimeError(f"pushes failed: {failures[:3]}")
        return devices * batches * batch / elapsed
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--batches", type=int, default=25)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    cluster = PostgresCluster().start()
    try:
        for workers in (1, 2):
            db_url = cluster.create_database(f"push_workers_{workers}_{uuid.uuid4().hex[:6]}")
            rate = throughput(db_url, workers, args.devices, args.batches, args.batch)
            print(
                f"workers {workers}: {rate:,.0f} commands/s "
                f"({args.devices} devices x {args.batches} pushes of {args.batch})",
                flush=True,
            )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
