"""The fault proxy itself: passes traffic through, and each fault does what it says."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import requests

from tests.sync.fault_proxy import Fault, FaultProxy, fault_proxy


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Echo.received.append(body)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Echo.received = []
    with fault_proxy(server.server_address[1]) as running:
        yield running
    server.shutdown()
    server.server_close()


def test_passes_requests_through_on_one_connection(proxy: FaultProxy) -> None:
    with requests.Session() as session:
        for n in range(3):
            assert (
                session.post(proxy.url + "/x", data=b"hello %d" % n, timeout=5).content
                == b"hello %d" % n
            )
    assert len(proxy.requests_seen) == 3


def test_drop_response_reaches_the_server_but_not_the_client(proxy: FaultProxy) -> None:
    proxy.inject(Fault("drop_response", method="POST", path_prefix="/push"))
    with pytest.raises(requests.ConnectionError):
        requests.post(proxy.url + "/push", data=b"payload", timeout=5)
    assert _Echo.received == [b"payload"]
    assert requests.post(proxy.url + "/push", data=b"again", timeout=5).content == b"again"


def test_hold_response_makes_the_client_time_out(proxy: FaultProxy) -> None:
    proxy.inject(Fault("hold_response"))
    with pytest.raises(requests.ReadTimeout):
        requests.post(proxy.url + "/slow", data=b"x", timeout=(5, 0.3))
    assert _Echo.received == [b"x"]


def test_cut_request_delivers_half_a_body(proxy: FaultProxy) -> None:
    proxy.inject(Fault("cut_request", cut_at=4))
    with pytest.raises(requests.ConnectionError):
        requests.post(proxy.url + "/upload", data=b"12345678", timeout=5)
    assert proxy.faults_fired == ["cut_request"]


@pytest.mark.parametrize("cut_at", [0, 30, 60])
def test_cut_response_sends_the_first_bytes_then_closes(proxy: FaultProxy, cut_at: int) -> None:
    proxy.inject(Fault("cut_response", cut_at=cut_at))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        received = bytearray()
        while chunk := sock.recv(65536):  # ends when the proxy closes
            received += chunk
    assert len(received) == cut_at and bytes(received).startswith(b"HTTP/1.1 200"[:cut_at])
    assert _Echo.received == [b"hello"]
