"""A TinyDB storage whose writes are all-or-nothing and durable: temp file, fsync, atomic rename.

TinyDB's stock JSONStorage rewrites its file in place, so a crash mid-write leaves a torn file.
Here every TinyDB write only changes the in-memory copy; ``flush`` then replaces the file
atomically. The caller decides when to flush (once per commit), so a transaction touching many
documents of one partition costs one file write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StoreCorruptError(Exception):
    """A store file cannot be read; it is never silently replaced by an empty one."""


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreCorruptError(f"store file {path} is damaged: {exc}") from exc


def encode_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):
    """One partition file: read once, changed in memory, written back by ``flush``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = read_json(self.path)
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self.dirty = True

    def flush(self) -> None:
        if self.dirty and self._data is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, encode_json(self._data))
        self.dirty = False

    def reload(self) -> None:
        """Drop unflushed changes (after a failed commit) and read the file again."""
        self._data = read_json(self.path)
        self.dirty = False

    def close(self) -> None:
        pass
