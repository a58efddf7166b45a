"""An HTTP-aware TCP proxy on loopback that injects network faults between the sync client and HQ.

It reads whole HTTP/1.1 requests and responses (Content-Length or chunked bodies) so a fault can
target "the next POST /v1/sync/push" rather than a byte offset. Faults:

- ``drop_response``: forward the request, read HQ's whole response (HQ has committed), then close
  the client's connection without sending a byte of it;
- ``hold_response``: forward the request and read the response, but send nothing until the client
  gives up and closes (a response slower than the client's timeout);
- ``cut_request``: forward only the first ``cut_at`` bytes of the request body to HQ, then close
  both sides (an upload cut halfway);
- ``cut_response``: forward the request, read HQ's whole response (HQ has committed), send the
  client only its first ``cut_at`` bytes, then close (a proxy that fails inside the headers or
  the body);
- ``reset``: close the client's connection before forwarding anything;
- ``error_response``: answer the client with a canned ``status`` (500 by default) instead of HQ's
  answer, after forwarding the request (so HQ has committed) unless ``forward`` is False;
- ``pause``: stop at ``stage`` (``before_forward``: HQ has not seen the request;
  ``after_response``: HQ has committed and answered), set ``reached`` and wait until the test
  calls ``release()``; then ``deliver`` (forward the request, or send HQ's answer) or ``drop``
  (close the client's connection without either). The wait is bounded by ``PAUSE_LIMIT``.

``after`` lets that many matching requests through untouched before a fault fires, so a fault can
hit "the second push of a sync" rather than the first.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus

MAX_HEAD = 64 * 1024
#: The longest a ``pause`` fault holds a request when the test never releases it (seconds).
PAUSE_LIMIT = 30.0
KINDS = frozenset(
    {
        "drop_response",
        "hold_response",
        "cut_request",
        "cut_response",
        "reset",
        "error_response",
        "pause",
    }
)


@dataclass
class Fault:
    kind: str  # one of KINDS
    method: str = ""
    path_prefix: str = ""
    cut_at: int = 0
    times: int = 1
    #: Matching requests to let through untouched before the fault fires.
    after: int = 0
    #: error_response: the status sent, and whether HQ sees the request first.
    status: int = 500
    forward: bool = True
    #: pause: where to stop (before_forward | after_response) and what to do once released.
    stage: str = "after_response"
    then: str = "deliver"  # deliver | drop
    reached: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    released: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if self.stage not in ("before_forward", "after_response"):
            raise ValueError(f"unknown pause stage {self.stage!r}")
        if self.then not in ("deliver", "drop"):
            raise ValueError(f"unknown pause outcome {self.then!r}")

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method == method) and path.startswith(self.path_prefix)

    def wait_reached(self, timeout: float) -> bool:
        """For ``pause``: True once a request is being held (False if none came in time)."""
        return self.reached.wait(timeout)

    def release(self) -> None:
        """For ``pause``: let held requests go on (``then`` says how)."""
        self.released.set()

    def hold_until_released(self) -> None:
        self.reached.set()
        self.released.wait(PAUSE_LIMIT)


class _Closed(Exception):
    pass


def _read_until(sock: socket.socket, buffer: bytearray, marker: bytes) -> int:
    while (index := buffer.find(marker)) < 0:
        if len(buffer) > MAX_HEAD:
            raise _Closed("header too large")
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed("peer closed")
        buffer += chunk
    return index


def _read_exact(sock: socket.socket, buffer: bytearray, size: int) -> bytes:
    while len(buffer) < size:
        chunk = sock.recv(max(65536, size - len(buffer)))
        if not chunk:
            raise _Closed("peer closed")
        buffer += chunk
    data = bytes(buffer[:size])
    del buffer[:size]
    return data


def _read_message(
    sock: socket.socket, buffer: bytearray, *, head_only_body: bool
) -> tuple[bytes, bytes]:
    """One HTTP message as (head, body); ``head_only_body`` for responses to HEAD requests."""
    end = _read_until(sock, buffer, b"\r\n\r\n") + 4
    head = _read_exact(sock, buffer, end)
    headers = {
        line.split(b":", 1)[0].strip().lower(): line.split(b":", 1)[1].strip()
        for line in head.split(b"\r\n")[1:]
        if b":" in line
    }
    if head_only_body:
        return head, b""
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = bytearray()
        while True:
            line_end = _read_until(sock, buffer, b"\r\n") + 2
            size_line = _read_exact(sock, buffer, line_end)
            size = int(size_line.split(b";")[0], 16)
            chunk = _read_exact(sock, buffer, size + 2)
            body += size_line + chunk
            if size == 0:
                return head, bytes(body)
    length = int(headers.get(b"content-length", b"0"))
    return head, _read_exact(sock, buffer, length)


def _canned_response(status: int) -> bytes:
    """A whole HTTP/1.1 response with a JSON error body; the connection closes after it."""
    body = json.dumps({"detail": f"fault injected by the test proxy ({status})"}).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


class FaultProxy:
    """Listens on 127.0.0.1:<port> and forwards to 127.0.0.1:<target_port>."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._faults: list[Fault] = []
        self._pauses: list[Fault] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.requests_seen: list[tuple[str, str]] = []
        self.faults_fired: list[str] = []
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._closing = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def inject(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
            if fault.kind == "pause":
                self._pauses.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            self.requests_seen.append((method, path))
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults = [f for f in self._faults if f is not fault]
                    self.faults_fired.append(fault.kind)
                    return fault
        return None

    def release_all(self) -> None:
        """Release every ``pause`` fault ever injected, so no connection thread stays held."""
        with self._lock:
            paused = list(self._pauses)
        for fault in paused:
            fault.release()

    def start(self) -> FaultProxy:
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._closing = True
        self.release_all()
        with suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()

    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.add(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        client_buffer = bytearray()
        upstream_buffer = bytearray()
        try:
            while True:
                head, body = _read_message(client, client_buffer, head_only_body=False)
                method, path = head.split(b" ", 2)[:2]
                fault = self._take_fault(method.decode(), path.decode())
                if fault and fault.kind == "reset":
                    return
                if fault and fault.kind == "error_response" and not fault.forward:
                    client.sendall(_canned_response(fault.status))
                    return
                if fault and fault.kind == "pause" and fault.stage == "before_forward":
                    fault.hold_until_released()
                    if fault.then == "drop":
                        return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                    with self._lock:
                        self._sockets.add(upstream)
                if fault and fault.kind == "cut_request":
                    upstream.sendall(head + body[: fault.cut_at])
                    return
                upstream.sendall(head + body)
                response = _read_message(
                    upstream, upstream_buffer, head_only_body=method == b"HEAD"
                )
                if fault and fault.kind == "drop_response":
                    return
                if fault and fault.kind == "cut_response":
                    client.sendall((response[0] + response[1])[: fault.cut_at])
                    return
                if fault and fault.kind == "error_response":
                    client.sendall(_canned_response(fault.status))
                    return
                if fault and fault.kind == "pause" and fault.stage == "after_response":
                    fault.hold_until_released()
                    if fault.then == "drop":
                        return
                if fault and fault.kind == "hold_response":
                    # Send nothing; wait (bounded) for the client to time out and hang up.
                    client.settimeout(30)
                    with suppress(OSError):
                        while client.recv(65536):
                            pass
                    return
                client.sendall(response[0] + response[1])
        except (_Closed, OSError, ValueError):
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with suppress(OSError):
                        sock.close()
                    with self._lock:
                        self._sockets.discard(sock)


@contextmanager
def fault_proxy(target_port: int) -> Iterator[FaultProxy]:
    proxy = FaultProxy(target_port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
