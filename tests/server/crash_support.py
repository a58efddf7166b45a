"""The rig of the HQ crash test: ``inspect-app serve`` as a process that can be SIGKILLed and
started again, device transports that report what they send and what HQ acknowledged, and HQ's
database read back as plain rows for the checks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, make_url, text

from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection
from inspect_app.sync.transport import RetryPolicy, Transport
from tests.support.services import free_port, wait_until

CLI = Path(sys.executable).with_name("inspect-app")
PUSH = "/v1/sync/push"
#: The bound on HQ's start (migrations, master data) and on its death after SIGKILL.
START_WAIT = 60.0
#: A push or pull answer takes far less; a killed HQ resets the connection at once.
READ_TIMEOUT = 30.0
ATTEMPTS = 3


class HqProcess:
    """HQ as a supervisor runs it: ``inspect-app serve`` in its own process group, on one data
    directory, database and port, killed with SIGKILL and started again on the same data."""

    def __init__(self, data_dir: Path, db_url: str | None) -> None:
        self.data_dir = data_dir
        self.db_url = db_url
        self.port = free_port()
        self.log_path = data_dir.parent / "hq.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'hq.sqlite3'}"

    def launch(self, *extra: str, env: dict[str, str] | None = None) -> None:
        """Start the process; ``wait_ready`` waits for it to answer."""
        assert self.process is None or self.process.poll() is not None, "HQ is still running"
        command = [
            str(CLI),
            "serve",
            "--demo",
            "--data",
            str(self.data_dir),
            "--port",
            str(self.port),
        ]
        if self.db_url:
            command += ["--db", self.db_url]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, *extra],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, **(env or {})},
            )
        self.starts += 1

    def wait_ready(self) -> None:
        def healthy() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"HQ exited on start {self.starts}:\n{self.log_tail()}")
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        wait_until(healthy, START_WAIT, f"HQ (start {self.starts})")

    def kill(self) -> None:
        assert self.process is not None and self.process.poll() is None, (
            f"HQ was not running:\n{self.log_tail()}"
        )
        os.killpg(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=START_WAIT) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


#: The moments a trigger counts: a request leaving a device, or its answer arriving.
SENT, ANSWERED = "sent", "answered"


@dataclass(frozen=True)
class Trigger:
    """When to kill HQ: once the ``nth`` request (or push) of a round has been sent, or has
    been answered, plus a few milliseconds so that the kill lands anywhere in what HQ does
    next (reading the request, inside its transaction, writing the answer, the next request)."""

    moment: str  # SENT | ANSWERED
    pushes_only: bool
    nth: int
    delay: float


@dataclass
class Watch:
    """Shared by the devices' transports: requests sent and answered this round, and every
    result HQ sent back in a push answer a device received (what it saw acknowledged)."""

    #: (moment, pushes only) -> how many this round
    counts: Counter[tuple[str, bool]] = field(default_factory=Counter)
    #: (device id, command id) -> status; inspection id -> status.
    commands: dict[tuple[str, str], str] = field(default_factory=dict)
    inspections: dict[str, str] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def new_round(self) -> None:
        with self._changed:
            self.counts.clear()

    def count(self, moment: str, method: str, url: str) -> None:
        with self._changed:
            self.counts[moment, False] += 1
            self.counts[moment, True] += method == "POST" and url.endswith(PUSH)
            self._changed.notify_all()

    def poke(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def answered(self, device_id: str, answer: dict[str, Any]) -> None:
        with self._changed:
            for result in answer.get("commands", []):
                if result["status"] != "missing_blobs":
                    key = (device_id, result["id"])
                    status = self.commands.setdefault(key, result["status"])
                    assert status == result["status"], f"{key} answered {status}, then {result}"
            for result in answer.get("inspections", []):
                if result["status"] != "missing_blobs":
                    status = self.inspections.setdefault(result["id"], result["status"])
                    assert status == result["status"], f"{result} answered {status} before"

    def wait_for(self, trigger: Trigger, finished: Callable[[], bool], timeout: float) -> bool:
        """Wait until the trigger's moment has come (True) or the syncs ended (False)."""

        def reached() -> bool:
            return self.counts[trigger.moment, trigger.pushes_only] >= trigger.nth

        with self._changed:
            self._changed.wait_for(lambda: reached() or finished(), timeout)
            return reached()


class WatchedSession(requests.Session):
    """An HTTP session reporting each attempt and each answer, and the results in each push
    answer received whole, to a ``Watch``: below the transport's retries, so every try counts."""

    def __init__(self, watch: Watch, device_id: str) -> None:
        super().__init__()
        self.watch = watch
        self.device_id = device_id

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        method, url = str(method), str(url)
        self.watch.count(SENT, method, url)
        response = super().request(method, url, *args, **kwargs)
        if method == "POST" and url.endswith(PUSH) and response.status_code == 200:
            self.watch.answered(self.device_id, response.json())
        self.watch.count(ANSWERED, method, url)
        return response


class WatchedTransport(Transport):
    """The app's transport, with retries that do not sleep, over a ``WatchedSession``."""

    def __init__(self, ws: Workspace, watch: Watch) -> None:
        saved = connection(ws)
        assert saved is not None, "the device is not enrolled"
        super().__init__(
            saved.server_url,
            saved.token,
            read_timeout=READ_TIMEOUT,
            retry=RetryPolicy(attempts=ATTEMPTS, base_delay=0.0, max_delay=0.0),
            sleep=lambda _: None,
        )
        watched = WatchedSession(watch, ws.device_id)
        watched.headers.update(self.session.headers)
        watched.verify = self.session.verify
        self.session.close()
        self.session = watched


# -- HQ's database as rows ------------------------------------------------------------------------


def _json(value: Any) -> Any:
    """A JSON column as read by a plain query: text on SQLite, decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


@dataclass
class HqRows:
    """HQ's tables after the run, read with plain SQL (not through the code under test)."""

    event_seqs: list[int]
    counter: int
    #: (device id, command id) of each hazard event -> [(server_seq, result)]
    hazard_events: dict[tuple[str, str], list[tuple[int, str]]]
    #: hazard id -> server_seq of its last applied event
    last_applied: dict[str, int]
    #: inspection id -> [server_seq] of its events
    inspection_events: dict[str, list[int]]
    #: (device id, command id) -> (seq, status, server_seq)
    commands: dict[tuple[str, str], tuple[int, str, int | None]]
    command_rows: Counter[tuple[str, str]]
    #: hazard id -> (updated_seq, data)
    hazards: dict[str, tuple[int, dict[str, Any]]]
    inspections: dict[str, int]
    last_seq: dict[str, int]
    integrity: list[str]


def read_hq(database_url: str) -> HqRows:
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if not sqlite:
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            events = conn.execute(
                text("SELECT server_seq, kind, hazard_id, data FROM events ORDER BY server_seq")
            ).all()
            commands = conn.execute(
                text("SELECT device_id, command_id, seq, result FROM commands")
            ).all()
            hazards = conn.execute(text("SELECT id, updated_seq, data FROM hazards")).all()
            inspections = conn.execute(text("SELECT id, server_seq FROM inspections")).all()
            devices = conn.execute(text("SELECT id, last_seq FROM devices")).all()
            counter = conn.execute(
                text("SELECT value FROM counters WHERE name = 'server_seq'")
            ).scalar_one()
            integrity = integrity_problems(conn, sqlite)
    finally:
        engine.dispose()
    rows = HqRows(
        event_seqs=[int(e.server_seq) for e in events],
        counter=int(counter),
        hazard_events={},
        last_applied={},
        inspection_events={},
        commands={},
        command_rows=Counter((c.device_id, c.command_id) for c in commands),
        hazards={h.id: (int(h.updated_seq), _json(h.data)) for h in hazards},
        inspections={i.id: int(i.server_seq) for i in inspections},
        last_seq={d.id: int(d.last_seq) for d in devices},
        integrity=integrity,
    )
    for event in events:
        data, seq = _json(event.data), int(event.server_seq)
        if event.kind == "hazard":
            key = (data["device_id"], data["id"])
            rows.hazard_events.setdefault(key, []).append((seq, data["result"]))
            if data["result"] == "applied":
                rows.last_applied[event.hazard_id] = seq
        elif event.kind == "inspection":
            rows.inspection_events.setdefault(data["id"], []).append(seq)
    for command in commands:
        result = _json(command.result)
        rows.commands[(command.device_id, command.command_id)] = (
            int(command.seq),
            result["status"],
            result.get("server_seq"),
        )
    return rows


def integrity_problems(conn: Any, sqlite: bool) -> list[str]:
    """SQLite's own integrity and foreign key checks; on PostgreSQL, amcheck over every B-tree
    index of HQ's tables (heap and index agree), which raises on the first corrupt one."""
    if sqlite:
        found = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check"))]
        problems = [] if found == ["ok"] else found
        return problems + [str(tuple(r)) for r in conn.execute(text("PRAGMA foreign_key_check"))]
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    indexes = conn.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
            "WHERE n.nspname = 'public' AND a.amname = 'btree'"
        )
    ).scalars()
    checked = 0
    for name in indexes:
        conn.execute(
            text("SELECT bt_index_parent_check(CAST(:name AS regclass), true)"), {"name": name}
        )
        checked += 1
    conn.commit()
    return [] if checked else ["no index checked"]
