"""Sync recovery under faults, seen from the client: HQ failing or restarting in the middle of a
multi-batch push, a pull cut between pages, and the app itself SIGKILLed with work committed
locally or with a sync in flight (scenarios 11, 13, 14 and 15 of the sync-recovery issue).

After every fault, a retry inside the same sync or the next sync must leave HQ holding each command
and inspection exactly once (checked in HQ's database, not only through the API), the device's
outbox empty, and a pulling device's copy of HQ's events without gaps or repeats.

HQ runs on a fixed loopback port and data directory so a test can stop it and start it again like a
supervised server process; devices reach it through the fault proxy. Every wait is bounded and on
an event, a line or a finished future: nothing sleeps in place of readiness.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from inspect_app.core.workflow import CommandType
from inspect_app.server import schema
from inspect_app.server.app import Settings, create_app
from inspect_app.server.hq import SEQ
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.outbox import COMMAND, INSPECTION
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection, enroll
from inspect_app.sync.engine import (
    BATCH_SIZE,
    LAST_SYNC_ERROR,
    PULL_CURSOR,
    PULL_LIMIT,
    SyncEngine,
    SyncReport,
)
from inspect_app.sync.transport import RetryPolicy, SyncError
from tests.server.conftest import Hq, hazard_payload, start_hq
from tests.services.conftest import FakeClock
from tests.support.services import LiveServer
from tests.sync.fault_proxy import Fault, FaultProxy, fault_proxy
from tests.sync.test_sync_client import walk_with_failure

REPO = Path(__file__).resolve().parents[2]
ATTEMPTS = 4
#: The bound, in seconds, on every wait: for a line, a held request or a finished sync.
WAIT = 20.0
PUSH = "/v1/sync/push"
PULL = "/v1/sync/pull"
BLOBS = "/v1/blobs/"
#: Enough queued comments for three push batches (100, 100 and the rest).
COMMENTS = 2 * BATCH_SIZE + 10


# -- HQ that can be stopped and started again ----------------------------------------------------


class RestartableHq:
    """HQ on one loopback port and one data directory, stopped and started again by the test like
    a server process restarted by its supervisor: each start is a new app on the same database,
    blob store and port."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server, self.hq = start_hq(data_dir)
        self.port = self._server.port

    @property
    def running(self) -> bool:
        return self._server.thread.is_alive()

    def stop(self) -> None:
        self._server.stop()
        assert not self.running, "HQ did not stop within the server's bound"
        self.hq.app.state.hq.engine.dispose()

    def start(self) -> None:
        assert not self.running
        app = create_app(Settings(data_dir=self.data_dir, demo=True))
        self._server = LiveServer(app, port=self.port).start()
        self.hq = Hq(self._server.url, app)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def hq_server(tmp_path: Path) -> Iterator[RestartableHq]:
    server = RestartableHq(tmp_path / "hq")
    yield server
    if server.running:
        server.stop()


@pytest.fixture
def proxy(hq_server: RestartableHq) -> Iterator[FaultProxy]:
    with fault_proxy(hq_server.port) as running:
        yield running


def enrolled_workspace(data_dir: Path, hq: Hq, proxy: FaultProxy, person: str) -> Workspace:
    ws = open_workspace(data_dir, clock=FakeClock())
    code, _ = hq.app.state.hq.make_code(person, "test")
    enroll(ws, proxy.url, code)
    return ws


@pytest.fixture
def device(tmp_path: Path, hq_server: RestartableHq, proxy: FaultProxy) -> Iterator[Workspace]:
    ws = enrolled_workspace(tmp_path / "device", hq_server.hq, proxy, "p-li")
    yield ws
    ws.store.close()


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A device data directory with an inspection, its hazard and COMMENTS comments on the hazard
    queued: three push batches. Queued before enrolment, as an offline-first device may, and built
    once: each test copies it and enrols the copy with its own HQ."""
    data_dir = tmp_path_factory.mktemp("template") / "device"
    ws = open_workspace(data_dir, clock=FakeClock())
    try:
        ws.sign_in("p-li")
        walk_with_failure(ws)
        service = HazardService(ws)
        [hazard] = service.all()
        for n in range(COMMENTS):
            current = service.get(hazard.id)
            assert current is not None
            decision = service.act(current, CommandType.COMMENT, {"text": f"reading {n} logged"})
            assert decision.applied
        assert len(ws.store.pending_outbox()) == COMMENTS + 2 > 2 * BATCH_SIZE
    finally:
        ws.store.close()
    return data_dir


@pytest.fixture
def loaded(
    tmp_path: Path, loaded_template: Path, hq_server: RestartableHq, proxy: FaultProxy
) -> Iterator[Workspace]:
    """An enrolled device with the template's three batches queued."""
    shutil.copytree(loaded_template, tmp_path / "device")
    ws = enrolled_workspace(tmp_path / "device", hq_server.hq, proxy, "p-li")
    yield ws
    ws.store.close()


@pytest.fixture
def viewer(tmp_path: Path, hq_server: RestartableHq, proxy: FaultProxy) -> Iterator[Workspace]:
    """A second device, the stamping workshop head's, that only pulls."""
    ws = enrolled_workspace(tmp_path / "viewer", hq_server.hq, proxy, "p-wang")
    yield ws
    ws.store.close()


# -- syncing -------------------------------------------------------------------------------------


def sync(ws: Workspace) -> SyncReport:
    """One sync the way the app runs it, with ATTEMPTS tries per request and no back-off waits."""
    saved = connection(ws)
    assert saved is not None
    transport = saved.transport(
        read_timeout=10.0, retry=RetryPolicy(ATTEMPTS, 0.0, 0.0), sleep=lambda _: None
    )
    try:
        return SyncEngine(ws, transport).run()
    finally:
        transport.close()


@contextmanager
def sync_in_background(ws: Workspace, proxy: FaultProxy) -> Iterator[Future[SyncReport]]:
    """A sync on a worker thread; on the way out every paused request is released and the worker
    joined (it ends within its own timeouts and retries)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync")
    try:
        yield pool.submit(sync, ws)
    finally:
        proxy.release_all()
        pool.shutdown(wait=True)


def requests_to(proxy: FaultProxy, method: str, prefix: str, start: int = 0) -> list[str]:
    return [p for m, p in proxy.requests_seen[start:] if m == method and p.startswith(prefix)]


def since_of(path: str) -> int:
    return int(parse_qs(urlsplit(path).query)["since"][0])


# -- what the device queued and what HQ holds ----------------------------------------------------


def item_id(entry: dict[str, Any]) -> str:
    return str(entry["command"]["id"] if entry["kind"] == COMMAND else entry["inspection_id"])


def ids_of(entries: list[dict[str, Any]]) -> list[str]:
    return [item_id(e) for e in entries]


def hq_ledger(hq: Hq) -> Counter[str]:
    """How many events HQ holds for each pushed item: hazard events by command id, inspection
    events by inspection id."""
    events = schema.events
    with hq.app.state.hq.engine.connect() as conn:
        data = conn.execute(
            select(events.c.data).where(events.c.kind.in_(("hazard", "inspection")))
        ).scalars()
        return Counter(str(d["id"]) for d in data)


def hq_seq(hq: Hq) -> int:
    """HQ's server_seq counter: every applied command or stored inspection takes one."""
    counters = schema.counters
    with hq.app.state.hq.engine.connect() as conn:
        return int(
            conn.execute(select(counters.c.value).where(counters.c.name == SEQ)).scalar_one()
        )


def assert_hq_holds_each_once(hq: Hq, device_id: str, entries: list[dict[str, Any]]) -> None:
    """HQ holds one event per queued item and nothing else, one command row per command seq, one
    inspection row per inspection, and the device's last seq is its last command's."""
    ids = ids_of(entries)
    assert len(set(ids)) == len(ids)
    assert hq_ledger(hq) == Counter(ids)
    command_seqs = sorted(e["command"]["seq"] for e in entries if e["kind"] == COMMAND)
    inspection_ids = sorted(e["inspection_id"] for e in entries if e["kind"] == INSPECTION)
    commands, inspections, devices = schema.commands, schema.inspections, schema.devices
    with hq.app.state.hq.engine.connect() as conn:
        stored_seqs = conn.execute(
            select(commands.c.seq).where(commands.c.device_id == device_id)
        ).scalars()
        stored_inspections = conn.execute(select(inspections.c.id)).scalars()
        last_seq = conn.execute(
            select(devices.c.last_seq).where(devices.c.id == device_id)
        ).scalar_one()
        assert sorted(stored_seqs) == command_seqs
        assert sorted(stored_inspections) == inspection_ids
    assert last_seq == command_seqs[-1]


def the_photo(ws: Workspace) -> str:
    """The sha256 of the one photo the device's hazard refers to."""
    [sha] = [p for h in ws.store.list_hazards() for p in h["photos"]]
    return str(sha)


def assert_photo_at_hq(hq: Hq, sha: str) -> None:
    """HQ holds the photo, whole. (The device may have freed its full-size copy by now.)"""
    assert hq.app.state.hq.blob_exists(sha)
    data = hq.app.state.hq.blobs.get(sha)
    assert data is not None and hashlib.sha256(data).hexdigest() == sha


# -- 11: HQ fails in the middle of a multi-batch push --------------------------------------------


@pytest.mark.parametrize(
    "committed",
    [
        pytest.param(True, id="after-hq-committed"),
        pytest.param(False, id="before-hq-saw-it"),
    ],
)
def test_500_on_a_middle_batch_is_retried_and_applied_once(
    hq_server: RestartableHq, proxy: FaultProxy, loaded: Workspace, committed: bool
) -> None:
    entries = loaded.store.pending_outbox()
    seq_before = hq_seq(hq_server.hq)
    # The second batch reaches HQ and commits (or never reaches it); the device is told 500.
    proxy.inject(
        Fault("error_response", method="POST", path_prefix=PUSH, after=1, forward=committed)
    )
    report = sync(loaded)
    assert proxy.faults_fired == ["error_response"]
    assert len(requests_to(proxy, "POST", PUSH)) == 4  # three batches, the second one twice
    assert report.results == dict.fromkeys(ids_of(entries), "applied")
    assert loaded.store.pending_outbox() == []
    assert_hq_holds_each_once(hq_server.hq, loaded.device_id, entries)
    # A committed batch sent again was answered from HQ's stored results: no server seq twice.
    assert hq_seq(hq_server.hq) - seq_before == len(entries)


def test_500s_until_retries_run_out_then_the_next_sync_replays_the_committed_prefix(
    hq_server: RestartableHq, proxy: FaultProxy, loaded: Workspace
) -> None:
    entries = loaded.store.pending_outbox()
    ids = ids_of(entries)
    proxy.inject(Fault("error_response", method="POST", path_prefix=PUSH, after=1, times=ATTEMPTS))
    with pytest.raises(SyncError, match="could not reach HQ after 4 tries: HQ answered 500"):
        sync(loaded)
    assert proxy.faults_fired == ["error_response"] * ATTEMPTS
    # The first batch was acknowledged; the second was committed at HQ but never acknowledged.
    assert ids_of(loaded.store.pending_outbox()) == ids[BATCH_SIZE:]
    assert hq_ledger(hq_server.hq) == Counter(ids[: 2 * BATCH_SIZE])
    kept = {"code": "hq_trouble", "params": {"tries": ATTEMPTS, "status": 500}}
    assert loaded.store.get_meta(LAST_SYNC_ERROR) == kept  # its code, said in words by the app
    seq_between = hq_seq(hq_server.hq)

    report = sync(loaded)
    assert report.results == dict.fromkeys(ids[BATCH_SIZE:], "applied")
    assert loaded.store.pending_outbox() == []
    assert loaded.store.get_meta(LAST_SYNC_ERROR) is None
    assert_hq_holds_each_once(hq_server.hq, loaded.device_id, entries)
    # The second batch was a replay: only the third took new server seqs.
    assert hq_seq(hq_server.hq) - seq_between == len(entries) - 2 * BATCH_SIZE


def test_hq_killed_after_committing_a_middle_batch_the_next_sync_replays_it(
    hq_server: RestartableHq, proxy: FaultProxy, loaded: Workspace
) -> None:
    entries = loaded.store.pending_outbox()
    ids = ids_of(entries)
    held = proxy.inject(
        Fault(
            "pause", method="POST", path_prefix=PUSH, after=1, stage="after_response", then="drop"
        )
    )
    with sync_in_background(loaded, proxy) as running:
        assert held.wait_reached(WAIT), "the second batch never reached HQ"
        hq_server.stop()  # HQ goes down with batch 2 committed and its answer not delivered
        held.release()
        with pytest.raises(SyncError, match="could not reach HQ after 4 tries: no connection"):
            running.result(timeout=WAIT)
    hq_server.start()
    assert ids_of(loaded.store.pending_outbox()) == ids[BATCH_SIZE:]
    assert hq_ledger(hq_server.hq) == Counter(ids[: 2 * BATCH_SIZE])

    report = sync(loaded)
    assert report.results == dict.fromkeys(ids[BATCH_SIZE:], "applied")
    assert loaded.store.pending_outbox() == []
    assert_hq_holds_each_once(hq_server.hq, loaded.device_id, entries)


# -- 13: a pull cut between pages resumes from the saved cursor ----------------------------------


def push_from_another_device(hq: Hq, count: int) -> None:
    """Another stamping inspector's device pushes ``count`` hazard commands straight to HQ:
    twenty new hazards, then comments spread over them."""
    other = hq.enroll("p-li")
    hazard_ids = [str(uuid.uuid4()) for _ in range(20)]
    commands = [other.command(h, "create", None, hazard_payload()) for h in hazard_ids]
    commands += [
        other.command(hazard_ids[n % len(hazard_ids)], "comment", None, {"text": f"note {n}"})
        for n in range(count - len(hazard_ids))
    ]
    for start in range(0, len(commands), 500):
        answer = other.push(commands[start : start + 500])
        answer.raise_for_status()
        assert {r["status"] for r in answer.json()["commands"]} == {"applied"}


def hq_events_by_seq(hq: Hq) -> list[tuple[int, str, bool]]:
    """Every event HQ holds as (server_seq, id, is a hazard event), in server_seq order."""
    events = schema.events
    with hq.app.state.hq.engine.connect() as conn:
        rows = conn.execute(
            select(events.c.server_seq, events.c.kind, events.c.data).order_by(events.c.server_seq)
        ).all()
    return [(r.server_seq, str(r.data.get("id")), r.kind == "hazard") for r in rows]


def local_hazard_events(ws: Workspace) -> list[tuple[int, str]]:
    return sorted((e["server_seq"], e["id"]) for e in ws.store.all_events())


def assert_viewer_matches_hq(ws: Workspace, hq: Hq) -> None:
    """The device holds every hazard event HQ holds, each once, none pending, and every hazard as
    HQ has it; its cursor is HQ's last event."""
    everything = hq_events_by_seq(hq)
    local = ws.store.all_events()
    assert len({e["id"] for e in local}) == len(local)
    assert not any(e["pending"] for e in local)
    assert local_hazard_events(ws) == [(seq, i) for seq, i, hazard in everything if hazard]
    with hq.app.state.hq.engine.connect() as conn:
        at_hq = {
            r.id: r.data for r in conn.execute(select(schema.hazards.c.id, schema.hazards.c.data))
        }
    assert {h["id"]: h for h in ws.store.list_hazards()} == at_hq
    assert ws.store.get_meta(PULL_CURSOR) == everything[-1][0] == hq_seq(hq)


def test_pull_cut_on_the_second_page_resumes_from_the_saved_cursor_next_sync(
    hq_server: RestartableHq, proxy: FaultProxy, viewer: Workspace
) -> None:
    hq = hq_server.hq
    push_from_another_device(hq, 2 * PULL_LIMIT + 100)  # three pages for the viewer
    everything = hq_events_by_seq(hq)
    first_page_end = everything[PULL_LIMIT - 1][0]
    proxy.inject(Fault("drop_response", method="GET", path_prefix=PULL, after=1, times=ATTEMPTS))
    with pytest.raises(SyncError, match="could not reach HQ"):
        sync(viewer)
    pulls = requests_to(proxy, "GET", PULL)
    assert [since_of(p) for p in pulls] == [0] + [first_page_end] * ATTEMPTS
    # Only the page that was applied moved the cursor, and exactly its events are held.
    assert viewer.store.get_meta(PULL_CURSOR) == first_page_end
    assert local_hazard_events(viewer) == [
        (seq, i) for seq, i, hazard in everything if hazard and seq <= first_page_end
    ]

    mark = len(proxy.requests_seen)
    report = sync(viewer)
    resumed = requests_to(proxy, "GET", PULL, start=mark)
    assert since_of(resumed[0]) == first_page_end
    assert len(resumed) == 2  # the second page, then the third (the last)
    assert report.events_pulled == len(everything) - PULL_LIMIT
    assert_viewer_matches_hq(viewer, hq)
    assert sync(viewer).events_pulled == 0


def test_pull_page_dropped_once_is_fetched_again_from_the_same_cursor(
    hq_server: RestartableHq, proxy: FaultProxy, viewer: Workspace
) -> None:
    hq = hq_server.hq
    push_from_another_device(hq, 2 * PULL_LIMIT + 100)
    everything = hq_events_by_seq(hq)
    proxy.inject(Fault("drop_response", method="GET", path_prefix=PULL, after=1))
    report = sync(viewer)
    assert proxy.faults_fired == ["drop_response"]
    sinces = [since_of(p) for p in requests_to(proxy, "GET", PULL)]
    page_ends = [0, everything[PULL_LIMIT - 1][0], everything[2 * PULL_LIMIT - 1][0]]
    assert sinces == [page_ends[0], page_ends[1], page_ends[1], page_ends[2]]
    assert report.events_pulled == len(everything)
    assert_viewer_matches_hq(viewer, hq)


# -- 14: the app SIGKILLed with work committed locally -------------------------------------------

APP = """
import sys
from pathlib import Path

from inspect_app.services.bootstrap import open_workspace
from inspect_app.sync.client import sync_once
from tests.services.conftest import FakeClock
from tests.sync.test_sync_client import walk_with_failure

ws = open_workspace(Path(sys.argv[1]), clock=FakeClock())
print("SUBMITTED", walk_with_failure(ws), flush=True)
if sys.argv[2] == "sync":
    sync_once(ws)
    print("SYNCED", flush=True)
sys.stdin.readline()
"""


class AppProcess:
    """The app in a process of its own on an enrolled device's data directory: it walks and
    submits an inspection with a failure and a photo, says so on stdout, optionally syncs, then
    blocks on stdin until the test kills it."""

    def __init__(self, data_dir: Path, mode: str, log: Path) -> None:
        self.log = log
        self._log = log.open("wb")
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *([path] if path else [])])}
        self.process = subprocess.Popen(
            [sys.executable, "-c", APP, str(data_dir), mode],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_lines, daemon=True).start()

    def _read_lines(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def expect(self, word: str) -> str:
        """Wait (bounded) for the next line, which must start with ``word``; the rest of it."""
        try:
            line = self._lines.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"the app printed nothing within {WAIT} s")
        if line is None:
            pytest.fail(f"the app ended early:\n{self.log.read_text(errors='replace')}")
        assert line.split(" ", 1)[0] == word, line
        return line.removeprefix(word).strip()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=WAIT) == -signal.SIGKILL

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self._log.close()


@pytest.fixture
def device_dir(tmp_path: Path, hq_server: RestartableHq, proxy: FaultProxy) -> Path:
    """An enrolled device's data directory, closed so that another process can open it."""
    data_dir = tmp_path / "device"
    enrolled_workspace(data_dir, hq_server.hq, proxy, "p-li").store.close()
    return data_dir


@contextmanager
def reopened(data_dir: Path) -> Iterator[Workspace]:
    ws = open_workspace(data_dir, clock=FakeClock())
    try:
        yield ws
    finally:
        ws.store.close()


def test_app_killed_between_local_commit_and_upload_loses_nothing(
    tmp_path: Path, hq_server: RestartableHq, proxy: FaultProxy, device_dir: Path
) -> None:
    mark = len(proxy.requests_seen)
    app = AppProcess(device_dir, "idle", tmp_path / "app.log")
    try:
        inspection_id = app.expect("SUBMITTED")
        app.kill()
    finally:
        app.close()
    assert proxy.requests_seen[mark:] == []  # nothing had left the device

    with reopened(device_dir) as ws:
        entries = ws.store.pending_outbox()
        assert [(e["kind"], e.get("inspection_id")) for e in entries] == [
            (INSPECTION, inspection_id),
            (COMMAND, None),
        ]
        sha = the_photo(ws)
        assert ws.store.photos.has(sha)
        report = sync(ws)
        assert report.photos_uploaded == 1
        assert report.results == dict.fromkeys(ids_of(entries), "applied")
        assert ws.store.pending_outbox() == []
        assert_hq_holds_each_once(hq_server.hq, ws.device_id, entries)
        assert_photo_at_hq(hq_server.hq, sha)
        assert sync(ws).results == {}


@pytest.mark.parametrize(
    ("method", "path", "stage", "committed"),
    [
        pytest.param("PUT", BLOBS, "before_forward", False, id="during-photo-upload"),
        pytest.param("POST", PUSH, "after_response", True, id="push-committed-not-answered"),
    ],
)
def test_app_killed_mid_sync_then_the_next_sync_neither_loses_nor_duplicates(
    tmp_path: Path,
    hq_server: RestartableHq,
    proxy: FaultProxy,
    device_dir: Path,
    method: str,
    path: str,
    stage: str,
    committed: bool,
) -> None:
    held = proxy.inject(Fault("pause", method=method, path_prefix=path, stage=stage, then="drop"))
    app = AppProcess(device_dir, "sync", tmp_path / "app.log")
    try:
        app.expect("SUBMITTED")
        assert held.wait_reached(WAIT), "the app's sync never got that far"
        app.kill()  # inside sync_once, waiting on HQ
    finally:
        held.release()
        app.close()

    with reopened(device_dir) as ws:
        entries = ws.store.pending_outbox()
        assert len(entries) == 2  # nothing was acknowledged
        hq = hq_server.hq
        assert hq_ledger(hq) == (Counter(ids_of(entries)) if committed else Counter())
        sha = the_photo(ws)
        assert ws.store.photos.has(sha)  # not freed: nothing was acknowledged
        assert hq.app.state.hq.blob_exists(sha) is committed

        report = sync(ws)
        # A photo HQ had confirmed is not sent again; one cut off before HQ got it is.
        assert report.photos_uploaded == (0 if committed else 1)
        assert report.results == dict.fromkeys(ids_of(entries), "applied")
        assert ws.store.pending_outbox() == []
        assert_hq_holds_each_once(hq, ws.device_id, entries)
        assert_photo_at_hq(hq, sha)


# -- 15: HQ restarted in the middle of a sync ----------------------------------------------------


def test_hq_restarted_while_holding_a_push_answer_the_same_sync_finishes(
    hq_server: RestartableHq, proxy: FaultProxy, device: Workspace
) -> None:
    walk_with_failure(device)
    entries = device.store.pending_outbox()
    held = proxy.inject(
        Fault("pause", method="POST", path_prefix=PUSH, stage="after_response", then="drop")
    )
    with sync_in_background(device, proxy) as running:
        assert held.wait_reached(WAIT), "the push never reached HQ"
        hq_server.restart()  # same data directory, same port; the answer is lost with it
        held.release()
        report = running.result(timeout=WAIT)
    assert len(requests_to(proxy, "POST", PUSH)) == 2
    assert report.photos_uploaded == 1
    assert report.results == dict.fromkeys(ids_of(entries), "applied")
    assert device.store.pending_outbox() == []
    assert device.store.get_meta(LAST_SYNC_ERROR) is None
    assert_hq_holds_each_once(hq_server.hq, device.device_id, entries)
    assert_photo_at_hq(hq_server.hq, the_photo(device))


def test_hq_down_when_a_push_arrives_fails_clearly_and_a_retry_completes(
    hq_server: RestartableHq, proxy: FaultProxy, device: Workspace
) -> None:
    walk_with_failure(device)
    entries = device.store.pending_outbox()
    held = proxy.inject(Fault("pause", method="POST", path_prefix=PUSH, stage="before_forward"))
    with sync_in_background(device, proxy) as running:
        assert held.wait_reached(WAIT), "the push never reached the proxy"
        hq_server.stop()
        held.release()
        with pytest.raises(SyncError, match="could not reach HQ after 4 tries: no connection"):
            running.result(timeout=WAIT)
    kept = {"code": "no_connection", "params": {"tries": ATTEMPTS}}
    assert device.store.get_meta(LAST_SYNC_ERROR) == kept
    assert device.store.pending_outbox() == entries
    sha = the_photo(device)
    assert device.store.photos.has(sha)  # its entries are still waiting

    hq_server.start()
    assert hq_ledger(hq_server.hq) == Counter()  # the push never reached HQ
    assert_photo_at_hq(hq_server.hq, sha)  # uploaded before the stop, kept across the restart
    report = sync(device)
    assert report.photos_uploaded == 0
    assert report.results == dict.fromkeys(ids_of(entries), "applied")
    assert device.store.pending_outbox() == []
    assert_hq_holds_each_once(hq_server.hq, device.device_id, entries)
    assert_photo_at_hq(hq_server.hq, sha)
