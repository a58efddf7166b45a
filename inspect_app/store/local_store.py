"""The device's local store: crash-safe, atomic across documents, and as fast with a year of one
plant's data as on day one.

Layout under the store root (each ``.json`` a small TinyDB partition, see ``partition.py``)::

    .lock                     flock held while a process has the store open
    meta.json                 settings, sync cursor, acked outbox seq
    inspections/index.json    one header per inspection
    inspections/<id>.json     that inspection's answers, keyed by answer key
    hazards/<NN>.json         hazards, 64 shards by hash of the hazard id
    events/<NN>.json          hazard events, in the shard of their hazard
    outbox/<block>.json       pending outbox entries, 256 seqs per block
    sent/<block>.json         answered entries kept in case HQ is restored from a backup
    journal/<txid>.json       redo record of a commit spanning several partitions (transient)
    photos/<sha256>.jpg       content-addressed photo files (and ``.thumb.jpg``)

A commit rewrites only the partitions it touches, each by temp file + fsync + atomic rename, so
its cost does not grow with the store. A commit touching several partitions first writes a redo
journal of all its changes; opening the store replays a journal a crash left behind, so such a
commit is all-or-nothing.
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
from typing import IO, Any

from inspect_app.store.atomic_storage import (
    copy_json,
    encode_json,
    fsync_dir,
    is_temp_file,
    read_json,
    remove_durably,
    write_atomically,
)
from inspect_app.store.errors import StoreCorruptError, StoreError, StoreLockedError
from inspect_app.store.partition import Partition
from inspect_app.store.photo_files import PhotoFiles

HAZARD_SHARDS = 64
OUTBOX_BLOCK = 256
ACKED_SEQ = "outbox_acked_seq"

META = "meta"
INDEX = "inspections/index"
JOURNAL = "journal"
FOLDERS = ("inspections", "hazards", "events", "outbox", "sent", JOURNAL, "photos")
PUT, REMOVE = "put", "remove"

_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")

# (partition name, table, PUT | REMOVE, key, document or None); also the journal's record format.
Op = tuple[str, str, str, str, Any]


def hazard_shard(hazard_id: str) -> str:
    digest = hashlib.sha1(hazard_id.encode("utf-8")).hexdigest()
    return f"{int(digest[:8], 16) % HAZARD_SHARDS:02d}"


def _answers_partition(inspection_id: str) -> str:
    """The partition of an inspection's answers, named after it: so the id must be a safe file
    name, and not the index's (compared without case, for case-insensitive file systems)."""
    if not _SAFE_ID.fullmatch(inspection_id) or inspection_id in (".", ".."):
        raise ValueError(f"unusable inspection id for the store: {inspection_id!r}")
    if inspection_id.lower() == "index":
        raise ValueError("'index' is reserved and cannot be an inspection id")
    return f"inspections/{inspection_id}"


def _outbox_block(seq: int) -> str:
    return f"outbox/{seq // OUTBOX_BLOCK}"


def _sent_block(seq: int) -> str:
    return f"sent/{seq // OUTBOX_BLOCK}"


def _key(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"store keys and ids are strings, not {value!r}")
    return value


class Transaction:
    """Changes collected inside ``with store.transaction() as tx``: nothing is visible or written
    until the block exits without an exception, and then all of it is, durably.

    Reads through the store inside the block see the committed state, not these changes. Each
    document is copied when handed over, so changing it afterwards changes nothing.
    """

    def __init__(self, highest_seq: int) -> None:
        self.ops: list[Op] = []
        self.highest_seq = highest_seq
        self.ended = False

    def _add(self, name: str, table: str, action: str, key: str, doc: Any = None) -> None:
        if self.ended:
            raise StoreError("this transaction has ended; open a new one")
        self.ops.append((name, table, action, key, doc))

    def _put(self, name: str, table: str, key: str, doc: dict[str, Any]) -> None:
        self._add(name, table, PUT, key, copy_json(doc))

    def put_inspection(self, doc: dict[str, Any]) -> None:
        """Insert or replace an inspection header, keyed by ``doc["id"]``."""
        _answers_partition(doc["id"])
        self._put(INDEX, "inspections", doc["id"], doc)

    def put_answer(self, inspection_id: str, key: str, doc: dict[str, Any]) -> None:
        self._put(_answers_partition(inspection_id), "answers", _key(key), doc)

    def remove_inspection(self, inspection_id: str, answer_keys: list[str]) -> None:
        """Remove an inspection header and these answers of it."""
        partition = _answers_partition(inspection_id)
        for key in answer_keys:
            self._add(partition, "answers", REMOVE, _key(key))
        self._add(INDEX, "inspections", REMOVE, inspection_id)

    def put_hazard(self, doc: dict[str, Any]) -> None:
        hazard_id = _key(doc["id"])
        self._put(f"hazards/{hazard_shard(hazard_id)}", "hazards", hazard_id, doc)

    def add_event(self, doc: dict[str, Any]) -> None:
        """Add an event to its hazard's timeline; an event with the same id is replaced in place."""
        shard = hazard_shard(_key(doc["hazard_id"]))
        self._put(f"events/{shard}", "events", _key(doc["id"]), doc)

    def set_meta(self, key: str, value: Any) -> None:
        self._put(META, "meta", _key(key), {"value": value})

    def enqueue(self, entry: dict[str, Any]) -> int:
        """Queue an outbox entry; returns its seq, one more than any seq committed or queued
        before, so a discarded or crashed transaction leaves no gap."""
        seq = self.highest_seq + 1
        self._put(_outbox_block(seq), "outbox", str(seq), {**entry, "seq": seq})
        self.highest_seq = seq
        return seq

    def remove_outbox(self, seqs: list[int]) -> None:
        for seq in seqs:
            self._add(_outbox_block(seq), "outbox", REMOVE, str(seq))

    def keep_sent(self, doc: dict[str, Any]) -> None:
        self._put(_sent_block(doc["seq"]), "sent", str(doc["seq"]), doc)

    def drop_sent(self, seqs: list[int]) -> None:
        for seq in seqs:
            self._add(_sent_block(seq), "sent", REMOVE, str(seq))

    def requeue(self, doc: dict[str, Any]) -> None:
        """Put a kept entry back in the outbox under its own seq, to be sent again."""
        self._put(_outbox_block(doc["seq"]), "outbox", str(doc["seq"]), doc)
        self._add(_sent_block(doc["seq"]), "sent", REMOVE, str(doc["seq"]))


class LocalStore:
    """One device's store. Thread-safe: a lock serializes transactions and reads, so a sync
    worker and the UI can share it. Open it with ``LocalStore.open``."""

    def __init__(self, root: Path, lock_handle: IO[str]) -> None:
        self.root = root
        self.photos = PhotoFiles(root / "photos")
        self._lock_handle = lock_handle
        self._lock = threading.RLock()
        self._unusable: str | None = None
        self._active: Transaction | None = None
        self._partitions: dict[str, Partition] = {}
        self._pending_seqs: set[int] = set()
        #: Counts commits that changed hazards, so callers may cache what they derive from them.
        self.hazards_revision = 0
        self._prepare_folders()
        self._replay_journals()
        self._partition(INDEX, "inspections")
        self._pending_seqs = {
            int(key) for part in self._existing("outbox", "outbox") for key in part.key_list()
        }
        self._highest_seq = max([int(self.get_meta(ACKED_SEQ, 0)), *self._pending_seqs])

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path) -> LocalStore:
        """Open (creating if needed) the store at ``root``; only one process may have it open.

        Reads meta, the inspection index and the outbox; answers, hazards and events load on
        first use and stay cached.
        """
        root = Path(root)
        if not root.is_dir():
            root.mkdir(parents=True)
            fsync_dir(root.parent)
        handle = open(root / ".lock", "a+")  # noqa: SIM115 - held for the store's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise StoreLockedError(f"the store {root} is in use by another process") from exc
        try:
            return cls(root, handle)
        except BaseException:
            handle.close()
            raise

    def close(self) -> None:
        """Release the store; any later call on this object raises StoreError."""
        with self._lock:
            self._unusable = f"the store {self.root} is closed"
            self._partitions.clear()
            if not self._lock_handle.closed:
                fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
                self._lock_handle.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare_folders(self) -> None:
        """Create the folders durably and clear temp files a crash left behind."""
        created = False
        for folder in (self.root, *(self.root / name for name in FOLDERS)):
            if not folder.is_dir():
                folder.mkdir()
                created = True
            with os.scandir(folder) as entries:
                leftovers = [entry.path for entry in entries if is_temp_file(entry.name)]
            for path in leftovers:
                os.unlink(path)
            if leftovers:
                fsync_dir(folder)
        if created:
            fsync_dir(self.root)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            if self._unusable is not None:
                raise StoreError(self._unusable)
            yield

    # -- partitions ----------------------------------------------------------------------------

    def _partition(self, name: str, table: str) -> Partition:
        partition = self._partitions.get(name)
        if partition is None:
            partition = Partition(self.root / f"{name}.json", table)
            self._partitions[name] = partition
        return partition

    def _existing(self, folder: str, table: str) -> list[Partition]:
        return [
            self._partition(f"{folder}/{path.stem}", table)
            for path in sorted((self.root / folder).glob("*.json"))
        ]

    # -- committing ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Collect changes; commit them all-or-nothing and durably when the block exits, or
        discard them all if it raises. Transactions do not nest."""
        with self._locked():
            if self._active is not None:
                raise StoreError("transactions do not nest: this thread already has one open")
            tx = self._active = Transaction(self._highest_seq)
            try:
                yield tx
                self._commit(tx.ops)
                self._highest_seq = tx.highest_seq
            finally:
                tx.ended = True
                self._active = None

    def _commit(self, ops: list[Op]) -> None:
        if not ops:
            return
        # Loading first means a damaged partition fails the commit before anything is written.
        partitions = {name: self._partition(name, table) for name, table, *_ in ops}
        journal = None
        if len(partitions) > 1:
            journal = self.root / JOURNAL / f"{uuid.uuid4().hex}.json"
        try:
            if journal is not None:
                write_atomically(journal, encode_json(ops))
            self._apply(ops, partitions)
            if journal is not None:
                remove_durably(journal)
        except BaseException:
            if journal is not None and journal.exists():
                # Some partitions may hold the commit and others not, and a later commit must not
                # run before the journal is replayed: only a reopen sets this right.
                self._unusable = (
                    f"a commit failed part-way; reopen the store {self.root} to finish it"
                )
            else:
                for partition in partitions.values():
                    partition.reload()
            raise

    def _apply(self, ops: list[Op], partitions: dict[str, Partition]) -> None:
        removing: tuple[str, list[str]] | None = None  # a run of removals from one partition
        for name, _table, action, key, doc in ops:
            if action == REMOVE and removing is not None and removing[0] == name:
                removing[1].append(key)
                continue
            if removing is not None:
                partitions[removing[0]].remove_many(removing[1])
                removing = None
            if action == PUT:
                partitions[name].put(key, doc)
            else:
                removing = (name, [key])
        if removing is not None:
            partitions[removing[0]].remove_many(removing[1])
        for partition in partitions.values():
            partition.flush()
        for _name, table, action, key, _doc in ops:
            if table == "hazards":
                self.hazards_revision += 1
            if table == "outbox" and action == PUT:
                self._pending_seqs.add(int(key))
            elif table == "outbox":
                self._pending_seqs.discard(int(key))

    def _replay_journals(self) -> None:
        """Finish a journaled commit a crash interrupted; puts and removes by key are idempotent.

        A commit removes its journal before the next one starts (or stops the store), so at most
        one journal is ever left here.
        """
        for journal in sorted((self.root / JOURNAL).glob("*.json")):
            ops = _read_journal(journal)
            self._apply(ops, {name: self._partition(name, table) for name, table, *_ in ops})
            remove_durably(journal)

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

    def ack_outbox(self, seqs: list[int], keep: dict[str, Any] | None = None) -> None:
        """HQ has answered these entries: drop them and raise the acked seq in one commit;
        with ``keep``, move them to the kept entries with those fields added. Seqs that are
        not pending are ignored."""
        with self.transaction() as tx:
            acked = sorted(set(seqs) & self._pending_seqs)
            if keep is not None:
                for doc in self.pending_outbox_of(acked):
                    tx.keep_sent({**doc, **keep})
            if acked:
                tx.remove_outbox(acked)
                tx.set_meta(ACKED_SEQ, max(int(self.get_meta(ACKED_SEQ, 0)), acked[-1]))

    # -- reading -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._locked():
            doc = self._partition(META, "meta").get(key)
        return default if doc is None else doc["value"]

    def get_inspection(self, inspection_id: str) -> dict[str, Any] | None:
        with self._locked():
            return self._partition(INDEX, "inspections").get(inspection_id)

    def list_inspections(self) -> list[dict[str, Any]]:
        with self._locked():
            return self._partition(INDEX, "inspections").all()

    def answers(self, inspection_id: str) -> dict[str, dict[str, Any]]:
        """The inspection's answers by key ({} for an unknown inspection)."""
        with self._locked():
            return dict(self._partition(_answers_partition(inspection_id), "answers").items())

    def get_hazard(self, hazard_id: str) -> dict[str, Any] | None:
        with self._locked():
            return self._partition(f"hazards/{hazard_shard(hazard_id)}", "hazards").get(hazard_id)

    def list_hazards(self) -> list[dict[str, Any]]:
        with self._locked():
            return [doc for part in self._existing("hazards", "hazards") for doc in part.all()]

    def events_for(self, hazard_id: str) -> list[dict[str, Any]]:
        """The hazard's events in the order they were first added."""
        with self._locked():
            partition = self._partition(f"events/{hazard_shard(hazard_id)}", "events")
            return [doc for doc in partition.all() if doc["hazard_id"] == hazard_id]

    def all_events(self) -> list[dict[str, Any]]:
        with self._locked():
            return [doc for part in self._existing("events", "events") for doc in part.all()]

    def pending_outbox(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Entries HQ has not answered yet, in seq order; at most ``limit`` of them."""
        return self.pending_outbox_of(sorted(self._pending_seqs)[:limit])

    def pending_outbox_of(self, seqs: list[int]) -> list[dict[str, Any]]:
        with self._locked():
            docs = [self._partition(_outbox_block(seq), "outbox").get(str(seq)) for seq in seqs]
        return [doc for doc in docs if doc is not None]

    def sent_outbox(self) -> list[dict[str, Any]]:
        """Answered entries kept, in seq order."""
        with self._locked():
            docs = [doc for part in self._existing("sent", "sent") for doc in part.all()]
        return sorted(docs, key=lambda doc: doc["seq"])


def _read_journal(path: Path) -> list[Op]:
    ops = read_json(path)
    if not isinstance(ops, list) or not all(isinstance(op, list) and len(op) == 5 for op in ops):
        raise StoreCorruptError(f"store journal {path} is damaged: not a list of changes")
    return [(name, table, action, key, doc) for name, table, action, key, doc in ops]
