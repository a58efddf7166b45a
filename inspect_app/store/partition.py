"""One partition: a small TinyDB file holding one table of documents addressed by a string key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from inspect_app.store.atomic_storage import AtomicJSONStorage

KEY = "_key"


class Partition:
    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.db = TinyDB(path, storage=AtomicJSONStorage)
        self.table = self.db.table(table)
        self._ids: dict[str, int] = {}
        self._index()

    @property
    def storage(self) -> AtomicJSONStorage:
        storage = self.db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def _index(self) -> None:
        self._ids = {doc[KEY]: doc.doc_id for doc in self.table.all()}

    def get(self, key: str) -> dict[str, Any] | None:
        doc_id = self._ids.get(key)
        if doc_id is None:
            return None
        doc = self.table.get(doc_id=doc_id)
        return _strip(doc) if isinstance(doc, dict) else None

    def all(self) -> list[dict[str, Any]]:
        """Documents in insertion order."""
        return [_strip(doc) for doc in self.table.all()]

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        return [(doc[KEY], _strip(doc)) for doc in self.table.all()]

    def key_list(self) -> list[str]:
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Insert or replace (in memory until ``flush``)."""
        stored = {**doc, KEY: key}
        doc_id = self._ids.get(key)
        if doc_id is None:
            self._ids[key] = self.table.insert(stored)
        else:
            self.table.update(_replace_with(stored), doc_ids=[doc_id])

    def remove(self, key: str) -> None:
        doc_id = self._ids.pop(key, None)
        if doc_id is not None:
            self.table.remove(doc_ids=[doc_id])

    def flush(self) -> None:
        self.storage.flush()

    def reload(self) -> None:
        self.storage.reload()
        self.table.clear_cache()
        self._index()


def _replace_with(stored: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(stored)

    return transform


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != KEY}
