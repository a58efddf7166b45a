"""An address that answers, but not as HQ (a captive portal, a proxy's login page): enrolment and
sync fail with a plain reason instead of a decoding error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from inspect_app.services.bootstrap import open_workspace
from inspect_app.sync.client import enroll
from inspect_app.sync.transport import SyncError


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
