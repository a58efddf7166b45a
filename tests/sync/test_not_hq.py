"""An address that answers, but not as HQ (a captive portal, a proxy's login page): enrolment and
sync fail with a plain reason instead of a decoding error. An answer from HQ cut short on the way
(a proxy that closes inside the headers or the body) is not that: it is retried like a reset."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection, enroll
from inspect_app.sync.engine import SyncEngine, SyncReport
from inspect_app.sync.transport import RetryPolicy, SyncError
from tests.server.conftest import Hq, start_hq
from tests.services.conftest import FakeClock
from tests.services.test_inspection_flow import walk_fire
from tests.sync.fault_proxy import Fault, FaultProxy, fault_proxy

ATTEMPTS = 3
PUSH = "/v1/sync/push"
PULL = "/v1/sync/pull"
#: Where the answer stops: nothing at all, 30 bytes (inside the headers), inside the body.
CUTS = [0, 30, 400]


class _Portal(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html><body>Please log in to the plant Wi-Fi</body></html>"
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def portal() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def test_enrolling_against_a_portal_page_says_so(tmp_path: Path, portal: str) -> None:
    ws = open_workspace(tmp_path / "device")
    try:
        with pytest.raises(SyncError, match=r"is not HQ's \(text/html\); is the address right"):
            enroll(ws, portal, "CODE")
        assert ws.store.get_meta("token") is None
    finally:
        ws.store.close()


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    yield client
    server.stop()


@pytest.fixture
def proxy(hq: Hq) -> Iterator[FaultProxy]:
    with fault_proxy(urlsplit(hq.url).port or 80) as running:
        yield running


@pytest.fixture
def device(tmp_path: Path, hq: Hq, proxy: FaultProxy) -> Iterator[Workspace]:
    """An enrolled device, through the proxy, with an inspection and its hazards to push."""
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    ws.sign_in("p-li")
    enroll(ws, proxy.url, hq.app.state.hq.make_code("p-li", "test")[0])
    service, inspection = walk_fire(ws)
    service.submit(inspection, "李明")
    yield ws
    ws.store.close()


def sync(ws: Workspace) -> SyncReport:
    saved = connection(ws)
    assert saved is not None
    transport = saved.transport(
        read_timeout=10.0, retry=RetryPolicy(ATTEMPTS, 0.0, 0.0), sleep=lambda _: None
    )
    try:
        return SyncEngine(ws, transport).run()
    finally:
        transport.close()


@pytest.mark.parametrize("cut_at", CUTS)
def test_a_cut_short_answer_is_retried_within_the_sync(
    device: Workspace, proxy: FaultProxy, cut_at: int
) -> None:
    pushes = len(device.store.pending_outbox())
    proxy.inject(Fault("cut_response", method="POST", path_prefix=PUSH, cut_at=cut_at))
    proxy.inject(Fault("cut_response", method="GET", path_prefix=PULL, cut_at=cut_at, times=2))
    report = sync(device)
    assert proxy.faults_fired == ["cut_response"] * 3
    assert [m for m, p in proxy.requests_seen if p.startswith(PUSH)] == ["POST", "POST"]
    assert set(report.results.values()) == {"applied"} and len(report.results) == pushes
    assert report.events_pulled > 0
    assert device.store.pending_outbox() == []


def test_answers_cut_short_on_every_try_fail_plainly_then_the_next_sync_completes(
    device: Workspace, proxy: FaultProxy
) -> None:
    proxy.inject(Fault("cut_response", method="POST", path_prefix=PUSH, cut_at=30, times=ATTEMPTS))
    with pytest.raises(SyncError) as failed:
        sync(device)
    assert str(failed.value) == (
        f"could not reach HQ after {ATTEMPTS} tries: HQ's answer was cut short"
    )
    assert device.store.pending_outbox() != []
    report = sync(device)  # the proxy behaves again: HQ answers the replay with its results
    assert set(report.results.values()) == {"applied"}
    assert device.store.pending_outbox() == []
