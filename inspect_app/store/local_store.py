"""The device's local store: crash-safe, atomic across documents, and as fast at a year's data as
on day one.

Layout under the store root (each file a small TinyDB partition, see ``partition.py``)::

    meta.json                 settings, sync cursor, acked outbox seq
    inspections/index.json    one header per inspection
    inspections/<id>.json     that inspection's answers
    hazards/<NN>.json         hazards, 64 shards by hash of the hazard id
    events/<NN>.json          hazard events, sharded like their hazard
    outbox/<block>.json       pending outbox entries, 256 seqs per block
    journal/<txid>.json       redo record of a commit spanning several partitions (transient)
    photos/<sha256>.jpg       content-addressed photo files

A save rewrites only the partitions it touches, by temp file + fsync + atomic rename, so its cost
does not grow with the store. A commit touching several partitions first writes a redo journal;
opening the store replays any journal left by a crash, so such a commit is all-or-nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from inspect_app.store.atomic_storage import (
    encode_json,
    fsync_dir,
    read_json,
    write_atomically,
)
from inspect_app.store.partition import Partition
from inspect_app.store.photo_files import PhotoFiles

HAZARD_SHARDS = 64
OUTBOX_BLOCK = 256
ACKED_SEQ = "outbox_acked_seq"
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


class StoreLockedError(Exception):
    """Another process has this store open."""


def _safe_id(value: str) -> str:
    if not _SAFE_ID.match(value) or value in (".", ".."):
        raise ValueError(f"unusable id for the store: {value!r}")
    return value


def hazard_shard(hazard_id: str) -> str:
    digest = hashlib.sha1(hazard_id.encode("utf-8")).hexdigest()
    return f"{int(digest[:8], 16) % HAZARD_SHARDS:02d}"


Op = tuple[str, str, str, str, Any]  # (partition name, table, "put"|"remove", key, doc)


class Transaction:
    """Changes collected inside ``with store.transaction()``; nothing is written until it ends.

    Reads through the store inside the block see the committed state, not these changes.
    """

    def __init__(self, store: LocalStore) -> None:
        self._store = store
        self.ops: list[Op] = []
        self.highest_seq = store._highest_seq

    def _put(self, name: str, table: str, key: str, doc: Any) -> None:
        self.ops.append((name, table, "put", key, doc))

    def put_inspection(self, doc: dict[str, Any]) -> None:
        self._put("inspections/index", "inspections", _safe_id(doc["id"]), doc)

    def put_answer(self, inspection_id: str, key: str, doc: dict[str, Any]) -> None:
        self._put(f"inspections/{_safe_id(inspection_id)}", "answers", key, doc)

    def put_hazard(self, doc: dict[str, Any]) -> None:
        self._put(f"hazards/{hazard_shard(doc['id'])}", "hazards", doc["id"], doc)

    def add_event(self, doc: dict[str, Any]) -> None:
        """Add an event to its hazard's timeline; an event with the same id is replaced."""
        self._put(f"events/{hazard_shard(doc['hazard_id'])}", "events", doc["id"], doc)

    def set_meta(self, key: str, value: Any) -> None:
        self._put("meta", "meta", key, {"value": value})

    def enqueue(self, entry: dict[str, Any]) -> int:
        """Queue an outbox entry; returns its seq, one more than any seq used before."""
        self.highest_seq += 1
        seq = self.highest_seq
        self._put(f"outbox/{seq // OUTBOX_BLOCK}", "outbox", str(seq), {**entry, "seq": seq})
        return seq

    def remove_outbox(self, seqs: list[int]) -> None:
        for seq in seqs:
            self.ops.append((f"outbox/{seq // OUTBOX_BLOCK}", "outbox", "remove", str(seq), None))


class LocalStore:
    def __init__(self, root: Path, lock_handle: Any) -> None:
        self.root = root
        self._lock_handle = lock_handle
        self._lock = threading.RLock()
        self._partitions: dict[str, Partition] = {}
        self.photos = PhotoFiles(root / "photos")
        self._pending_seqs: set[int] = set()
        self._replay_journals()
        self._pending_seqs = self._scan_outbox()
        self._highest_seq = max([int(self.get_meta(ACKED_SEQ, 0)), *self._pending_seqs])

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path) -> LocalStore:
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / ".lock", "a+")  # noqa: SIM115 - held for the store's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise StoreLockedError(f"the store {root} is in use by another process") from exc
        try:
            return cls(root, handle)
        except Exception:
            handle.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._partitions.clear()
            if not self._lock_handle.closed:
                fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
                self._lock_handle.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- partitions ----------------------------------------------------------------------------

    def _partition(self, name: str, table: str) -> Partition:
        partition = self._partitions.get(name)
        if partition is None:
            partition = Partition(self.root / f"{name}.json", table)
            self._partitions[name] = partition
        return partition

    def _existing(self, folder: str, table: str) -> Iterator[Partition]:
        directory = self.root / folder
        if not directory.is_dir():
            return
        for path in sorted(directory.glob("*.json")):
            yield self._partition(f"{folder}/{path.stem}", table)

    def _scan_outbox(self) -> set[int]:
        return {int(key) for part in self._existing("outbox", "outbox") for key in part.key_list()}

    # -- committing ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            tx = Transaction(self)
            yield tx
            self._commit(tx.ops)
            self._highest_seq = tx.highest_seq

    def _commit(self, ops: list[Op]) -> None:
        if not ops:
            return
        names = {op[0] for op in ops}
        journal = None
        if len(names) > 1:
            journal = self.root / "journal" / f"{uuid.uuid4().hex}.json"
            journal.parent.mkdir(exist_ok=True)
            write_atomically(journal, encode_json(ops))
        try:
            self._apply(ops)
        except Exception:
            for name in names:
                if name in self._partitions:
                    self._partitions[name].reload()
            self._pending_seqs = self._scan_outbox()
            raise
        if journal is not None:
            journal.unlink()
            fsync_dir(journal.parent)

    def _apply(self, ops: list[Op]) -> None:
        touched: dict[str, Partition] = {}
        for name, table, action, key, doc in ops:
            partition = touched.get(name) or self._partition(name, table)
            touched[name] = partition
            if action == "put":
                partition.put(key, doc)
            else:
                partition.remove(key)
            if table == "outbox":
                if action == "put":
                    self._pending_seqs.add(int(key))
                else:
                    self._pending_seqs.discard(int(key))
        for partition in touched.values():
            partition.flush()

    def _replay_journals(self) -> None:
        directory = self.root / "journal"
        if not directory.is_dir():
            return
        for journal in sorted(directory.glob("*.json"), key=os.path.getmtime):
            ops = read_json(journal)
            self._apply([tuple(op) for op in ops])  # type: ignore[misc]
            journal.unlink()
        for leftover in directory.glob(".*.tmp"):
            leftover.unlink()
        fsync_dir(directory)

    # -- convenience writers -------------------------------------------------------------------

    def save_answer(self, inspection_id: str, key: str, doc: dict[str, Any]) -> None:
        with self.transaction() as tx:
            tx.put_answer(inspection_id, key, doc)

    def save_inspection(self, doc: dict[str, Any]) -> None:
        with self.transaction() as tx:
            tx.put_inspection(doc)

    def set_meta(self, key: str, value: Any) -> None:
        with self.transaction() as tx:
            tx.set_meta(key, value)

    def ack_outbox(self, seqs: list[int]) -> None:
        """HQ has answered these entries: drop them and remember the highest seq acknowledged."""
        if not seqs:
            return
        with self.transaction() as tx:
            tx.remove_outbox(list(seqs))
            tx.set_meta(ACKED_SEQ, max(int(self.get_meta(ACKED_SEQ, 0)), *seqs))

    # -- reading -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._lock:
            doc = self._partition("meta", "meta").get(key)
        return default if doc is None else doc["value"]

    def get_inspection(self, inspection_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._partition("inspections/index", "inspections").get(inspection_id)

    def list_inspections(self) -> list[dict[str, Any]]:
        with self._lock:
            return self._partition("inspections/index", "inspections").all()

    def answers(self, inspection_id: str) -> dict[str, dict[str, Any]]:
        with self._lock:
            partition = self._partition(f"inspections/{_safe_id(inspection_id)}", "answers")
            return dict(partition.items())

    def get_hazard(self, hazard_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._partition(f"hazards/{hazard_shard(hazard_id)}", "hazards").get(hazard_id)

    def list_hazards(self) -> list[dict[str, Any]]:
        with self._lock:
            return [doc for part in self._existing("hazards", "hazards") for doc in part.all()]

    def events_for(self, hazard_id: str) -> list[dict[str, Any]]:
        with self._lock:
            partition = self._partition(f"events/{hazard_shard(hazard_id)}", "events")
            return [doc for doc in partition.all() if doc["hazard_id"] == hazard_id]

    def all_events(self) -> list[dict[str, Any]]:
        with self._lock:
            return [doc for part in self._existing("events", "events") for doc in part.all()]

    def pending_outbox(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Entries HQ has not answered yet, in seq order."""
        with self._lock:
            seqs = sorted(self._pending_seqs)[:limit]
            entries = []
            for seq in seqs:
                doc = self._partition(f"outbox/{seq // OUTBOX_BLOCK}", "outbox").get(str(seq))
                if doc is not None:
                    entries.append(doc)
            return entries
