"""One partition: a small TinyDB file holding one table of documents addressed by a string key.

A key -> doc id map built when the partition loads makes a put an upsert without a scan. Documents
go in and come out as private copies, so neither the caller nor the store can change the other's
data behind its back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from inspect_app.store.atomic_storage import AtomicJSONStorage, copy_json
from inspect_app.store.errors import StoreCorruptError

KEY = "_key"


class Partition:
    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self._db = TinyDB(path, storage=AtomicJSONStorage)
        self._table = self._db.table(table)
        self._ids: dict[str, int] = {}
        self._index()

    @property
    def _storage(self) -> AtomicJSONStorage:
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def _index(self) -> None:
        self._ids = {}
        for doc in self._table.all():
            key = doc.get(KEY)
            if not isinstance(key, str):
                raise StoreCorruptError(f"store file {self.path} is damaged: a document has no key")
            self._ids[key] = doc.doc_id

    def get(self, key: str) -> dict[str, Any] | None:
        doc_id = self._ids.get(key)
        doc = None if doc_id is None else self._table.get(doc_id=doc_id)
        return _strip(copy_json(doc)) if isinstance(doc, dict) else None

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        """(key, document) pairs in insertion order."""
        return [(doc[KEY], _strip(doc)) for doc in copy_json(self._table.all())]

    def all(self) -> list[dict[str, Any]]:
        """Documents in insertion order."""
        return [doc for _, doc in self.items()]

    def key_list(self) -> list[str]:
        return list(self._ids)

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Insert or replace, in memory until ``flush``; ``doc`` must be a private copy."""
        stored = {**doc, KEY: key}
        doc_id = self._ids.get(key)
        if doc_id is None:
            self._ids[key] = self._table.insert(stored)
        else:
            self._table.update(_replace_with(stored), doc_ids=[doc_id])

    def remove(self, key: str) -> None:
        self.remove_many([key])

    def remove_many(self, keys: list[str]) -> None:
        """Remove several documents in one pass (TinyDB rewrites its table on every call)."""
        doc_ids = [doc_id for key in keys if (doc_id := self._ids.pop(key, None)) is not None]
        if doc_ids:
            self._table.remove(doc_ids=doc_ids)

    def flush(self) -> None:
        self._storage.flush()

    def reload(self) -> None:
        self._storage.reload()
        self._table.clear_cache()
        self._index()


def _replace_with(stored: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(stored)

    return transform


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    del doc[KEY]
    return doc
