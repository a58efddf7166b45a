"""Benchmark: one device syncing 300 photos (about 100 MB) and 2,000 hazard commands to HQ on
loopback (SQLite), next to the physical floor of the same traffic in the same run, and a sync cut
halfway through the photos then resumed.

1. A device enrolled like a phone walks 150 fire inspections through the real services (two
   failures each, one photo each, through the photo pipeline), then acts on the hazards as a
   workshop head (five fixes, rectification, extensions, comments) until the outbox holds 2,000
   commands and 150 inspections. ``sync_once`` is timed wall to wall: HEAD + PUT per photo, push
   in batches, pull of HQ's answer.
2. Baseline: the same photo bytes PUT and the same push bodies POSTed (same batch size) over one
   keep-alive ``requests.Session`` to a fresh HQ, timed; the ratio sync / baseline.
3. Resume: a fresh device/HQ pair through a loopback fault proxy; the link is cut in the middle of
   the PUT after half the photos are stored, the sync fails, the link comes back, the device
   syncs again; photos HQ already held and were uploaded again are counted (should be 0).

Run: .venv/bin/python bench/bench_sync.py
"""

from __future__ import annotations

import io
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from PIL import Image
from starlette.requests import ClientDisconnect

sys.path.insert(0, str(Path(__file__).parents[1]))

from inspect_app.core.checklist import Checklist
from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Answer, Finding
from inspect_app.core.workflow import CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.outbox import COMMAND
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection, enroll, sync_once
from inspect_app.sync.engine import BATCH_SIZE, SyncEngine, SyncReport
from inspect_app.sync.progress import Phase, SyncProgress
from inspect_app.sync.transport import RetryPolicy, SyncError
from tests.server.conftest import Hq, start_hq
from tests.services.conftest import FakeClock
from tests.sync.fault_proxy import Fault, fault_proxy

SEED = 20261122
INSPECTIONS = 150  # two failures each, one photo per failure: 300 photos
COMMANDS = 2_000
PHOTO_PIXELS = (1024, 768)  # random RGB noise over a gradient: ~330 KB after the pipeline
NOISE = 0.5
PERSON = "p-zheng"  # workshop head and inspector of ws-logistics: may create, plan and rectify
WORKSHOP, AREA = "ws-logistics", "goods-in"
TAG = "F-12"
#: The drop in part 3: stop the link during the upload after this many photos are stored.
CUT_AFTER = INSPECTIONS  # half of the photos
CUT_AT_BYTES = 100_000  # of that upload's body
#: The interrupted run gives up at once rather than backing off for seconds.
NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)
#: Stands for the baseline device's id in push bodies made before it is enrolled.
ANY_DEVICE = "@device@"


# -- data -------------------------------------------------------------------------------------


def camera_photos(count: int, seed: int = SEED) -> list[bytes]:
    """Distinct, deterministic camera files; each comes out of the pipeline at ~330 KB."""
    rng = random.Random(seed)
    width, height = PHOTO_PIXELS
    base = Image.linear_gradient("L").resize(PHOTO_PIXELS).convert("RGB")
    photos = []
    for _ in range(count):
        noise = Image.frombytes("RGB", PHOTO_PIXELS, rng.randbytes(width * height * 3))
        out = io.BytesIO()
        Image.blend(base, noise, NOISE).save(out, "JPEG", quality=95)
        photos.append(out.getvalue())
    return photos


def new_device(root: Path, server_url: str, hq: Hq) -> Workspace:
    """A phone enrolled with an HQ code, with the master data of its first sync."""
    ws = open_workspace(root, clock=FakeClock())
    code, _ = hq.app.state.hq.make_code(PERSON, "bench")
    enroll(ws, server_url, code)
    sync_once(ws)
    return ws


def walk(service: InspectionService, checklist: Checklist, photos: list[bytes]) -> list[Hazard]:
    """A fire inspection with two failures, each with its photo, submitted."""
    inspection = service.start(checklist, WORKSHOP, AREA)
    inspection = service.add_instance(inspection, "extinguishers", TAG)
    for item in checklist.items():
        tag = TAG if checklist.section_of(item.id).repeat else None
        value = {"reading": "0.25", "date": "2026-06-01", "choice": "normal", "text": "ok"}.get(
            item.type.value, "pass"
        )
        inspection = service.answer(inspection, Answer(item.id, value, tag=tag))
    inspection = service.answer(inspection, Answer("ext-gauge", "fail", tag=TAG))
    inspection = service.set_finding(inspection, "ext-gauge", TAG, Finding("Gauge in the red"))
    inspection = service.answer(inspection, Answer("exit-clear", "fail", note="Door 3 chained"))
    inspection = service.attach_photo(inspection, "ext-gauge", TAG, photos[0])
    inspection = service.attach_photo(inspection, "exit-clear", None, photos[1])
    return service.submit(inspection, "郑海").hazards


def act(hazards: HazardService, hazard_id: str, kind: CommandType, payload: dict[str, Any]) -> None:
    hazard = hazards.get(hazard_id)
    assert hazard is not None
    decision = hazards.act(hazard, kind, payload)
    assert decision.applied, decision.message


def fill(ws: Workspace, photos: list[bytes], commands: int) -> None:
    """Walk the inspections; after each, act on its hazards and comment on earlier ones, so the
    commands spread evenly to ``commands`` in all."""
    service, hazards = InspectionService(ws), HazardService(ws)
    checklist = ws.catalog.latest("fire-monthly")
    rng = random.Random(SEED)
    seen: list[str] = []
    made = 0
    for n in range(INSPECTIONS):
        created = walk(service, checklist, photos[2 * n : 2 * n + 2])
        made += len(created)
        seen.extend(h.id for h in created)
        if commands <= INSPECTIONS * 2:
            continue
        for i, hazard in enumerate(created):
            plan = {
                "responsible_id": "p-zheng",
                "measures": "Replace the unit; brief the shift",
                "funds": "maintenance budget",
                "deadline": "2026-12-15",
                "contingency": "Spare extinguisher and a guard at the door",
            }
            act(hazards, hazard.id, CommandType.ASSIGN_FIVE_FIXES, plan)
            act(hazards, hazard.id, CommandType.START_RECTIFICATION, {})
            made += 2
            if i == 0:
                extension = {"new_deadline": "2027-01-15", "reason": "parts on order"}
                act(hazards, hazard.id, CommandType.REQUEST_EXTENSION, extension)
                made += 1
        due = commands * (n + 1) // INSPECTIONS
        while made < due:
            text = f"checked on the floor, note {made}"
            act(hazards, rng.choice(seen), CommandType.COMMENT, {"text": text})
            made += 1


def push_bodies(ws: Workspace, device_id: str) -> list[bytes]:
    """The outbox as the engine puts it on the wire, batch by batch, for another device id."""
    service = InspectionService(ws)
    entries = ws.store.pending_outbox()
    bodies = []
    for start in range(0, len(entries), BATCH_SIZE):
        body: dict[str, Any] = {"device_id": device_id, "commands": [], "inspections": []}
        for entry in entries[start : start + BATCH_SIZE]:
            if entry["kind"] == COMMAND:
                body["commands"].append({**entry["command"], "device_id": device_id})
            else:
                body["inspections"].append(service.get(entry["inspection_id"]).to_dict())
        bodies.append(json.dumps(body, allow_nan=False).encode("utf-8"))
    return bodies


def stored_photos(ws: Workspace) -> list[tuple[str, bytes]]:
    return [
        (path.name.removesuffix(".jpg"), path.read_bytes())
        for path in sorted(ws.store.photos.root.glob("*.jpg"))
        if not path.name.endswith(".thumb.jpg")
    ]


# -- servers ----------------------------------------------------------------------------------


@contextmanager
def hq_server(data_dir: Path) -> Iterator[Hq]:
    server, hq = start_hq(data_dir)
    try:
        yield hq
    finally:
        server.stop()
        hq.app.state.hq.engine.dispose()


# -- 1 and 2: sync and baseline ---------------------------------------------------------------


class PhaseClock:
    """Progress callback noting when each sync phase began."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.at: dict[Phase, float] = {}

    def __call__(self, progress: SyncProgress) -> None:
        self.at.setdefault(progress.phase, time.perf_counter())

    def span(self, first: Phase, then: Phase) -> float:
        return self.at[then] - self.at.get(first, self.started)


def timed_sync(ws: Workspace) -> tuple[float, SyncReport, PhaseClock]:
    phases = PhaseClock()
    report = sync_once(ws, phases)
    return time.perf_counter() - phases.started, report, phases


def baseline(
    hq: Hq, photos: list[tuple[str, bytes]], templates: list[bytes]
) -> tuple[float, float, list[bytes]]:
    """Seconds to PUT the photos, then to POST the device's push bodies (as a new device of the
    same person), over one keep-alive session; and the bodies sent."""
    device = hq.enroll(PERSON)
    own_id = json.dumps(device.id).encode()
    bodies = [body.replace(json.dumps(ANY_DEVICE).encode(), own_id) for body in templates]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {device.token}"
    url = hq.url
    try:
        start = time.perf_counter()
        for sha, data in photos:
            answer = session.put(
                f"{url}/v1/blobs/{sha}",
                data=data,
                headers={"Content-Type": "image/jpeg"},
                timeout=30,
            )
            assert answer.status_code == 201, answer.text
        puts = time.perf_counter() - start
        start = time.perf_counter()
        for body in bodies:
            answer = session.post(
                f"{url}/v1/sync/push",
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
            assert answer.status_code == 200, answer.text
            results = answer.json()
            statuses = {r["status"] for r in [*results["commands"], *results["inspections"]]}
            assert statuses == {"applied"}, statuses
        posts = time.perf_counter() - start
    finally:
        session.close()
    return puts, posts, bodies


# -- 3: resume after a drop -------------------------------------------------------------------


def resume_after_drop(root: Path, photos: list[bytes]) -> dict[str, int]:
    with hq_server(root / "hq-resume") as hq, fault_proxy(int(hq.url.rsplit(":", 1)[1])) as proxy:
        ws = new_device(root / "device-resume", proxy.url, hq)
        try:
            fill(ws, photos, commands=INSPECTIONS * 2)
            shas = [sha for sha, _ in stored_photos(ws)]

            def cut_when_half_stored(progress: SyncProgress) -> None:
                if progress.phase is Phase.PHOTOS and progress.photos_done == CUT_AFTER:
                    # The next upload is cut mid-body; its retries find the link still down.
                    proxy.inject(Fault("cut_request", "PUT", "/v1/blobs/", cut_at=CUT_AT_BYTES))
                    proxy.inject(Fault("reset", "PUT", times=1_000_000))

            saved = connection(ws)
            assert saved is not None
            transport = saved.transport(retry=NO_WAIT)
            try:
                SyncEngine(ws, transport, cut_when_half_stored).run()
            except SyncError:
                pass  # what the person sees: "could not reach HQ"; the outbox stays queued
            else:
                raise AssertionError("the sync went through a cut link")
            finally:
                transport.close()
            assert "cut_request" in proxy.faults_fired, proxy.faults_fired
            hq_core = hq.app.state.hq
            stored_before = {sha for sha in shas if hq_core.blob_exists(sha)}
            cut_sha = next(
                path.rsplit("/", 1)[1]
                for method, path in reversed(proxy.requests_seen)
                if method == "PUT"
            )
            proxy.clear()
            mark = len(proxy.requests_seen)
            report = sync_once(ws)
            resumed = proxy.requests_seen[mark:]
            put_shas = [p.rsplit("/", 1)[1] for m, p in resumed if m == "PUT"]
            assert ws.store.pending_outbox() == []
            assert all(hq_core.blob_exists(sha) for sha in shas)
            return {
                "photos": len(shas),
                "stored_before": len(stored_before),
                "cut_stored": int(cut_sha in stored_before),
                "heads": sum(1 for m, _ in resumed if m == "HEAD"),
                "puts": len(put_shas),
                "resent": len(set(put_shas) & stored_before),
                "uploaded": report.photos_uploaded,
                "present": report.photos_present,
            }
        finally:
            ws.store.close()


# -- main -------------------------------------------------------------------------------------


class DropClientDisconnect(logging.Filter):
    """HQ logs the upload cut in part 3 as an ASGI error with a traceback; expected here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ClientDisconnect))


def main() -> None:
    logging.getLogger("uvicorn.error").addFilter(DropClientDisconnect())
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        start = time.perf_counter()
        photos = camera_photos(INSPECTIONS * 2)
        with hq_server(root / "hq-sync") as hq:
            ws = new_device(root / "device", hq.url, hq)
            try:
                fill(ws, photos, COMMANDS)
                outbox = ws.store.pending_outbox()
                commands = sum(1 for e in outbox if e["kind"] == COMMAND)
                blobs = stored_photos(ws)
                templates = push_bodies(ws, ANY_DEVICE)
                built = time.perf_counter() - start
                # The baseline runs just before and just after the sync, on fresh HQs, so drift
                # in the machine's disk and CPU during the run weighs on both sides alike.
                with hq_server(root / "hq-baseline-1") as fresh:
                    before = baseline(fresh, blobs, templates)
                sync_s, report, phases = timed_sync(ws)
                assert report.photos_uploaded == len(blobs), report.photos_uploaded
                assert set(report.results.values()) == {"applied"}, set(report.results.values())
                assert ws.store.pending_outbox() == []
            finally:
                ws.store.close()
        with hq_server(root / "hq-baseline-2") as fresh:
            after = baseline(fresh, blobs, templates)
        resume = resume_after_drop(root, photos)
        total = time.perf_counter() - start
    finally:
        shutil.rmtree(root, ignore_errors=True)

    megabytes = sum(len(data) for _, data in blobs) / 1e6
    bodies = before[2]
    body_mb = sum(map(len, bodies)) / 1e6
    base_s = (sum(before[:2]) + sum(after[:2])) / 2
    photos_s = phases.span(Phase.PHOTOS, Phase.PUSH)
    push_s = phases.span(Phase.PUSH, Phase.PULL)
    pull_s = phases.span(Phase.PULL, Phase.DONE)
    print(
        f"device: {len(blobs)} photos, {megabytes:.1f} MB ({megabytes * 1e3 / len(blobs):.0f} KB "
        f"each); outbox {len(outbox)} entries = {commands} commands + "
        f"{len(outbox) - commands} inspections; {len(bodies)} pushes of <= {BATCH_SIZE} "
        f"({body_mb:.1f} MB JSON)"
    )
    print(f"HQ: SQLite on 127.0.0.1, a fresh data dir per run; data built in {built:.0f} s\n")
    print(f"{'':<34} {'photos s':>9} {'push s':>7} {'pull s':>7} {'total s':>8} {'MB/s':>6}")
    print(
        f"{'sync_once (HEAD+PUT, push, pull)':<34} {photos_s:9.2f} {push_s:7.2f} {pull_s:7.2f} "
        f"{sync_s:8.2f} {megabytes / sync_s:6.1f}"
    )
    for name, (put_s, post_s, _) in (("before", before), ("after", after)):
        label = f"baseline {name}: PUT + POST"
        print(
            f"{label:<34} {put_s:9.2f} {post_s:7.2f} {'-':>7} {put_s + post_s:8.2f} "
            f"{megabytes / (put_s + post_s):6.1f}"
        )
    print(f"\nratio sync / baseline (mean of both): {sync_s / base_s:.2f}x (target <= 1.30x)")
    print(f"ratio leaving out the pull:           {(photos_s + push_s) / base_s:.2f}x")
    print(
        f"\nresume: link cut {CUT_AT_BYTES // 1000} KB into upload {CUT_AFTER + 1} of "
        f"{resume['photos']}; HQ then held {resume['stored_before']} photos "
        f"(the cut one: {'stored' if resume['cut_stored'] else 'not stored'})"
    )
    print(
        f"resumed sync: {resume['heads']} HEAD, {resume['puts']} PUT "
        f"(engine: {resume['uploaded']} uploaded, {resume['present']} already at HQ)"
    )
    print(f"re-sent already-stored photos: {resume['resent']}")
    print(f"\nwhole run: {total:.0f} s")


if __name__ == "__main__":
    main()
